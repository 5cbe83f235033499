namespace CatSyphon.ApiService.Apis.Query.Telemetry;

/// <summary>
/// Turns the telemetry rows into <see cref="ReportedTelemetry"/>, per agent and overall. Cost and tokens come from an
/// agent's metrics when it sent any (Claude Code's <c>cost.usage</c> and <c>token.usage</c>), else from its events
/// (Claude Code's <c>api_request</c>, Codex's <c>sse_event</c>): never both, which would count each request twice.
/// </summary>
internal static class ReportedMetrics
{
    private const string Cost = "claude_code.cost.usage";
    private const string Tokens = "claude_code.token.usage";
    private const string ActiveTime = "claude_code.active_time.total";
    private const string Lines = "claude_code.lines_of_code.count";
    private const string Commits = "claude_code.commit.count";
    private const string PullRequests = "claude_code.pull_request.count";

    /// <summary>The metrics the totals read.</summary>
    public static readonly string[] Names = [Cost, Tokens, ActiveTime, Lines, Commits, PullRequests];

    public static (ReportedTelemetry Total, List<AgentReportedTelemetry> ByAgent) From(TelemetryRows rows)
    {
        var agents = rows.Events.Where(r => !r.IsTotal).Select(r => r.AgentType)
            .Concat(rows.Points.Where(r => !r.IsTotal).Select(r => r.AgentType))
            .Distinct()
            .Order(StringComparer.Ordinal)
            .ToList();
        var byAgent = agents.Select(agent => new AgentReportedTelemetry(agent, Of(rows, agent))).ToList();
        var events = rows.Events.FirstOrDefault(r => r.IsTotal);
        var points = rows.Points.FirstOrDefault(r => r.IsTotal);
        var total = byAgent.Select(a => a.Reported).Aggregate(ReportedTelemetry.None, Add) with
        {
            // Not additive over agents: read over all of them at once.
            ApiLatencyAverageMs = events?.LatencyAverageMs,
            ApiLatencyP50Ms = events?.LatencyP50Ms,
            ApiLatencyP95Ms = events?.LatencyP95Ms,
            FirstAt = Earliest(events?.FirstAt, points?.FirstAt),
            LastAt = Latest(events?.LastAt, points?.LastAt),
        };
        return (total, byAgent);
    }

    private static ReportedTelemetry Of(TelemetryRows rows, string? agent)
    {
        var events = rows.Events.FirstOrDefault(r => !r.IsTotal && r.AgentType == agent) ?? new EventTotalsRow();
        var points = rows.Points.FirstOrDefault(r => !r.IsTotal && r.AgentType == agent) ?? new PointCountsRow();
        var metrics = rows.Metrics.Where(r => r.AgentType == agent).ToList();
        double Sum(string metric, params string[] types) =>
            metrics.Where(r => r.Metric == metric && (types.Length == 0 || types.Contains(r.Type))).Sum(r => r.Total);
        var fromMetrics = metrics.Any(r => r.Metric is Cost or Tokens);
        return new ReportedTelemetry
        {
            CostUsd = fromMetrics ? Sum(Cost) : events.CostUsd,
            InputTokens = fromMetrics ? (long)Sum(Tokens, "input") : events.InputTokens,
            OutputTokens = fromMetrics ? (long)Sum(Tokens, "output") : events.OutputTokens,
            // Older guides spell the types cache_read and cache_creation.
            CacheReadTokens = fromMetrics ? (long)Sum(Tokens, "cacheRead", "cache_read") : events.CacheReadTokens,
            CacheCreationTokens = fromMetrics ? (long)Sum(Tokens, "cacheCreation", "cache_creation") : events.CacheCreationTokens,
            ActiveTimeUserSeconds = Sum(ActiveTime, "user"),
            ActiveTimeCliSeconds = Sum(ActiveTime, "cli"),
            LinesAdded = (long)Sum(Lines, "added"),
            LinesRemoved = (long)Sum(Lines, "removed"),
            Commits = (long)Sum(Commits),
            PullRequests = (long)Sum(PullRequests),
            ToolDecisionsAccepted = events.Accepted,
            ToolDecisionsRejected = events.Rejected,
            ApiRequests = events.ApiRequests,
            ApiErrors = events.ApiErrors,
            ApiLatencyAverageMs = events.LatencyAverageMs,
            ApiLatencyP50Ms = events.LatencyP50Ms,
            ApiLatencyP95Ms = events.LatencyP95Ms,
            Events = events.Events,
            MetricPoints = points.Points,
            FirstAt = Earliest(events.FirstAt, points.FirstAt),
            LastAt = Latest(events.LastAt, points.LastAt),
        };
    }

    private static ReportedTelemetry Add(ReportedTelemetry sum, ReportedTelemetry one) => sum with
    {
        CostUsd = sum.CostUsd + one.CostUsd,
        InputTokens = sum.InputTokens + one.InputTokens,
        OutputTokens = sum.OutputTokens + one.OutputTokens,
        CacheReadTokens = sum.CacheReadTokens + one.CacheReadTokens,
        CacheCreationTokens = sum.CacheCreationTokens + one.CacheCreationTokens,
        ActiveTimeUserSeconds = sum.ActiveTimeUserSeconds + one.ActiveTimeUserSeconds,
        ActiveTimeCliSeconds = sum.ActiveTimeCliSeconds + one.ActiveTimeCliSeconds,
        LinesAdded = sum.LinesAdded + one.LinesAdded,
        LinesRemoved = sum.LinesRemoved + one.LinesRemoved,
        Commits = sum.Commits + one.Commits,
        PullRequests = sum.PullRequests + one.PullRequests,
        ToolDecisionsAccepted = sum.ToolDecisionsAccepted + one.ToolDecisionsAccepted,
        ToolDecisionsRejected = sum.ToolDecisionsRejected + one.ToolDecisionsRejected,
        ApiRequests = sum.ApiRequests + one.ApiRequests,
        ApiErrors = sum.ApiErrors + one.ApiErrors,
        Events = sum.Events + one.Events,
        MetricPoints = sum.MetricPoints + one.MetricPoints,
    };

    private static DateTimeOffset? Earliest(DateTimeOffset? a, DateTimeOffset? b) => a is null ? b : b is null ? a : a < b ? a : b;

    private static DateTimeOffset? Latest(DateTimeOffset? a, DateTimeOffset? b) => a is null ? b : b is null ? a : a > b ? a : b;
}
