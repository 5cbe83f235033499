using System.Data;
using Dapper;

namespace CatSyphon.ApiService.Apis.Query.Telemetry;

/// <summary>
/// The SQL of reported telemetry, over one session (<c>session_id</c>) or a workspace's time range. Rows are read by the
/// session id their transcript has, so telemetry that arrived before its transcript counts as soon as either exists.
/// </summary>
internal static class TelemetryQueries
{
    private static readonly string EventTotalsSql = $"""
        SELECT e.agent_type, GROUPING(e.agent_type) = 1 AS is_total, count(*) AS events,
               coalesce(sum(e.cost_usd), 0)::float8 AS cost_usd,
               coalesce(sum(e.input_tokens), 0)::bigint AS input_tokens, coalesce(sum(e.output_tokens), 0)::bigint AS output_tokens,
               coalesce(sum(e.cache_read_tokens), 0)::bigint AS cache_read_tokens,
               coalesce(sum(e.cache_creation_tokens), 0)::bigint AS cache_creation_tokens,
               count(*) FILTER (WHERE e.name = 'tool_decision' AND e.decision = 'accept') AS accepted,
               count(*) FILTER (WHERE e.name = 'tool_decision' AND e.decision = 'reject') AS rejected,
               count(*) FILTER (WHERE e.name IN ('api_request', 'api_error')) AS api_requests,
               count(*) FILTER (WHERE e.is_api_error) AS api_errors,
               avg(e.duration_ms) FILTER (WHERE {SuccessfulRequest}) AS latency_average_ms,
               percentile_cont(0.5) WITHIN GROUP (ORDER BY e.duration_ms) FILTER (WHERE {SuccessfulRequest}) AS latency_p50_ms,
               percentile_cont(0.95) WITHIN GROUP (ORDER BY e.duration_ms) FILTER (WHERE {SuccessfulRequest}) AS latency_p95_ms,
               min(e.occurred_at) AS first_at, max(e.occurred_at) AS last_at
        FROM agent_telemetry_events e
        WHERE {Scope("e", "occurred_at")}
        GROUP BY GROUPING SETS ((e.agent_type), ())
        """;

    private static readonly string PointCountsSql = $"""
        SELECT p.agent_type, GROUPING(p.agent_type) = 1 AS is_total, count(*) AS points, min(p.time) AS first_at, max(p.time) AS last_at
        FROM agent_telemetry_points p
        WHERE {Scope("p", "time")}
        GROUP BY GROUPING SETS ((p.agent_type), ())
        """;

    /// <summary>
    /// Sums per agent, metric and type (agent-telemetry.md §5.7): delta (and unspecified) points add up; a cumulative series
    /// (same metric and attributes, same start) counts only its latest point, its running total.
    /// </summary>
    private static readonly string MetricTotalsSql = $"""
        WITH p AS (
            SELECT p.agent_type, p.metric, p.type, p.temporality, p.series_key, p.start_time, p.time, p.value
            FROM agent_telemetry_points p
            WHERE {Scope("p", "time")} AND p.kind = 'sum' AND p.metric = ANY(@metrics)
        ), latest AS (
            SELECT DISTINCT ON (series_key, start_time) agent_type, metric, type, value
            FROM p WHERE temporality = 2
            ORDER BY series_key, start_time, time DESC
        )
        SELECT agent_type, metric, type, sum(value)::float8 AS total
        FROM (SELECT agent_type, metric, type, value FROM p WHERE temporality <> 2
              UNION ALL SELECT agent_type, metric, type, value FROM latest) x
        GROUP BY agent_type, metric, type
        """;

    private static readonly string DecisionsSql = $"""
        SELECT e.decision, e.decision_source AS source, count(*) AS count
        FROM agent_telemetry_events e
        WHERE {Scope("e", "occurred_at")} AND e.name = 'tool_decision' AND e.decision IS NOT NULL
        GROUP BY 1, 2 ORDER BY count DESC, 1, 2
        """;

    private static readonly string ApiErrorsSql = $"""
        SELECT e.status_code, count(*) AS count
        FROM agent_telemetry_events e
        WHERE {Scope("e", "occurred_at")} AND e.is_api_error
        GROUP BY 1 ORDER BY count DESC, 1
        """;

    /// <summary>The people the telemetry names, each linked to the account of the same email in the workspace's organization.</summary>
    private static readonly string PeopleSql = $"""
        SELECT x.user_email, x.account_id, u.id AS user_id, u.display_name, sum(x.records)::bigint AS records
        FROM (
            SELECT e.user_email, e.account_id, count(*) AS records FROM agent_telemetry_events e
            WHERE {Scope("e", "occurred_at")} AND (e.user_email IS NOT NULL OR e.account_id IS NOT NULL) GROUP BY 1, 2
            UNION ALL
            SELECT p.user_email, p.account_id, count(*) FROM agent_telemetry_points p
            WHERE {Scope("p", "time")} AND (p.user_email IS NOT NULL OR p.account_id IS NOT NULL) GROUP BY 1, 2
        ) x
        LEFT JOIN users u ON u.normalized_email = upper(x.user_email)
                         AND u.organization_id = (SELECT w.organization_id FROM workspaces w WHERE w.id = @workspace)
        GROUP BY x.user_email, x.account_id, u.id, u.display_name
        ORDER BY records DESC, x.user_email, x.account_id
        LIMIT 100
        """;

