using System.Buffers;
using System.Text.Json;
using CatSyphon.Protocol;
using CatSyphon.Protocol.Parsing;
using CatSyphon.Protocol.Redaction;

namespace CatSyphon.Collector.Sync;

/// <summary>A parsed event with the sequence this collector gives it within its session.</summary>
public readonly record struct NumberedEvent(ParsedEvent Event, long Sequence);

public abstract record SendOutcome
{
    public sealed record Accepted(int Count, int Duplicates, long LastSequence) : SendOutcome;

    /// <summary>The server wants the session resent from <see cref="ExpectedSequence"/>.</summary>
    public sealed record Gap(long ExpectedSequence) : SendOutcome;

    public sealed record RetryLater(TimeSpan Wait) : SendOutcome;

    /// <summary>The server refused the batch for good (4xx): retrying the same events cannot help.</summary>
    public sealed record Refused(string Reason) : SendOutcome;
}

/// <summary>
/// Writes a <c>POST /collectors/events</c> body directly, the event data as the raw JSON the parser made with its secrets
/// redacted: nothing secret leaves the workstation, whatever the server does.
/// </summary>
internal static class EventBatchWriter
{
    public static byte[] Write(string sessionId, IReadOnlyList<NumberedEvent> events)
    {
        var buffer = new ArrayBufferWriter<byte>(events.Sum(e => e.Event.Data.Length) + events.Count * 200 + 64);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("session_id", sessionId);
            writer.WriteStartArray("events");
            foreach (var (parsed, sequence) in events)
            {
                writer.WriteStartObject();
                writer.WriteString("type", parsed.Type);
                writer.WriteString("emitted_at", ProtocolTimestamp.FormatCanonical(parsed.EmittedAt));
                writer.WriteNumber("sequence", sequence);
                writer.WriteString("event_hash", parsed.EventHash);
                writer.WritePropertyName("data");
                writer.WriteRawValue(JsonSecretRedaction.Redact(parsed.Data, SecretRedactor.Default, out _) ?? parsed.Data, skipInputValidation: true);
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }
}
