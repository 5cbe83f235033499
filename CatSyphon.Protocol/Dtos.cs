using System.Text.Json;
using System.Text.Json.Serialization;
using CatSyphon.Protocol.Json;

namespace CatSyphon.Protocol;

// Wire DTOs of the collector protocol (docs/collector-protocol.md).
// Names, null-omission and converters are attached per property, so they hold whatever options the
// metadata is used with (e.g. ProtocolJsonContext inserted into ASP.NET's web options, whose camelCase
// policy would otherwise win). Inbound fields are nullable: validation, not deserialization, rejects absences.

/// <summary><c>POST /collectors/events</c> body.</summary>
public sealed record EventBatch(
    [property: JsonPropertyName("session_id"), JsonConverter(typeof(LenientStringConverter))] string? SessionId,
    [property: JsonPropertyName("events")] IReadOnlyList<CollectorEvent?>? Events);

/// <summary>One event of a batch. <c>emitted_at</c>/<c>observed_at</c> are ISO-8601 strings or unix-second numbers.</summary>
public sealed record CollectorEvent(
    [property: JsonPropertyName("type"), JsonConverter(typeof(LenientStringConverter))] string? Type,
    [property: JsonPropertyName("emitted_at")] JsonElement EmittedAt,
    [property: JsonPropertyName("observed_at"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] JsonElement? ObservedAt,
    [property: JsonPropertyName("sequence"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] long? Sequence,
    [property: JsonPropertyName("event_hash"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull), JsonConverter(typeof(LenientStringConverter))] string? EventHash,
    [property: JsonPropertyName("data")] JsonElement Data);

/// <summary><c>202</c> answer to an event batch.</summary>
public sealed record EventBatchAccepted(
    [property: JsonPropertyName("accepted")] int Accepted,
    [property: JsonPropertyName("duplicates")] int Duplicates,
    [property: JsonPropertyName("last_sequence")] long LastSequence,
    [property: JsonPropertyName("conversation_id")] Guid ConversationId,
    [property: JsonPropertyName("warnings")] string[] Warnings);

/// <summary><c>POST /collectors</c> body.</summary>
public sealed record RegisterCollectorRequest(
    [property: JsonPropertyName("collector_type"), JsonConverter(typeof(SanitizingStringConverter))] string? CollectorType,
    [property: JsonPropertyName("collector_version"), JsonConverter(typeof(SanitizingStringConverter))] string? CollectorVersion,
    [property: JsonPropertyName("hostname"), JsonConverter(typeof(SanitizingStringConverter))] string? Hostname,
    [property: JsonPropertyName("workspace_id")] Guid WorkspaceId,
    [property: JsonPropertyName("metadata"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] JsonElement? Metadata);

/// <summary><c>201</c> answer to a registration; the only time the key is shown.</summary>
public sealed record RegisterCollectorResponse(
    [property: JsonPropertyName("collector_id")] Guid CollectorId,
    [property: JsonPropertyName("api_key")] string ApiKey,
    [property: JsonPropertyName("api_key_prefix")] string ApiKeyPrefix,
    [property: JsonPropertyName("workspace_id")] Guid WorkspaceId,
    [property: JsonPropertyName("created_at"), JsonConverter(typeof(UtcTimestampConverter))] DateTimeOffset CreatedAt);

/// <summary><c>GET /collectors/{collector_id}</c> answer (the self-check).</summary>
public sealed record CollectorInfo(
    [property: JsonPropertyName("collector_id")] Guid CollectorId,
    [property: JsonPropertyName("workspace_id")] Guid WorkspaceId,
    [property: JsonPropertyName("collector_type")] string CollectorType,
    [property: JsonPropertyName("collector_version")] string CollectorVersion,
    [property: JsonPropertyName("hostname")] string Hostname,
    [property: JsonPropertyName("created_at"), JsonConverter(typeof(UtcTimestampConverter))] DateTimeOffset CreatedAt,
    [property: JsonPropertyName("last_seen_at"), JsonIgnore(Condition = JsonIgnoreCondition.Never), JsonConverter(typeof(NullableUtcTimestampConverter))] DateTimeOffset? LastSeenAt,
    [property: JsonPropertyName("active")] bool Active,
    [property: JsonPropertyName("revoked_at"), JsonIgnore(Condition = JsonIgnoreCondition.Never), JsonConverter(typeof(NullableUtcTimestampConverter))] DateTimeOffset? RevokedAt);

/// <summary>
/// <c>GET /collectors/sessions/{session_id}</c> answer; <c>status</c> is a <see cref="SessionStatuses"/> value.
/// <c>dead_letters</c> counts the session's batches that failed to persist and wait in the dead letters.
/// </summary>
public sealed record SessionStatus(
    [property: JsonPropertyName("session_id")] string SessionId,
    [property: JsonPropertyName("conversation_id")] Guid ConversationId,
    [property: JsonPropertyName("last_sequence")] long LastSequence,
    [property: JsonPropertyName("persisted_sequence")] long PersistedSequence,
    [property: JsonPropertyName("event_count")] long EventCount,
    [property: JsonPropertyName("first_event_at"), JsonIgnore(Condition = JsonIgnoreCondition.Never), JsonConverter(typeof(NullableUtcTimestampConverter))] DateTimeOffset? FirstEventAt,
    [property: JsonPropertyName("last_event_at"), JsonIgnore(Condition = JsonIgnoreCondition.Never), JsonConverter(typeof(NullableUtcTimestampConverter))] DateTimeOffset? LastEventAt,
    [property: JsonPropertyName("status")] string Status,
    [property: JsonPropertyName("dead_letters")] int DeadLetters = 0)
{
    /// <summary>PostgreSQL does not hold every accepted event yet (in flight, or stuck when <see cref="DeadLetters"/> &gt; 0).</summary>
    [JsonPropertyName("behind")]
    public bool Behind => PersistedSequence < LastSequence;
}

/// <summary><c>POST /collectors/heartbeat</c> body (every field optional).</summary>
public sealed record HeartbeatRequest(
    [property: JsonPropertyName("queue_depth"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] long? QueueDepth,
    [property: JsonPropertyName("version"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull), JsonConverter(typeof(SanitizingStringConverter))] string? Version,
    [property: JsonPropertyName("status"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull), JsonConverter(typeof(SanitizingStringConverter))] string? Status);

/// <summary><c>POST /collectors/heartbeat</c> answer.</summary>
public sealed record HeartbeatResponse(
    [property: JsonPropertyName("server_time"), JsonConverter(typeof(UtcTimestampConverter))] DateTimeOffset ServerTime);

/// <summary><c>POST /collectors/sessions/{session_id}/complete</c> body.</summary>
public sealed record CompleteSessionRequest(
    [property: JsonPropertyName("outcome"), JsonConverter(typeof(SanitizingStringConverter))] string? Outcome,
    [property: JsonPropertyName("summary"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull), JsonConverter(typeof(SanitizingStringConverter))] string? Summary,
    [property: JsonPropertyName("event_count"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] long? EventCount,
    [property: JsonPropertyName("final_sequence"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] long? FinalSequence);

/// <summary><c>POST /collectors/sessions/{session_id}/complete</c> answer.</summary>
public sealed record CompleteSessionResponse(
    [property: JsonPropertyName("session_id")] string SessionId,
    [property: JsonPropertyName("conversation_id")] Guid ConversationId,
    [property: JsonPropertyName("status")] string Status,
    [property: JsonPropertyName("total_events")] long TotalEvents);
