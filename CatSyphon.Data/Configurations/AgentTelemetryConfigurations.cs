namespace CatSyphon.Data.Configurations;

internal sealed class AgentTelemetryEventConfiguration : IEntityTypeConfiguration<AgentTelemetryEvent>
{
    public void Configure(EntityTypeBuilder<AgentTelemetryEvent> builder)
    {
        AgentTelemetryColumns.Configure(builder);
        builder.Property(e => e.Name).HasMaxLength(ColumnLimits.Identifier);
        // The workspace summary: a workspace's events of a time range.
        builder.HasIndex(e => new { e.WorkspaceId, e.OccurredAt });
    }
}

internal sealed class AgentTelemetryPointConfiguration : IEntityTypeConfiguration<AgentTelemetryPoint>
{
    public void Configure(EntityTypeBuilder<AgentTelemetryPoint> builder)
    {
        AgentTelemetryColumns.Configure(builder);
        builder.Property(p => p.Metric).HasMaxLength(ColumnLimits.Identifier);
        builder.Property(p => p.Unit).HasMaxLength(ColumnLimits.Identifier);
        builder.Property(p => p.Kind).HasMaxLength(16);
        builder.Property(p => p.SeriesKey).HasMaxLength(64);
        builder.Property(p => p.Type).HasMaxLength(ColumnLimits.Identifier);
        builder.HasIndex(p => new { p.WorkspaceId, p.Time });
    }
}

/// <summary>The columns and indexes both telemetry tables share.</summary>
internal static class AgentTelemetryColumns
{
    public static void Configure<T>(EntityTypeBuilder<T> builder) where T : AgentTelemetryRow
    {
        builder.Property(r => r.Id).UseIdentityByDefaultColumn();
        builder.Property(r => r.Attributes).HasColumnType("jsonb");
        foreach (var text in new[] { nameof(AgentTelemetryRow.AgentType), nameof(AgentTelemetryRow.UserEmail), nameof(AgentTelemetryRow.AccountId),
                     nameof(AgentTelemetryRow.Model), nameof(AgentTelemetryRow.ToolName), nameof(AgentTelemetryRow.Decision), nameof(AgentTelemetryRow.DecisionSource) })
        {
            builder.Property(text).HasMaxLength(ColumnLimits.Identifier);
        }

        builder.Property(r => r.SessionId).HasMaxLength(ColumnLimits.SessionId);
        // A stream entry persisted twice (a worker stopped between COMMIT and XACK) inserts nothing the second time.
        builder.HasIndex(r => new { r.BatchId, r.Ordinal }).IsUnique();
        // A session's telemetry, by the session id its transcript has.
        builder.HasIndex(r => new { r.WorkspaceId, r.SessionId });
    }
}
