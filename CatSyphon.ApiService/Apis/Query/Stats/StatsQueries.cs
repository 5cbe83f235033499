using Dapper;

namespace CatSyphon.ApiService.Apis.Query.Stats;

/// <summary>The SQL of token and tool analytics.</summary>
internal static class StatsQueries
{
    /// <summary>
    /// Group keys over <c>token_usages</c> (<c>u</c>, one row per API response: a main-session copy before a sub-agent
    /// copy, then the larger total) and its conversation (<c>c</c>). A response counts on the UTC day and under the
    /// model of its counted copy.
    /// </summary>
    public static readonly Dictionary<string, string> TokenGroupings = new(StringComparer.Ordinal)
    {
        ["day"] = "to_char(u.occurred_at AT TIME ZONE 'UTC', 'YYYY-MM-DD')",
        ["model"] = "u.model",
        ["project"] = "c.project_id::text",
        ["developer"] = "c.developer_id::text",
        ["session"] = "c.session_id",
    };

    private const string ToolUsageSql = """
        SELECT coalesce(t.tool_name, 'unknown') AS tool_name,
               count(*) AS calls,
               count(*) FILTER (WHERE t.success = false) AS errors,
               count(*) FILTER (WHERE t.success IS NULL) AS without_result,
               coalesce(count(*) FILTER (WHERE t.success = false)::float8 / nullif(count(*) FILTER (WHERE t.success IS NOT NULL), 0), 0) AS error_rate,
               count(DISTINCT t.conversation_id) AS sessions,
               (avg(extract(epoch FROM t.completed_at - t.called_at) * 1000) FILTER (WHERE t.completed_at >= t.called_at))::float8 AS average_duration_ms
        FROM tool_calls t
        JOIN conversations c ON c.id = t.conversation_id
        WHERE c.workspace_id = @workspace
          AND (CAST(@project AS uuid) IS NULL OR c.project_id = @project)
          AND (CAST(@from AS timestamptz) IS NULL OR t.called_at >= @from)
          AND (CAST(@to AS timestamptz) IS NULL OR t.called_at < @to)
        GROUP BY 1
        ORDER BY calls DESC, tool_name
        """;

    public static async Task<List<ToolUsage>> ToolUsageAsync(
        CatSyphonDbContext db, Guid workspace, Guid? project, TimeRange range, CancellationToken cancellationToken) =>
        (await db.Database.GetDbConnection().QueryAsync<ToolUsage>(new CommandDefinition(ToolUsageSql,
            new { workspace, project, from = SqlQueries.Utc(range.From), to = SqlQueries.Utc(range.To) },
            cancellationToken: cancellationToken))).ToList();
}
