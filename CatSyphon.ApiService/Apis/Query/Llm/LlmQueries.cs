using Dapper;

namespace CatSyphon.ApiService.Apis.Query.Llm;

/// <summary>The SQL of the LLM's answers (one session's) and of a workspace's use this month.</summary>
internal static class LlmQueries
{
    private const string InsightSql = """
        SELECT l.sentiment, l.summary, l.problems, l.features, l.learning_opportunities, l.model, l.computed_at,
               l.event_count < c.event_count AS describes_older_version
        FROM session_llm_insights l JOIN conversations c ON c.id = l.conversation_id
        WHERE l.conversation_id = @id AND l.sentiment IS NOT NULL
        """;

    // The month as the worker counts it: the database's clock, in UTC.
    private const string UsageSql = """
        SELECT w.llm_monthly_token_budget AS workspace_budget, coalesce(u.input_tokens, 0) AS input_tokens,
               coalesce(u.output_tokens, 0) AS output_tokens, coalesce(u.requests, 0) AS requests,
               extract(year FROM m.month)::int AS year, extract(month FROM m.month)::int AS month
        FROM workspaces w
        CROSS JOIN (SELECT date_trunc('month', now() AT TIME ZONE 'UTC')::date AS month) m
        LEFT JOIN llm_usage u ON u.workspace_id = w.id AND u.month = m.month
        WHERE w.id = @workspace
        """;

    /// <summary>The last good answer about conversation <paramref name="id"/>; null when there is none (a failure alone is not shown).</summary>
    public static async Task<SessionLlmInsightView?> InsightAsync(QueryDbContext db, Guid id, CancellationToken cancellationToken) =>
        (await db.Database.GetDbConnection().QuerySingleOrDefaultAsync<InsightRow>(
            new CommandDefinition(InsightSql, new { id }, cancellationToken: cancellationToken))) is { } row
            ? new SessionLlmInsightView(
                row.Sentiment, row.Summary, row.Problems, row.Features, row.LearningOpportunities, row.Model, row.ComputedAt, row.DescribesOlderVersion)
            : null;

    /// <summary>The workspace's use in this calendar month (UTC) against its budget.</summary>
    public static async Task<LlmStatusView> StatusAsync(QueryDbContext db, Guid workspace, LlmStatusOptions settings, CancellationToken cancellationToken)
    {
        var row = await db.Database.GetDbConnection().QuerySingleAsync<UsageRow>(
            new CommandDefinition(UsageSql, new { workspace }, cancellationToken: cancellationToken));
        return new LlmStatusView(
            settings.Configured, settings.Configured ? settings.Model : null, new DateOnly(row.Year, row.Month, 1), row.InputTokens, row.OutputTokens,
            row.Requests, row.WorkspaceBudget ?? settings.MonthlyTokenBudget, row.WorkspaceBudget is null);
    }

    private sealed class InsightRow
    {
        public string Sentiment { get; init; } = "";
        public string Summary { get; init; } = "";
        public string[] Problems { get; init; } = [];
        public string[] Features { get; init; } = [];
        public string[] LearningOpportunities { get; init; } = [];
        public string Model { get; init; } = "";
        public DateTimeOffset ComputedAt { get; init; }
        public bool DescribesOlderVersion { get; init; }
    }

    private sealed class UsageRow
    {
        public int? WorkspaceBudget { get; init; }
        public long InputTokens { get; init; }
        public long OutputTokens { get; init; }
        public int Requests { get; init; }
        public int Year { get; init; }
        public int Month { get; init; }
    }
}
