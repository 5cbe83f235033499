namespace CatSyphon.Contracts;

/// <summary>
/// What the agents themselves reported over OTLP (never priced by CatSyphon): cost and tokens (Claude Code's metrics,
/// else its <c>api_request</c> events; Codex's <c>sse_event</c> token counts), active time, lines of code, commits and
/// pull requests, tool decisions, API calls, errors and latency. Sums follow each metric's temporality: delta points
/// add up, a cumulative series counts its latest point.
/// </summary>
public sealed record ReportedTelemetry
{
    public static readonly ReportedTelemetry None = new();

    public double CostUsd { get; init; }
    public long InputTokens { get; init; }
    public long OutputTokens { get; init; }
    public long CacheReadTokens { get; init; }
    public long CacheCreationTokens { get; init; }
    public double ActiveTimeUserSeconds { get; init; }
    public double ActiveTimeCliSeconds { get; init; }
    public long LinesAdded { get; init; }
    public long LinesRemoved { get; init; }
    public long Commits { get; init; }
    public long PullRequests { get; init; }
    public long ToolDecisionsAccepted { get; init; }
    public long ToolDecisionsRejected { get; init; }
    public long ApiRequests { get; init; }
    public long ApiErrors { get; init; }

    /// <summary>Of the successful API requests that reported a duration; null with none.</summary>
    public double? ApiLatencyAverageMs { get; init; }
    public double? ApiLatencyP50Ms { get; init; }
    public double? ApiLatencyP95Ms { get; init; }

    /// <summary>Telemetry records behind these numbers.</summary>
    public long Events { get; init; }
    public long MetricPoints { get; init; }
    public DateTimeOffset? FirstAt { get; init; }
    public DateTimeOffset? LastAt { get; init; }
}

/// <summary>One agent's reported totals (<c>claude-code</c>, <c>codex</c>; null for another OTLP source).</summary>
public sealed record AgentReportedTelemetry(string? AgentType, ReportedTelemetry Reported);

/// <summary>Tool decisions by outcome (<c>accept</c>, <c>reject</c>) and who decided (<c>config</c>, <c>hook</c>, <c>user_permanent</c>, <c>user</c>...).</summary>
public sealed record ToolDecisionCount(string Decision, string? Source, long Count);

/// <summary>Failed API calls by HTTP status (null: a network error without one).</summary>
public sealed record ApiErrorCount(int? StatusCode, long Count);

/// <summary>
/// A person as the telemetry names them (<c>user.email</c>, account id), with the CatSyphon account of the same email in
/// the workspace's organization when there is one.
/// </summary>
public sealed record TelemetryPerson(string? UserEmail, string? AccountId, Guid? UserId, string? DisplayName, long Records);

/// <summary>
/// A session's telemetry (<c>GET /api/conversations/{id}/telemetry</c>): the agent's reported numbers beside CatSyphon's own
/// totals (<c>Priced</c>: the transcript's tokens at CatSyphon's prices). <see cref="TelemetryOnly"/>: the session has sent telemetry and no transcript yet.
/// </summary>
public sealed record SessionTelemetry(
    Guid ConversationId,
    string SessionId,
    string? AgentType,
    bool TelemetryOnly,
    ReportedTelemetry Reported,
    PricedTotals Priced,
    IReadOnlyList<ToolDecisionCount> ToolDecisions,
    IReadOnlyList<ApiErrorCount> ApiErrors,
    IReadOnlyList<TelemetryPerson> People);

/// <summary>
/// A workspace's telemetry over a time range (<c>GET /api/stats/telemetry</c>), for the dashboard: reported totals overall
/// and per agent beside CatSyphon's own, decisions, errors and the people the telemetry names.
/// </summary>
public sealed record WorkspaceTelemetry(
    Guid WorkspaceId,
    DateTimeOffset? From,
    DateTimeOffset? To,
    long Sessions,
    long TelemetryOnlySessions,
    ReportedTelemetry Reported,
    PricedTotals Priced,
    IReadOnlyList<AgentReportedTelemetry> ByAgent,
    IReadOnlyList<ToolDecisionCount> ToolDecisions,
    IReadOnlyList<ApiErrorCount> ApiErrors,
    IReadOnlyList<TelemetryPerson> People);
