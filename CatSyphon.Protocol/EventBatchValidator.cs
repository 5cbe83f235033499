using System.Diagnostics.CodeAnalysis;
using System.Runtime.InteropServices;
using System.Text.Json;
using CatSyphon.Protocol.Internal;
using CatSyphon.Protocol.Redaction;

namespace CatSyphon.Protocol;

/// <summary>
/// Validates and normalizes a <c>POST /collectors/events</c> body by the rules of the protocol:
/// 1..50 events, <c>session_id</c> 1..255 characters, known <c>type</c>, required data fields per type
/// (empty string counts as missing), allowed <c>author_role</c>/<c>message_type</c>, <c>event_hash</c>
/// 1..64 characters, parseable timestamps, sequences either on every event or on none, integers >= 1 and
/// consecutive, and the value limits of <see cref="EventValueLimits"/>. Pure and thread-safe.
/// </summary>
public static class EventBatchValidator
{
    private static readonly JsonElement EmptyObject = JsonDocument.Parse("{}").RootElement;

    private const int MaxEchoLength = 64;

    /// <param name="batch">The body as deserialized; null when it was JSON <c>null</c>.</param>
    /// <param name="now">The server's clock: timestamps may be up to 24 hours after it.</param>
    /// <param name="maxEvents">More events is <see cref="EventBatchValidationStatus.TooManyEvents"/>.</param>
    /// <param name="redactor">
    /// Redacts the secrets in every event's data before anything is kept; the server's event hash is computed over the
    /// redacted data, so the same event redacted by its collector first hashes the same.
    /// </param>
    public static EventBatchValidationResult Validate(
        EventBatch? batch, DateTimeOffset now, int maxEvents = ProtocolLimits.MaxEventsPerBatch, SecretRedactor? redactor = null)
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

            checkedEvents[i] = CheckEvent(i, e, now, errors);
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
        var redacted = 0;
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
            if (redactor is not null && !absent)
            {
                dataJson = RedactData(dataJson, redactor, ref data, ref redacted);
            }

