namespace CatSyphon.Data.Configurations;

internal sealed class RedactionRuleConfiguration : IEntityTypeConfiguration<RedactionRule>
{
    public void Configure(EntityTypeBuilder<RedactionRule> builder)
    {
        builder.Property(r => r.Value).HasMaxLength(ColumnLimits.RedactionRuleValue);
        builder.Property(r => r.Label).HasMaxLength(ColumnLimits.Label);
        builder.Property(r => r.CreatedBy).HasMaxLength(ColumnLimits.Name);
        builder.HasIndex(r => new { r.WorkspaceId, r.Kind, r.Value }).IsUnique();
        builder.HasOne(r => r.Workspace).WithMany().HasForeignKey(r => r.WorkspaceId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class DataJobConfiguration : IEntityTypeConfiguration<DataJob>
{
    public void Configure(EntityTypeBuilder<DataJob> builder)
    {
        builder.Property(j => j.Target).HasMaxLength(ColumnLimits.SessionId);
        builder.Property(j => j.Counts).HasColumnType("jsonb");
        builder.Property(j => j.RequestedBy).HasMaxLength(ColumnLimits.Name);
        builder.HasIndex(j => new { j.WorkspaceId, j.CreatedAt }).IsDescending(false, true);
        builder.HasIndex(j => j.Status).HasFilter("status in ('queued', 'running')");
        builder.HasOne(j => j.Workspace).WithMany().HasForeignKey(j => j.WorkspaceId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class ErasedSessionConfiguration : IEntityTypeConfiguration<ErasedSession>
{
    public void Configure(EntityTypeBuilder<ErasedSession> builder)
    {
        builder.HasKey(e => new { e.WorkspaceId, e.SessionId });
        builder.Property(e => e.SessionId).HasMaxLength(ColumnLimits.SessionId);
        builder.HasOne<Workspace>().WithMany().HasForeignKey(e => e.WorkspaceId).OnDelete(DeleteBehavior.Cascade);
    }
}
