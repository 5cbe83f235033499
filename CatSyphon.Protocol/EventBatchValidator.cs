using System.Runtime.InteropServices;
using System.Text.Json;
using CatSyphon.Protocol.Internal;

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
/// <param name="EventHash">The dedup key: the client's <c>event_hash</c> (sanitized) or <see cref="Protocol.EventHash.Compute(ProtocolEventType, DateTimeOffset, JsonElement)"/>.</param>
/// <param name="IsClientHash">True when <paramref name="EventHash"/> came from the client.</param>
/// <param name="AuthorRole">Message events: a <see cref="AuthorRoles"/> constant (<c>user</c> normalized to <c>human</c>); else null.</param>
/// <param name="MessageType">Message events: a <see cref="MessageTypes"/> constant; else null.</param>
/// <param name="Data">The event's data as JSON text, sanitized (no U+0000, no lone surrogates), otherwise as sent; <c>{}</c> when absent.</param>
public sealed record NormalizedEvent(
    int Index,
    ProtocolEventType Type,
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
    public string TypeName => EventTypes.ToWire(Type);
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
        IReadOnlyList<string> warnings)
    {
        Status = status;
        SessionId = sessionId;
        Events = events;
        Errors = errors;
        Warnings = warnings;
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

    internal static EventBatchValidationResult Valid(string sessionId, NormalizedEvent[] events, List<string> warnings) =>
        new(EventBatchValidationStatus.Valid, sessionId, events, NoErrors, warnings);

    internal static EventBatchValidationResult Failed(EventBatchValidationStatus status, Dictionary<string, List<string>> errors) =>
        new(status, null, [], errors.ToDictionary(e => e.Key, e => e.Value.ToArray(), StringComparer.Ordinal), []);
}

/// <summary>
/// Validates and normalizes a <c>POST /collectors/events</c> body by the rules of the protocol:
/// 1..50 events, <c>session_id</c> 1..255 characters, known <c>type</c>, required data fields per type
/// (empty string counts as missing), allowed <c>author_role</c>/<c>message_type</c>, <c>event_hash</c>
/// 1..64 characters, parseable timestamps, sequences either on every event or on none, integers >= 1 and
/// consecutive. Pure and thread-safe.
/// </summary>
public static class EventBatchValidator
{
    private static readonly JsonElement EmptyObject = JsonDocument.Parse("{}").RootElement;

    private const int MaxEchoLength = 64;

    public static EventBatchValidationResult Validate(EventBatch? batch, int maxEvents = ProtocolLimits.MaxEventsPerBatch)
    {
        var errors = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        var events = batch?.Events;
        if (events is not null && events.Count > maxEvents)
        {
            Add(errors, "events", $"a batch holds at most {maxEvents} events; got {events.Count}");
            return EventBatchValidationResult.Failed(EventBatchValidationStatus.TooManyEvents, errors);
        }

        if (batch is null)
        {
            Add(errors, "$", "the body must be a JSON object with session_id and events");
            return EventBatchValidationResult.Failed(EventBatchValidationStatus.Invalid, errors);
        }

        var sessionId = batch.SessionId is null ? null : JsonStringCodec.Repair(batch.SessionId, out _);
        var sessionIdReplaced = batch.SessionId is null ? 0 : CountReplaced(batch.SessionId, sessionId!);
        if (string.IsNullOrEmpty(sessionId))
        {
            Add(errors, "session_id", "is required");
        }
        else if (sessionId.Length > ProtocolLimits.MaxSessionIdLength)
        {
            Add(errors, "session_id", $"must be at most {ProtocolLimits.MaxSessionIdLength} characters; got {sessionId.Length}");
        }

        if (events is null)
        {
            Add(errors, "events", "is required");
            return EventBatchValidationResult.Failed(EventBatchValidationStatus.Invalid, errors);
        }

        if (events.Count < ProtocolLimits.MinEventsPerBatch)
        {
            Add(errors, "events", $"must hold at least {ProtocolLimits.MinEventsPerBatch} event");
        }

        var checkedEvents = new Checked[events.Count];
        var withSequence = 0;
        var present = 0;
        for (var i = 0; i < events.Count; i++)
        {
            var e = events[i];
            if (e is null)
            {
                Add(errors, $"events[{i}]", "must be an object");
                continue;
            }

            present++;
            if (e.Sequence is not null)
            {
                withSequence++;
            }

            checkedEvents[i] = CheckEvent(i, e, errors);
        }

        if (withSequence > 0 && withSequence < present)
        {
            Add(errors, "events", "must not mix events with and without sequence");
        }
        else if (withSequence > 0)
        {
            CheckSequences(events, errors);
        }

        if (errors.Count > 0)
        {
            return EventBatchValidationResult.Failed(EventBatchValidationStatus.Invalid, errors);
        }

        // All valid: sanitize data and compute hashes (only now, so a rejected batch costs little).
        var warnings = new List<string>();
        if (sessionIdReplaced > 0)
        {
            warnings.Add(ProtocolText.ReplacementWarning("session_id", sessionIdReplaced));
        }

        var normalized = new NormalizedEvent[events.Count];
        for (var i = 0; i < events.Count; i++)
        {
            var c = checkedEvents[i];
            var e = events[i]!;
            if (c.HashReplaced > 0)
            {
                warnings.Add(ProtocolText.ReplacementWarning($"events[{i}].event_hash", c.HashReplaced));
            }

            var absent = e.Data.ValueKind is JsonValueKind.Undefined or JsonValueKind.Null;
            var data = absent ? EmptyObject : e.Data;
            var dataJson = absent ? "{}" : ProtocolJsonSanitizer.Sanitize(data, $"events[{i}].data", warnings);
            var hash = c.EventHash ?? EventHash.Compute(c.Type, c.EmittedAt, data);
            normalized[i] = new NormalizedEvent(
                i, c.Type, c.EmittedAt, c.ObservedAt, e.Sequence, hash, c.EventHash is not null, c.AuthorRole, c.MessageType, dataJson);
        }

        return EventBatchValidationResult.Valid(sessionId!, normalized, warnings);
    }

