using System.Security.Cryptography;
using System.Text;

namespace CatSyphon.LoadTest;

/// <summary>Realistic batches: alternating prompts and responses with ~N bytes of content and token usage, sequenced.</summary>
internal static class EventPayload
{
    private static readonly DateTimeOffset Start = new(2026, 11, 1, 9, 0, 0, TimeSpan.Zero);
    private const string Words = "the quick brown fox refactors the parser while the worker persists batches into postgres and redis keeps order ";

    public static byte[] Batch(string sessionId, int fromSequence, int count, int contentBytes)
    {
        var json = new StringBuilder(count * (contentBytes + 300));
        json.Append("{\"session_id\":\"").Append(sessionId).Append("\",\"events\":[");
        for (var sequence = fromSequence; sequence < fromSequence + count; sequence++)
        {
            if (sequence > fromSequence)
            {
                json.Append(',');
            }

            var emitted = EmittedAt(sequence).ToString("yyyy-MM-ddTHH:mm:ss.fffZ");
            if (sequence == 1)
            {
                json.Append("{\"type\":\"session_start\",\"sequence\":1,\"emitted_at\":\"").Append(emitted)
                    .Append("\",\"data\":{\"agent_type\":\"claude-code\",\"agent_version\":\"2.1.0\",\"working_directory\":\"/home/dev/projects/load\",\"git_branch\":\"main\"}}");
                continue;
            }

            json.Append("{\"type\":\"message\",\"sequence\":").Append(sequence).Append(",\"emitted_at\":\"").Append(emitted).Append("\",\"data\":");
            AppendMessageData(json, sessionId, sequence, contentBytes);
            json.Append('}');
        }

        return Encoding.UTF8.GetBytes(json.Append("]}").ToString());
    }

    /// <summary>
    /// The <c>event_hash</c> of a message row written straight into PostgreSQL (copy-ceiling, seed-search): unique per
    /// conversation key and sequence, as the worker's hashes are, and as long.
    /// </summary>
    public static string RowHash(string conversationKey, long sequence) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{conversationKey}:{sequence}")));

    /// <summary>Odd sequences are the assistant's responses, with a model and token usage; even ones the human's prompts.</summary>
    private static bool IsAssistant(int sequence) => sequence % 2 == 1;

    /// <summary>
    /// Who says message event <paramref name="sequence"/> and, for a response, its model and token usage: one
    /// definition for the events the load sends and the rows the copy-ceiling mode writes.
    /// </summary>
    public static MessageShape MessageOf(int sequence) => IsAssistant(sequence)
        ? new("assistant", "response", new("claude-sonnet-4-5", sequence % 97, sequence % 389, sequence % 4099))
        : new("human", "prompt", null);

    public static DateTimeOffset EmittedAt(int sequence) => Start.AddMilliseconds(sequence * 250);

    /// <summary>The data object of message event <paramref name="sequence"/> (the copy-ceiling mode stores it as raw_data).</summary>
    public static void AppendMessageData(StringBuilder json, string sessionId, int sequence, int contentBytes)
    {
        var message = MessageOf(sequence);
        json.Append("{\"author_role\":\"").Append(message.Role)
            .Append("\",\"message_type\":\"").Append(message.Type).Append("\",\"content\":\"");
        AppendContent(json, sessionId, sequence, contentBytes);
        json.Append('"');
        if (message.Usage is { } usage)
        {
            json.Append(",\"model\":\"").Append(usage.Model).Append("\",\"token_usage\":{\"input_tokens\":").Append(usage.InputTokens)
                .Append(",\"output_tokens\":").Append(usage.OutputTokens).Append(",\"cache_read_input_tokens\":").Append(usage.CacheReadTokens).Append('}');
        }

        json.Append('}');
    }

    public static void AppendContent(StringBuilder json, string sessionId, int sequence, int contentBytes)
    {
        var start = json.Length;
        json.Append(sessionId).Append(" #").Append(sequence).Append(": ");
        while (json.Length - start < contentBytes)
        {
            json.Append(Words, 0, Math.Min(Words.Length, contentBytes - (json.Length - start)));
        }
    }
}

/// <summary>A message event's author role and message type, and a response's usage.</summary>
internal sealed record MessageShape(string Role, string Type, ResponseUsage? Usage);

internal sealed record ResponseUsage(string Model, long InputTokens, long OutputTokens, long CacheReadTokens);
