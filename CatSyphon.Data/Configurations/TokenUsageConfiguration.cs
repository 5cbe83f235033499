using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CatSyphon.Data.Configurations;

internal sealed class TokenUsageConfiguration : IEntityTypeConfiguration<TokenUsage>
{
    public void Configure(EntityTypeBuilder<TokenUsage> builder)
    {
        // One row per API response and workspace: the worker's INSERT ... ON CONFLICT keeps the copy that counts.
        builder.HasKey(u => new { u.WorkspaceId, u.UsageKey });
        builder.Property(u => u.UsageKey).HasMaxLength(ColumnLimits.UsageKey);
        builder.Property(u => u.Model).HasMaxLength(ColumnLimits.Identifier);
        builder.Property(u => u.CacheCreation1hTokens).HasColumnName("cache_creation_1h_tokens");

        // Token analytics over a date range (by day, model, project, developer...): a workspace's rows of the range.
        builder.HasIndex(u => new { u.WorkspaceId, u.OccurredAt });
        // A conversation's tokens, summed when it is listed or shown; also the cascade from conversations.
        builder.HasIndex(u => u.ConversationId);

        builder.HasOne(u => u.Workspace)
            .WithMany()
            .HasForeignKey(u => u.WorkspaceId)
            .OnDelete(DeleteBehavior.Cascade);
        builder.HasOne(u => u.Conversation)
            .WithMany(c => c.TokenUsages)
            .HasForeignKey(u => u.ConversationId)
            .OnDelete(DeleteBehavior.Cascade);
    }
}