    /// <summary>
    /// Turns a <see cref="JsonException.Path"/> such as <c>$.events[0].sequence</c> into an error key
    /// (<c>events[0].sequence</c>); the root and unknown paths become <c>$</c>. For answering 422 when the
    /// body did not even deserialize (e.g. <c>"sequence": 1.5</c>).
    /// </summary>
    public static string ErrorKeyFromJsonPath(string? jsonPath)
    {
        if (string.IsNullOrEmpty(jsonPath) || jsonPath == "$")
        {
            return "$";
        }

        if (jsonPath.StartsWith("$.", StringComparison.Ordinal))
        {
            return jsonPath[2..];
        }

        return jsonPath.StartsWith('$') ? jsonPath[1..] : jsonPath;
    }

    private struct Checked
    {
        public ProtocolEventType Type;
        public DateTimeOffset EmittedAt;
        public DateTimeOffset? ObservedAt;
        public string? EventHash;
        public int HashReplaced;
        public string? AuthorRole;
        public string? MessageType;
    }

    private static Checked CheckEvent(int i, CollectorEvent e, Dictionary<string, List<string>> errors)
    {
        var c = default(Checked);
        var prefix = $"events[{i}]";

        var typeKnown = false;
        if (string.IsNullOrEmpty(e.Type))
        {
            Add(errors, $"{prefix}.type", "is required");
        }
        else if (EventTypes.TryParse(e.Type, out c.Type))
        {
            typeKnown = true;
        }
        else
        {
            Add(errors, $"{prefix}.type", $"unknown event type {Echo(e.Type)}; expected one of {string.Join(", ", EventTypes.All)}");
        }

        if (e.EmittedAt.ValueKind is JsonValueKind.Undefined or JsonValueKind.Null)
        {
            Add(errors, $"{prefix}.emitted_at", "is required");
        }
        else if (!ProtocolTimestamp.TryParse(e.EmittedAt, out c.EmittedAt))
        {
            Add(errors, $"{prefix}.emitted_at", "must be an ISO-8601 timestamp or unix seconds");
        }

        if (e.ObservedAt is { ValueKind: not (JsonValueKind.Undefined or JsonValueKind.Null) } observed)
        {
            if (ProtocolTimestamp.TryParse(observed, out var observedAt))
            {
                c.ObservedAt = observedAt;
            }
            else
            {
                Add(errors, $"{prefix}.observed_at", "must be an ISO-8601 timestamp or unix seconds");
            }
        }

        if (e.EventHash is not null)
        {
            var hash = JsonStringCodec.Repair(e.EventHash, out _);
            c.HashReplaced = CountReplaced(e.EventHash, hash);
            if (hash.Length is < 1 or > ProtocolLimits.MaxEventHashLength)
            {
                Add(errors, $"{prefix}.event_hash", $"must be 1..{ProtocolLimits.MaxEventHashLength} characters; got {hash.Length}");
            }
            else
            {
                c.EventHash = hash;
            }
        }

        var data = e.Data;
        if (data.ValueKind is JsonValueKind.Undefined or JsonValueKind.Null)
        {
            data = EmptyObject;
        }
        else if (data.ValueKind != JsonValueKind.Object)
        {
            Add(errors, $"{prefix}.data", "must be a JSON object");
            return c;
        }

        if (!typeKnown)
        {
            return c;
        }

        switch (c.Type)
        {
            case ProtocolEventType.SessionStart:
                RequiredString(data, "agent_type"u8, prefix, "agent_type", errors);
                break;

            case ProtocolEventType.Message:
            {
                var role = RequiredString(data, "author_role"u8, prefix, "author_role", errors);
                if (role is not null)
                {
                    if (AuthorRoles.TryNormalize(role, out var canonical))
                    {
                        c.AuthorRole = canonical;
                    }
                    else
                    {
                        Add(errors, $"{prefix}.data.author_role",
                            $"{Echo(role)} is not an author_role; expected one of {string.Join(", ", AuthorRoles.All)} (user is read as human)");
                    }
                }

                var messageType = RequiredString(data, "message_type"u8, prefix, "message_type", errors);
                if (messageType is not null)
                {
                    if (MessageTypes.TryNormalize(messageType, out var canonical))
                    {
                        c.MessageType = canonical;
                    }
                    else
                    {
                        Add(errors, $"{prefix}.data.message_type",
                            $"{Echo(messageType)} is not a message_type; expected one of {string.Join(", ", MessageTypes.All)}");
                    }
                }

                break;
            }

            case ProtocolEventType.ToolCall:
                RequiredString(data, "tool_name"u8, prefix, "tool_name", errors);
                RequiredString(data, "tool_use_id"u8, prefix, "tool_use_id", errors);
                break;

            case ProtocolEventType.ToolResult:
                RequiredString(data, "tool_use_id"u8, prefix, "tool_use_id", errors);
                break;

            case ProtocolEventType.SessionEnd:
                RequiredString(data, "outcome"u8, prefix, "outcome", errors);
                break;
        }

        return c;
    }

