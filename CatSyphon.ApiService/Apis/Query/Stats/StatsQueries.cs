using System.Data;
using Dapper;

namespace CatSyphon.ApiService.Apis.Query.Stats;

/// <summary>The SQL of token and tool analytics.</summary>
internal static class StatsQueries
{
    /// <summary>
    /// Group keys over the token usage <c>u</c> (<c>token_usages</c>, one row per API response: a main-session copy before a
    /// sub-agent copy, then the larger total, summed per day in <c>token_usage_days</c>) and its conversation (<c>c</c>). A
    /// response counts on the UTC day (<c>u.day</c>) and under the model of its counted copy.
    /// </summary>
    public static readonly Dictionary<string, string> TokenGroupings = new(StringComparer.Ordinal)
    {
        ["day"] = "to_char(u.day, 'YYYY-MM-DD')",
        ["model"] = "u.model",
        ["project"] = "c.project_id::text",
        ["developer"] = "c.developer_id::text",
        ["session"] = "c.session_id",
    };

    /// <summary>
    /// Tool usage from <c>tool_call_days</c> (per conversation, UTC day of the call and tool) over the range's whole days, and
    /// from <c>tool_calls</c> over the parts of days at its ends (<see cref="RollupWindow"/>; the dashboard's ranges have
    /// none); equal to counting <c>tool_calls</c>, which the worker's tests hold. A call without a call time (its result
    /// came alone) counts only in a range open at both ends, as it did when counted raw.
    /// </summary>
    private static readonly string ToolUsageSql = $"""
        SELECT u.tool_name,
               sum(u.calls)::bigint AS calls,
               sum(u.errors)::bigint AS errors,
               sum(u.unanswered)::bigint AS without_result,
               coalesce(sum(u.errors)::float8 / nullif(sum(u.calls) - sum(u.unanswered), 0), 0) AS error_rate,
               count(DISTINCT u.conversation_id) FILTER (WHERE u.calls > 0) AS sessions,
               (sum(u.duration_ms) / nullif(sum(u.durations), 0))::float8 AS average_duration_ms
        FROM (
            SELECT r.conversation_id, r.tool_name, r.calls, r.errors, r.unanswered, r.duration_ms, r.durations
            FROM tool_call_days r
            WHERE r.workspace_id = @workspace AND {RollupWindow.DayInWindow("r")}
            UNION ALL
            SELECT t.conversation_id, coalesce(t.tool_name, 'unknown'), 1, (t.success = false)::int, (t.success IS NULL)::int,
                   CASE WHEN t.completed_at >= t.called_at THEN extract(epoch FROM t.completed_at - t.called_at) * 1000 ELSE 0 END,
                   (t.completed_at >= t.called_at)::int
            FROM tool_calls t
            WHERE t.conversation_id IN (SELECT id FROM conversations WHERE workspace_id = @workspace)
              AND {RollupWindow.InEdges("t.called_at")}
        ) u
        -- LEFT: every row has its conversation, and without a project filter PostgreSQL then drops the join.
        LEFT JOIN conversations c ON c.id = u.conversation_id
        WHERE CAST(@project AS uuid) IS NULL OR c.project_id = @project
        GROUP BY 1
        HAVING sum(u.calls) > 0
        ORDER BY calls DESC, tool_name
        """;

    public static async Task<List<ToolUsage>> ToolUsageAsync(
        QueryDbContext db, Guid workspace, Guid? project, TimeRange range, CancellationToken cancellationToken)
    {
        var parameters = new DynamicParameters();
        foreach (var (name, value) in RollupWindow.Of(range).Bounds)
        {
            parameters.Add(name, value, DbType.DateTimeOffset);
        }

        parameters.Add("workspace", workspace, DbType.Guid);
        parameters.Add("project", project, DbType.Guid);
        return (await db.Database.GetDbConnection().QueryAsync<ToolUsage>(new CommandDefinition(ToolUsageSql, parameters,
            cancellationToken: cancellationToken))).ToList();
    }
}
