using System.Buffers;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.Encodings.Web;
using System.Text.Json;
using CatSyphon.Protocol;
using StackExchange.Redis;

namespace CatSyphon.ApiService.Ingestion;

/// <summary>
/// The per-event arguments of <see cref="SessionScripts.Accept"/>, packed into three values whatever the batch's size:
/// the dedup members side by side, the events' JSON side by side, and where each event's JSON ends. Each event's JSON
/// is written once, as UTF-8, into one buffer: a string per event (and its conversions) was most of what accepting a
/// batch cost the API, and four arguments per event most of what Redis spent reading the call.
/// </summary>
internal static class AcceptArguments
{
    /// <summary>
    /// Event data is JSON text inside a JSON string, so it is full of quotes: escaped as <c>\"</c> rather than the
    /// default <c>\u0022</c>, the buffered entries are a third smaller. The worker reads either the same.
    /// </summary>
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Room for an event's fields other than its data, before the buffer has to grow.</summary>
    private const int FieldsBytes = 256;

    /// <summary>
    /// Members (16 bytes per event), the events' JSON tails (each the event's JSON after its sequence value, starting
    /// with ','; the script writes <c>{"sequence":N</c> before it) and the ends of the tails (comma-separated byte offsets).
    /// </summary>
    public static (byte[] Members, ReadOnlyMemory<byte> Tails, string Ends) Pack(IReadOnlyList<NormalizedEvent> events)
    {
        const int MemberBytes = SessionDedupWindow.MemberBytes;
        var members = new byte[events.Count * MemberBytes];
        var capacity = 0;
        for (var i = 0; i < events.Count; i++)
        {
            SessionDedupWindow.WriteMember(events[i].EventHash, members.AsSpan(i * MemberBytes, MemberBytes));
            capacity += events[i].Data.Length + FieldsBytes;
        }

        var tails = new ArrayBufferWriter<byte>(capacity);
        var ends = new string[events.Count];
        using var writer = new Utf8JsonWriter(tails, WriterOptions);
        for (var i = 0; i < events.Count; i++)
        {
            var start = tails.WrittenCount;
            WriteEvent(writer, events[i]);
            writer.Flush();
            writer.Reset();
            // '{' becomes ',': the tail continues the object the script opened with "sequence".
            MemoryMarshal.AsMemory(tails.WrittenMemory).Span[start] = (byte)',';
            ends[i] = tails.WrittenCount.ToString(CultureInfo.InvariantCulture);
        }

        return (members, tails.WrittenMemory, string.Join(',', ends));
    }

    /// <summary>
    /// The first sequence of a sequenced batch: the validator has made its sequences consecutive, so the script
    /// counts on from it.
    /// </summary>
    public static RedisValue FirstSequence(IReadOnlyList<NormalizedEvent> events)
    {
        if (events[0].Sequence is not { } first)
        {
            return RedisValue.EmptyString;
        }

        for (var i = 1; i < events.Count; i++)
        {
            if (events[i].Sequence != first + i)
            {
                throw new InvalidOperationException($"Event {i} of a validated batch has sequence {events[i].Sequence}, not {first + i}.");
            }
        }

        return first;
    }

    private static void WriteEvent(Utf8JsonWriter writer, NormalizedEvent normalized)
    {
        writer.WriteStartObject();
        writer.WriteString("type", normalized.TypeName);
        writer.WriteString("event_hash", normalized.EventHash);
        writer.WriteString("emitted_at", ProtocolTimestamp.FormatCanonical(normalized.EmittedAt));
        if (normalized.ObservedAt is { } observedAt)
        {
            writer.WriteString("observed_at", ProtocolTimestamp.FormatCanonical(observedAt));
        }

        writer.WriteString("data", normalized.Data);
        if (normalized.AuthorRole is not null)
        {
            writer.WriteString("author_role", normalized.AuthorRole);
        }

        if (normalized.MessageType is not null)
        {
            writer.WriteString("message_type", normalized.MessageType);
        }

        writer.WriteEndObject();
    }
}
