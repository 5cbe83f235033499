using System.Text.Json;

namespace CatSyphon.Protocol;

/// <summary>Outcome kind of <see cref="EventBatchValidator.Validate"/>.</summary>
public enum EventBatchValidationStatus
{
    /// <summary>Every event is valid; <see cref="EventBatchValidationResult.Events"/> holds them normalized.</summary>
    Valid,

    /// <summary>At least one rule failed: answer 422 with <see cref="EventBatchValidationResult.Errors"/>.</summary>
    Invalid,

    /// <summary>More than the allowed number of events: answer 413. Nothing else was checked.</summary>
    TooManyEvents,
}

/// <summary>A validated event, ready to buffer and store.</summary>
/// <param name="Index">Position in the batch.</param>
/// <param name="Type">The event type.</param>
/// <param name="EmittedAt">UTC.</param>
/// <param name="ObservedAt">UTC, when given.</param>
/// <param name="Sequence">The client's sequence, when given (all events of a valid batch have one, or none has).</param>
/// <param name="EventHash">The dedup key: the client's <c>event_hash</c> (sanitized) or <see cref="Protocol.EventHash.Compute(EventType, DateTimeOffset, JsonElement)"/>.</param>
/// <param name="IsClientHash">True when <paramref name="EventHash"/> came from the client.</param>
/// <param name="AuthorRole">Message events: the wire name of an <see cref="Protocol.AuthorRole"/> (<c>user</c> normalized to <c>human</c>); else null.</param>
/// <param name="MessageType">Message events: the wire name of a <see cref="Protocol.MessageType"/>; else null.</param>
/// <param name="Data">The event's data as JSON text, sanitized (no U+0000, no lone surrogates), otherwise as sent; <c>{}</c> when absent.</param>
public sealed record NormalizedEvent(
    int Index,
    EventType Type,
    DateTimeOffset EmittedAt,
    DateTimeOffset? ObservedAt,
    long? Sequence,
    string EventHash,
    bool IsClientHash,
    string? AuthorRole,
    string? MessageType,
    string Data)
{
    /// <summary>The wire name of <see cref="Type"/>.</summary>
    public string TypeName => WireName.Of(Type);
}

/// <summary>Result of <see cref="EventBatchValidator.Validate"/>: all-or-nothing.</summary>
public sealed class EventBatchValidationResult
{
    private static readonly IReadOnlyDictionary<string, string[]> NoErrors = new Dictionary<string, string[]>();

    private EventBatchValidationResult(
        EventBatchValidationStatus status,
        string? sessionId,
        IReadOnlyList<NormalizedEvent> events,
        IReadOnlyDictionary<string, string[]> errors,
        IReadOnlyList<string> warnings,
        int redactedSecrets = 0)
    {
        Status = status;
        SessionId = sessionId;
        Events = events;
        Errors = errors;
        Warnings = warnings;
        RedactedSecrets = redactedSecrets;
    }

    public EventBatchValidationStatus Status { get; }

    public bool IsValid => Status == EventBatchValidationStatus.Valid;

    /// <summary>The sanitized <c>session_id</c> when valid; otherwise null.</summary>
    public string? SessionId { get; }

    /// <summary>The normalized events in batch order when valid; otherwise empty.</summary>
    public IReadOnlyList<NormalizedEvent> Events { get; }

    /// <summary>True when the (valid) batch's events carry client sequences.</summary>
    public bool HasSequences => Events.Count > 0 && Events[0].Sequence is not null;

    /// <summary>Field -> messages for a problem-details <c>errors</c> map (keys like <c>events[3].data.tool_use_id</c>); empty when valid.</summary>
    public IReadOnlyDictionary<string, string[]> Errors { get; }

    /// <summary>Non-fatal notes for the 202 answer (replaced characters); empty unless valid.</summary>
    public IReadOnlyList<string> Warnings { get; }

    /// <summary>Secrets replaced by markers in the events' data (when validated with a redactor).</summary>
    public int RedactedSecrets { get; }

    internal static EventBatchValidationResult Valid(string sessionId, NormalizedEvent[] events, List<string> warnings, int redactedSecrets) =>
        new(EventBatchValidationStatus.Valid, sessionId, events, NoErrors, warnings, redactedSecrets);

    internal static EventBatchValidationResult Failed(EventBatchValidationStatus status, Dictionary<string, List<string>> errors) =>
        new(status, null, [], errors.ToDictionary(e => e.Key, e => e.Value.ToArray(), StringComparer.Ordinal), []);
}
