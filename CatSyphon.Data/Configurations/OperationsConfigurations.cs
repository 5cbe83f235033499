namespace CatSyphon.Data.Configurations;

internal sealed class IngestionJobConfiguration : IEntityTypeConfiguration<IngestionJob>
{
    public void Configure(EntityTypeBuilder<IngestionJob> builder)
    {
        builder.Property(j => j.SessionId).HasMaxLength(ColumnLimits.SessionId);

        builder.HasIndex(j => new { j.WorkspaceId, j.StartedAt }).IsDescending(false, true);
        builder.HasIndex(j => j.Outcome);
    }
}

internal sealed class AuditLogEntryConfiguration : IEntityTypeConfiguration<AuditLogEntry>
{
    public void Configure(EntityTypeBuilder<AuditLogEntry> builder)
    {
        builder.Property(a => a.Actor).HasMaxLength(ColumnLimits.Name);
        builder.Property(a => a.Action).HasMaxLength(ColumnLimits.Label);
        builder.Property(a => a.TargetType).HasMaxLength(ColumnLimits.Label);
        builder.Property(a => a.TargetId).HasMaxLength(ColumnLimits.Identifier);
        builder.Property(a => a.Details).HasColumnType("jsonb");
        builder.Property(a => a.Address).HasMaxLength(ColumnLimits.Address);

        builder.HasIndex(a => a.OccurredAt);
        builder.HasIndex(a => new { a.WorkspaceId, a.OccurredAt });
    }
}
