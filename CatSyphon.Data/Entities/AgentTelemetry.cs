namespace CatSyphon.Data;

/// <summary>
/// What an agent row of telemetry shares: its workspace, the collector whose key sent it, the request it came in
/// (<see cref="BatchId"/> and its position there: a replayed stream entry stores nothing twice), and the session and
/// person it names. Rows join their conversation by (workspace, <see cref="SessionId"/>), whichever arrives first.
/// </summary>
public abstract class AgentTelemetryRow
{
    public long Id { get; set; }

    public Guid WorkspaceId { get; set; }

    public Workspace? Workspace { get; set; }

    public Guid? CollectorId { get; set; }

    public Collector? Collector { get; set; }

    public Guid BatchId { get; set; }

    public int Ordinal { get; set; }

    /// <summary><c>claude-code</c>, <c>codex</c>, or null for another OTLP source.</summary>
    public string? AgentType { get; set; }

    /// <summary>Claude Code's <c>session.id</c> or Codex's <c>conversation.id</c>: the session id of its transcript.</summary>
    public string? SessionId { get; set; }

    /// <summary>Personal data, like the accounts it links to (<c>user.email</c>).</summary>
    public string? UserEmail { get; set; }

    /// <summary><c>user.account_uuid</c>, else <c>user.account_id</c>.</summary>
    public string? AccountId { get; set; }

    public string? Model { get; set; }

    public string? ToolName { get; set; }

    /// <summary>Tool decisions: <c>accept</c> or <c>reject</c>.</summary>
    public string? Decision { get; set; }

    public string? DecisionSource { get; set; }

    /// <summary>The other attributes, bounded (jsonb).</summary>
    public required string Attributes { get; set; }

    public DateTimeOffset ReceivedAt { get; set; }
}

/// <summary>One agent event received over OTLP (<c>api_request</c>, <c>tool_decision</c>...), with the measures the pages read.</summary>
public class AgentTelemetryEvent : AgentTelemetryRow
{
    /// <summary>Without the agent's prefix: <c>api_request</c>, not <c>claude_code.api_request</c>.</summary>
    public required string Name { get; set; }

    public DateTimeOffset OccurredAt { get; set; }

    public bool? Success { get; set; }

    public bool IsApiError { get; set; }

    public double? DurationMs { get; set; }

    public int? StatusCode { get; set; }

    public double? CostUsd { get; set; }

    public long? InputTokens { get; set; }

    public long? OutputTokens { get; set; }

    public long? CacheReadTokens { get; set; }

    public long? CacheCreationTokens { get; set; }
}

/// <summary>One metric data point received over OTLP; totals follow its <see cref="Temporality"/> (see the query API).</summary>
public class AgentTelemetryPoint : AgentTelemetryRow
{
    /// <summary>The full metric name (<c>claude_code.cost.usage</c>).</summary>
    public required string Metric { get; set; }

    public string? Unit { get; set; }

    /// <summary><c>sum</c>, <c>gauge</c> or <c>histogram</c>.</summary>
    public required string Kind { get; set; }

    /// <summary>OTLP's: 0 unspecified, 1 delta (add the points), 2 cumulative (take each series' latest point).</summary>
    public short Temporality { get; set; }

    public DateTimeOffset? StartTime { get; set; }

    public DateTimeOffset Time { get; set; }

    /// <summary>The point's value; a histogram's sum.</summary>
    public double Value { get; set; }

    /// <summary>Histograms: how many measurements <see cref="Value"/> sums.</summary>
    public long? Count { get; set; }

    /// <summary>A hash of the metric and every attribute: the series a cumulative point is the running total of.</summary>
    public required string SeriesKey { get; set; }

    /// <summary><c>type</c> (tokens: <c>input</c>, <c>cacheRead</c>...; lines: <c>added</c>, <c>removed</c>...) or Codex's <c>token_type</c>.</summary>
    public string? Type { get; set; }
}