    private const string SessionsSql = """
        SELECT (SELECT count(DISTINCT s.session_id) FROM (
                    SELECT e.session_id FROM agent_telemetry_events e WHERE e.workspace_id = @workspace AND e.session_id IS NOT NULL
                      AND (CAST(@from AS timestamptz) IS NULL OR e.occurred_at >= @from) AND (CAST(@to AS timestamptz) IS NULL OR e.occurred_at < @to)
                    UNION ALL
                    SELECT p.session_id FROM agent_telemetry_points p WHERE p.workspace_id = @workspace AND p.session_id IS NOT NULL
                      AND (CAST(@from AS timestamptz) IS NULL OR p.time >= @from) AND (CAST(@to AS timestamptz) IS NULL OR p.time < @to)) s) AS sessions,
               (SELECT count(*) FROM conversations c WHERE c.workspace_id = @workspace AND c.from_telemetry AND c.event_count = 0
                  AND (CAST(@from AS timestamptz) IS NULL OR c.started_at >= @from) AND (CAST(@to AS timestamptz) IS NULL OR c.started_at < @to)) AS telemetry_only
        """;

    private const string SuccessfulRequest = "e.name = 'api_request' AND NOT e.is_api_error AND e.duration_ms IS NOT NULL";

    public static async Task<TelemetryRows> ReadAsync(QueryDbContext db, Guid workspace, string? session, TimeRange range, CancellationToken cancellationToken)
    {
        var parameters = new DynamicParameters();
        parameters.Add("workspace", workspace, DbType.Guid);
        parameters.Add("session", session, DbType.String);
        parameters.Add("from", SqlQueries.Utc(range.From), DbType.DateTimeOffset);
        parameters.Add("to", SqlQueries.Utc(range.To), DbType.DateTimeOffset);
        parameters.Add("metrics", ReportedMetrics.Names);
        var connection = db.Database.GetDbConnection();
        Task<IEnumerable<T>> Query<T>(string sql) => connection.QueryAsync<T>(new CommandDefinition(sql, parameters, cancellationToken: cancellationToken));

        // One connection: the reads run one after the other.
        return new TelemetryRows(
            (await Query<EventTotalsRow>(EventTotalsSql)).ToList(),
            (await Query<PointCountsRow>(PointCountsSql)).ToList(),
            (await Query<MetricTotalRow>(MetricTotalsSql)).ToList(),
            (await Query<ToolDecisionRow>(DecisionsSql)).Select(r => new ToolDecisionCount(r.Decision, r.Source, r.Count)).ToList(),
            (await Query<ApiErrorRow>(ApiErrorsSql)).Select(r => new ApiErrorCount(r.StatusCode, r.Count)).ToList(),
            (await Query<PersonRow>(PeopleSql)).Select(r => new TelemetryPerson(r.UserEmail, r.AccountId, r.UserId, r.DisplayName, r.Records)).ToList());
    }

    public static async Task<(long Sessions, long TelemetryOnly)> SessionCountsAsync(QueryDbContext db, Guid workspace, TimeRange range, CancellationToken cancellationToken)
    {
        var row = await db.Database.GetDbConnection().QuerySingleAsync<SessionCountsRow>(new CommandDefinition(SessionsSql,
            new { workspace, from = SqlQueries.Utc(range.From), to = SqlQueries.Utc(range.To) }, cancellationToken: cancellationToken));
        return (row.Sessions, row.TelemetryOnly);
    }

    private static string Scope(string alias, string timeColumn) => $"""
        {alias}.workspace_id = @workspace
          AND (CAST(@session AS text) IS NULL OR {alias}.session_id = @session)
          AND (CAST(@from AS timestamptz) IS NULL OR {alias}.{timeColumn} >= @from)
          AND (CAST(@to AS timestamptz) IS NULL OR {alias}.{timeColumn} < @to)
        """;

    private sealed class ToolDecisionRow
    {
        public string Decision { get; init; } = "";
        public string? Source { get; init; }
        public long Count { get; init; }
    }

    private sealed class ApiErrorRow
    {
        public int? StatusCode { get; init; }
        public long Count { get; init; }
    }

    private sealed class PersonRow
    {
        public string? UserEmail { get; init; }
        public string? AccountId { get; init; }
        public Guid? UserId { get; init; }
        public string? DisplayName { get; init; }
        public long Records { get; init; }
    }

    private sealed class SessionCountsRow
    {
        public long Sessions { get; init; }
        public long TelemetryOnly { get; init; }
    }
}

/// <summary>What the telemetry queries read, before <see cref="ReportedMetrics"/> turns it into <see cref="ReportedTelemetry"/>.</summary>
internal sealed record TelemetryRows(
    List<EventTotalsRow> Events,
    List<PointCountsRow> Points,
    List<MetricTotalRow> Metrics,
    List<ToolDecisionCount> Decisions,
    List<ApiErrorCount> ApiErrors,
    List<TelemetryPerson> People);

internal sealed class EventTotalsRow
{
    public string? AgentType { get; init; }
    public bool IsTotal { get; init; }
    public long Events { get; init; }
    public double CostUsd { get; init; }
    public long InputTokens { get; init; }
    public long OutputTokens { get; init; }
    public long CacheReadTokens { get; init; }
    public long CacheCreationTokens { get; init; }
    public long Accepted { get; init; }
    public long Rejected { get; init; }
    public long ApiRequests { get; init; }
    public long ApiErrors { get; init; }
    public double? LatencyAverageMs { get; init; }
    public double? LatencyP50Ms { get; init; }
    public double? LatencyP95Ms { get; init; }
    public DateTimeOffset? FirstAt { get; init; }
    public DateTimeOffset? LastAt { get; init; }
}

internal sealed class PointCountsRow
{
    public string? AgentType { get; init; }
    public bool IsTotal { get; init; }
    public long Points { get; init; }
    public DateTimeOffset? FirstAt { get; init; }
    public DateTimeOffset? LastAt { get; init; }
}

internal sealed class MetricTotalRow
{
    public string? AgentType { get; init; }
    public string Metric { get; init; } = "";
    public string? Type { get; init; }
    public double Total { get; init; }
}
