using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CatSyphon.Data.Configurations;

internal sealed class IngestionJobConfiguration : IEntityTypeConfiguration<IngestionJob>
{
    public void Configure(EntityTypeBuilder<IngestionJob> builder)
    {
        builder.Property(j => j.Id).ValueGeneratedNever();
        builder.Property(j => j.SessionId).HasMaxLength(ColumnLimits.SessionId);

        builder.HasIndex(j => new { j.WorkspaceId, j.StartedAt }).IsDescending(false, true);
        builder.HasIndex(j => j.Outcome);

        builder.HasOne(j => j.Workspace)
            .WithMany()
            .HasForeignKey(j => j.WorkspaceId)
            .OnDelete(DeleteBehavior.Cascade);
        builder.HasOne(j => j.Collector)
            .WithMany()
            .HasForeignKey(j => j.CollectorId)
            .OnDelete(DeleteBehavior.SetNull);
        builder.HasOne(j => j.Conversation)
            .WithMany()
            .HasForeignKey(j => j.ConversationId)
            .OnDelete(DeleteBehavior.SetNull);
    }
}

internal sealed class AuditLogEntryConfiguration : IEntityTypeConfiguration<AuditLogEntry>
{
    public void Configure(EntityTypeBuilder<AuditLogEntry> builder)
    {
        builder.Property(a => a.Id).ValueGeneratedNever();
        builder.Property(a => a.Actor).HasMaxLength(ColumnLimits.Name);
        builder.Property(a => a.Action).HasMaxLength(ColumnLimits.Label);
        builder.Property(a => a.TargetType).HasMaxLength(ColumnLimits.Label);
        builder.Property(a => a.TargetId).HasMaxLength(ColumnLimits.Identifier);
        builder.Property(a => a.Details).HasColumnType("jsonb");

        builder.HasIndex(a => a.OccurredAt);
        builder.HasIndex(a => new { a.WorkspaceId, a.OccurredAt });

        // The audit trail outlives the workspace it mentions.
        builder.HasOne(a => a.Workspace)
            .WithMany()
            .HasForeignKey(a => a.WorkspaceId)
            .OnDelete(DeleteBehavior.SetNull);
    }
}
