using System.Text.Json;
using System.Text.Json.Serialization;

namespace CatSyphon.Telemetry;

/// <summary>
/// One agent event (an OTLP log record), normalised whatever the agent and the encoding: its short name
/// (<c>api_request</c>, not <c>claude_code.api_request</c>), the session it belongs to, who sent it, and the measures the
/// pages read, coerced from whatever type the agent sent them as. <see cref="Attributes"/> keeps the rest, bounded.
/// </summary>
public sealed record TelemetryEvent
{
    /// <summary>An <c>AgentTypes</c> value (<c>claude-code</c>, <c>codex</c>), or null for another OTLP source.</summary>
    public string? Agent { get; init; }

    public required string Name { get; init; }

    /// <summary>Claude Code's <c>session.id</c>, Codex's <c>conversation.id</c>: the session id its transcript has.</summary>
    public string? SessionId { get; init; }

    public required DateTimeOffset OccurredAt { get; init; }

    public string? UserEmail { get; init; }

    /// <summary><c>user.account_uuid</c>, else <c>user.account_id</c>.</summary>
    public string? AccountId { get; init; }

    public string? Model { get; init; }

    public string? ToolName { get; init; }

    /// <summary>Tool decisions only: <see cref="TelemetryDecisions.Accept"/> or <see cref="TelemetryDecisions.Reject"/>.</summary>
    public string? Decision { get; init; }

    /// <summary>Who decided (<c>config</c>, <c>hook</c>, <c>user_permanent</c>, <c>user</c>...).</summary>
    public string? DecisionSource { get; init; }

    public bool? Success { get; init; }

    /// <summary>An API call that failed (Claude's <c>api_error</c>, a Codex <c>api_request</c> with an error status or message).</summary>
    public bool IsApiError { get; init; }

    public double? DurationMs { get; init; }

    public int? StatusCode { get; init; }

    public double? CostUsd { get; init; }

    public long? InputTokens { get; init; }

    public long? OutputTokens { get; init; }

    public long? CacheReadTokens { get; init; }

    public long? CacheCreationTokens { get; init; }

    /// <summary>The other attributes (resource and record), as a JSON object of strings, numbers and booleans.</summary>
    public required string Attributes { get; init; }
}

/// <summary>How a sum's points add up (OTLP's <c>AggregationTemporality</c>).</summary>
public enum TelemetryTemporality
{
    Unspecified = 0,

    /// <summary>Each point counts what happened since the previous one: totals add the points.</summary>
    Delta = 1,

    /// <summary>Each point is the running total since its start time: totals take the latest point of each series.</summary>
    Cumulative = 2,
}

public enum TelemetryPointKind
{
    Sum,
    Gauge,
    Histogram,
}

/// <summary>One metric data point, normalised: its value (a histogram's sum, with its count), temporality and series.</summary>
public sealed record TelemetryPoint
{
    public string? Agent { get; init; }

    /// <summary>The metric's full name (<c>claude_code.cost.usage</c>).</summary>
    public required string Metric { get; init; }

    public string? Unit { get; init; }

    public required TelemetryPointKind Kind { get; init; }

    public required TelemetryTemporality Temporality { get; init; }

    public string? SessionId { get; init; }

    public DateTimeOffset? StartTime { get; init; }

    public required DateTimeOffset Time { get; init; }

    public required double Value { get; init; }

    /// <summary>Histograms: how many measurements <see cref="Value"/> sums.</summary>
    public long? Count { get; init; }

    /// <summary>Identifies the series (metric, kind and every attribute): cumulative totals take the latest point of each.</summary>
    public required string SeriesKey { get; init; }

    public string? UserEmail { get; init; }

    public string? AccountId { get; init; }

    /// <summary>The point's <c>type</c> (tokens: <c>input</c>, <c>cacheRead</c>...; lines: <c>added</c>...), or Codex's <c>token_type</c>.</summary>
    public string? Type { get; init; }

    public string? Model { get; init; }

    public string? Decision { get; init; }

    public string? DecisionSource { get; init; }

    public string? ToolName { get; init; }

    public required string Attributes { get; init; }
}

/// <summary>The normalised decisions of tool-decision events and metrics.</summary>
public static class TelemetryDecisions
{
    public const string Accept = "accept";
    public const string Reject = "reject";
}

/// <summary>One accepted OTLP request as the API buffers it in Redis and the worker persists it.</summary>
public sealed record TelemetryBatch
{
    /// <summary>Unique per request: with each record's position, what makes a replayed stream entry store nothing twice.</summary>
    public required Guid Id { get; init; }

    public required Guid WorkspaceId { get; init; }

    public required Guid CollectorId { get; init; }

    public required DateTimeOffset ReceivedAt { get; init; }

    public IReadOnlyList<TelemetryEvent> Events { get; init; } = [];

    public IReadOnlyList<TelemetryPoint> Points { get; init; } = [];
}

[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    UseStringEnumConverter = true)]
[JsonSerializable(typeof(TelemetryBatch))]
internal sealed partial class TelemetryJsonContext : JsonSerializerContext;

public static class TelemetryBatchSerializer
{
    public static byte[] Serialize(TelemetryBatch batch) => JsonSerializer.SerializeToUtf8Bytes(batch, TelemetryJsonContext.Default.TelemetryBatch);

    public static TelemetryBatch Deserialize(ReadOnlySpan<byte> utf8) =>
        JsonSerializer.Deserialize(utf8, TelemetryJsonContext.Default.TelemetryBatch)
        ?? throw new JsonException("A buffered telemetry batch was empty.");
}