    private static void CheckSequences(IReadOnlyList<CollectorEvent?> events, Dictionary<string, List<string>> errors)
    {
        long? previous = null;
        for (var i = 0; i < events.Count; i++)
        {
            if (events[i]?.Sequence is not { } sequence)
            {
                previous = null; // a null event (already reported) breaks the chain
                continue;
            }

            if (sequence < 1)
            {
                Add(errors, $"events[{i}].sequence", "must be an integer >= 1");
                previous = null;
                continue;
            }

            if (previous is { } p && (p == long.MaxValue || sequence != p + 1))
            {
                Add(errors, $"events[{i}].sequence", $"must be {(p == long.MaxValue ? "representable" : (p + 1).ToString(System.Globalization.CultureInfo.InvariantCulture))}: sequences within a batch must be consecutive (previous was {p})");
            }

            previous = sequence;
        }
    }

    /// <summary>A non-empty string field of data, sanitized; adds an error and returns null otherwise.</summary>
    private static string? RequiredString(JsonElement data, ReadOnlySpan<byte> name, string prefix, string field, Dictionary<string, List<string>> errors)
    {
        if (!data.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            Add(errors, $"{prefix}.data.{field}", "is required");
            return null;
        }

        if (value.ValueKind != JsonValueKind.String)
        {
            Add(errors, $"{prefix}.data.{field}", "must be a string");
            return null;
        }

        var raw = JsonMarshal.GetRawUtf8Value(value);
        var text = JsonStringCodec.DecodeToString(raw[1..^1], repair: true, out _);
        if (text.Length == 0)
        {
            Add(errors, $"{prefix}.data.{field}", "is required (an empty string counts as missing)");
            return null;
        }

        return text;
    }

    private static int CountReplaced(string original, string repaired)
    {
        if (ReferenceEquals(original, repaired))
        {
            return 0;
        }

        var count = 0;
        for (var i = 0; i < original.Length; i++)
        {
            if (original[i] != repaired[i])
            {
                count++;
            }
        }

        return count;
    }

    private static string Echo(string value)
    {
        var clean = JsonStringCodec.Repair(value, out _);
        return clean.Length <= MaxEchoLength ? $"'{clean}'" : $"'{clean[..MaxEchoLength]}…'";
    }

    private static void Add(Dictionary<string, List<string>> errors, string key, string message)
    {
        if (!errors.TryGetValue(key, out var list))
        {
            errors[key] = list = [];
        }

        list.Add(message);
    }
}