            var hash = c.EventHash ?? EventHash.Compute(c.Type, c.EmittedAt, data);
            normalized[i] = new NormalizedEvent(
                i, c.Type, c.EmittedAt, c.ObservedAt, e.Sequence, hash, c.EventHash is not null, c.AuthorRole, c.MessageType, dataJson);
        }

        return EventBatchValidationResult.Valid(sessionId!, normalized, warnings, redacted);
    }

    /// <summary>The data's JSON with its secrets redacted, and <paramref name="data"/> parsed again from it when that changed anything.</summary>
    private static string RedactData(string dataJson, SecretRedactor redactor, ref JsonElement data, ref int redacted)
    {
        var redactedJson = JsonSecretRedaction.Redact(dataJson, redactor, out var count);
        if (count > 0)
        {
            using var document = JsonDocument.Parse(redactedJson);
            data = document.RootElement.Clone();
            redacted += count;
        }

        return redactedJson;
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
        public EventType Type;
        public DateTimeOffset EmittedAt;
        public DateTimeOffset? ObservedAt;
        public string? EventHash;
        public int HashReplaced;
        public string? AuthorRole;
        public string? MessageType;
    }

    /// <summary>
    /// What the server would refuse in one event a parser made, keyed like <c>events[0].data.model</c>; empty when
    /// nothing. Lets the collector's sync and the uploads skip such an event instead of having its batch refused.
    /// </summary>
    public static IReadOnlyDictionary<string, string[]> CheckParsedEvent(string type, DateTimeOffset emittedAt, JsonElement data, DateTimeOffset now)
    {
        var errors = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        const string prefix = "events[0]";
        var c = default(Checked);
        EventValueLimits.CheckTimestamp(emittedAt, now, prefix, "emitted_at", errors);
        CheckTypeAndData(type, data, prefix, ref c, errors);
        return errors.ToDictionary(e => e.Key, e => e.Value.ToArray(), StringComparer.Ordinal);
    }

    private static Checked CheckEvent(int i, CollectorEvent e, DateTimeOffset now, Dictionary<string, List<string>> errors)
    {
        var c = default(Checked);
        var prefix = $"events[{i}]";

        if (e.EmittedAt.ValueKind is JsonValueKind.Undefined or JsonValueKind.Null)
        {
            Add(errors, $"{prefix}.emitted_at", "is required");
        }
        else if (!ProtocolTimestamp.TryParse(e.EmittedAt, out c.EmittedAt))
        {
            Add(errors, $"{prefix}.emitted_at", "must be an ISO-8601 timestamp or unix seconds");
        }
        else
        {
            EventValueLimits.CheckTimestamp(c.EmittedAt, now, prefix, "emitted_at", errors);
        }

        if (e.ObservedAt is { ValueKind: not (JsonValueKind.Undefined or JsonValueKind.Null) } observed)
        {
            if (ProtocolTimestamp.TryParse(observed, out var observedAt))
            {
                c.ObservedAt = observedAt;
                EventValueLimits.CheckTimestamp(observedAt, now, prefix, "observed_at", errors);
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

        CheckTypeAndData(e.Type, e.Data, prefix, ref c, errors);
        return c;
    }

    /// <summary>The event's type, its data's required fields by type, and the data's value limits.</summary>
    private static void CheckTypeAndData(string? type, JsonElement data, string prefix, ref Checked c, Dictionary<string, List<string>> errors)
    {
        var typeKnown = false;
        if (string.IsNullOrEmpty(type))
        {
            Add(errors, $"{prefix}.type", "is required");
        }
        else if (WireName.TryParse<EventType>(type, out var parsedType))
        {
            c.Type = parsedType.Value;
            typeKnown = true;
        }
        else
        {
            Add(errors, $"{prefix}.type", $"unknown event type {Echo(type)}; expected one of {string.Join(", ", WireName.All<EventType>())}");
        }

        if (data.ValueKind is JsonValueKind.Undefined or JsonValueKind.Null)
        {
            data = EmptyObject;
        }
        else if (data.ValueKind != JsonValueKind.Object)
        {
            Add(errors, $"{prefix}.data", "must be a JSON object");
            return;
        }

        EventValueLimits.CheckData(data, prefix, errors);
        if (!typeKnown)
        {
            return;
        }

        switch (c.Type)
        {
            case EventType.SessionStart:
                RequiredString(data, EventFields.AgentType, prefix, errors);
                break;

            case EventType.Message:
                c.AuthorRole = RequiredWord<AuthorRole>(data, EventFields.AuthorRole, "an", AuthorRoles.TryParse, " (user is read as human)", prefix, errors);
                c.MessageType = RequiredWord<MessageType>(data, EventFields.MessageType, "a", WireName.TryParse, "", prefix, errors);
                break;

            case EventType.ToolCall:
                RequiredString(data, EventFields.ToolName, prefix, errors);
                RequiredString(data, EventFields.ToolUseId, prefix, errors);
                break;

            case EventType.ToolResult:
                RequiredString(data, EventFields.ToolUseId, prefix, errors);
                break;

            case EventType.SessionEnd:
                RequiredString(data, EventFields.Outcome, prefix, errors);
                break;
        }
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

            if (sequence is < 1 or > ProtocolLimits.MaxSequence)
            {
                Add(errors, $"events[{i}].sequence", $"must be an integer from 1 to {ProtocolLimits.MaxSequence}");
                previous = null;
                continue;
            }

            if (previous is { } p && sequence != p + 1)
            {
                Add(errors, $"events[{i}].sequence", $"must be {p + 1}: sequences within a batch must be consecutive (previous was {p})");
            }

            previous = sequence;
        }
    }

    /// <summary>A non-empty string field of data, sanitized; adds an error and returns null otherwise.</summary>
    private static string? RequiredString(JsonElement data, string field, string prefix, Dictionary<string, List<string>> errors)
    {
        if (!data.TryGetProperty(field, out var value) || value.ValueKind == JsonValueKind.Null)
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

    private delegate bool WordParser<TWord>(string? text, [NotNullWhen(true)] out TWord? word)
        where TWord : struct, Enum;

    /// <summary>
    /// A required field that takes a word of the vocabulary: its wire name, or null when it is absent (reported by
    /// <see cref="RequiredString"/>) or not a word of it (reported with the words it may be).
    /// </summary>
    private static string? RequiredWord<TWord>(
        JsonElement data, string field, string article, WordParser<TWord> parse, string note, string prefix, Dictionary<string, List<string>> errors)
        where TWord : struct, Enum
    {
        var value = RequiredString(data, field, prefix, errors);
        if (value is null)
        {
            return null;
        }

        if (parse(value, out var word))
        {
            return WireName.Of(word.Value);
        }

        Add(errors, $"{prefix}.data.{field}", $"{Echo(value)} is not {article} {field}; expected one of {string.Join(", ", WireName.All<TWord>())}{note}");
        return null;
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

    internal static void Add(Dictionary<string, List<string>> errors, string key, string message)
    {
        if (!errors.TryGetValue(key, out var list))
        {
            errors[key] = list = [];
        }

        list.Add(message);
    }
}
