namespace CatSyphon.Data.Configurations;

internal sealed class TokenUsageConfiguration : IEntityTypeConfiguration<TokenUsage>
{
    /// <summary>The token count columns, each bounded to 0..<see cref="ColumnLimits.MaxTokenCount"/>.</summary>
    public static readonly string[] TokenColumns = ["input_tokens", "output_tokens", "cache_creation_tokens", "cache_read_tokens"];

    public void Configure(EntityTypeBuilder<TokenUsage> builder)
    {
        // One row per API response and workspace: the worker's INSERT ... ON CONFLICT keeps the copy that counts.
        builder.HasKey(u => new { u.WorkspaceId, u.UsageKey });

        // Defence in depth behind the API's value limits: a count outside one API response's range never lands here,
        // whatever path wrote it, so the analytics' sums stay exact and inside int64.
        builder.ToTable(table =>
        {
            foreach (var column in TokenColumns)
            {
                table.HasCheckConstraint($"ck_token_usages_{column}", $"{column} BETWEEN 0 AND {ColumnLimits.MaxTokenCount}");
            }

            // The 1-hour part of the cache writes is a part of them: the 5-minute rest priced beside it is never negative.
            table.HasCheckConstraint("ck_token_usages_cache_creation_1h_tokens",
                "cache_creation_1h_tokens BETWEEN 0 AND coalesce(cache_creation_tokens, 0)");
        });
        builder.Property(u => u.UsageKey).HasMaxLength(ColumnLimits.UsageKey);
        builder.Property(u => u.Model).HasMaxLength(ColumnLimits.Identifier);
        builder.Property(u => u.CacheCreation1hTokens).HasColumnName("cache_creation_1h_tokens");

        // Token analytics over a date range (by day, model, project, developer...): a workspace's rows of the range.
        builder.HasIndex(u => new { u.WorkspaceId, u.OccurredAt });
        // A conversation's tokens, summed when it is listed or shown; also the cascade from conversations.
        builder.HasIndex(u => u.ConversationId);
    }
}
