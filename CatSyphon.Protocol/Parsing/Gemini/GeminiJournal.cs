using System.Runtime.InteropServices;
using System.Text.Json;
using static CatSyphon.Protocol.Parsing.SafeJson;

namespace CatSyphon.Protocol.Parsing.Gemini;

/// <summary>
/// Reads a <c>session-*.jsonl</c> journal from an offset and folds it (see <see cref="GeminiLogParser"/>): the
/// messages are held in their order as their raw lines, by id, and written as events once the read is done.
/// </summary>
internal sealed class GeminiJournal
{
    private readonly List<(string Id, byte[] Raw)> _messages = [];
    private readonly Dictionary<string, int> _positions = new(StringComparer.Ordinal);
    private readonly List<string> _rewinds = [];
    private string? _summary;

    /// <summary>How much of a file's start is read for its metadata line (a real one is a few hundred bytes).</summary>
    private const int FirstLineBytes = 64 * 1024;

    public static (long EndOffset, int Lines, int Malformed) Read(Stream stream, ParseRequest request, GeminiEventWriter events, Action<string> warn)
    {
        var journal = new GeminiJournal();
        var sawMetadata = false;
        int lines = 0, malformed = 0;
        using var reader = new JsonlLineReader(stream);
        while (reader.TryReadContentLine(request.StartOffset, out var line, out var lineOffset))
        {
            lines++;
            try
            {
                using var document = JsonDocument.Parse(line);
                var record = document.RootElement;
                if (record.ValueKind != JsonValueKind.Object)
                {
                    throw new JsonException("not a JSON object");
                }

                if (!sawMetadata && IsMetadata(record))
                {
                    sawMetadata = true;
                    GeminiLogParser.StartSession(events, record, request.Path);
                }

                journal.Apply(record);
            }
            catch (JsonException ex)
            {
                malformed++;
                warn($"malformed line at byte {GeminiLogParser.At(lineOffset)}: {ex.Message}");
            }
        }

        for (var oversized = 0; oversized < reader.OversizedLines; oversized++)
        {
            malformed++;
            warn($"line over {JsonlLineReader.DefaultMaxLineBytes} bytes skipped");
        }

        if (!sawMetadata)
        {
            var (pathId, parent) = GeminiLogParser.SessionFromPath(request.Path);
            events.SetSession(request.StartOffset > 0 && SessionIdOnFirstLine(request.Path) is { } id ? id : pathId, parent);
        }

        journal.Write(events);
        return (request.StartOffset + reader.Consumed, lines, malformed);
    }

    /// <summary>The first record: the session's metadata (a legacy whole record on one line is one too).</summary>
    private static bool IsMetadata(JsonElement record) => record.TryGetProperty("sessionId", out _) && !record.TryGetProperty("type", out _);

    private void Apply(JsonElement record)
    {
        if (record.TryGetProperty("$rewindTo", out var rewindTo))
        {
            Rewind(SafeString(rewindTo) ?? "");
        }
        else if (record.TryGetProperty("$set", out var set) && set.ValueKind == JsonValueKind.Object)
        {
            ReplaceAll(set);
        }
        else if (IsMetadata(record))
        {
            ReplaceAll(record);
        }
        else if (Text(record, "id") is { Length: > 0 } id && record.TryGetProperty("type", out _))
        {
            Upsert(id, JsonMarshal.GetRawUtf8Value(record));
        }
    }

    /// <summary>A later copy of a message takes the place of the first.</summary>
    private void Upsert(string id, ReadOnlySpan<byte> raw)
    {
        ref var position = ref CollectionsMarshal.GetValueRefOrAddDefault(_positions, id, out var seen);
        if (seen)
        {
            _messages[position] = (id, raw.ToArray());
            return;
        }

        position = _messages.Count;
        _messages.Add((id, raw.ToArray()));
    }

    /// <summary>
    /// A <c>$set</c> or a whole record: its <c>summary</c> is the session's latest title, and its <c>messages</c> (a
    /// checkpoint) replace every message so far.
    /// </summary>
    private void ReplaceAll(JsonElement holder)
    {
        if (Text(holder, "summary") is { Length: > 0 } summary)
        {
            _summary = summary; // the latest title wins
        }

        if (!holder.TryGetProperty("messages", out var messages) || messages.ValueKind != JsonValueKind.Array)
        {
            return; // metadata only (lastUpdated, summary, …)
        }

        _messages.Clear();
        _positions.Clear();
        foreach (var message in messages.EnumerateArray())
        {
            if (message.ValueKind == JsonValueKind.Object && Text(message, "id") is { Length: > 0 } id)
            {
                Upsert(id, JsonMarshal.GetRawUtf8Value(message));
            }
        }
    }

    private void Rewind(string id)
    {
        _rewinds.Add(id);
        var from = _positions.TryGetValue(id, out var position) ? position : 0;
        for (var i = from; i < _messages.Count; i++)
        {
            _positions.Remove(_messages[i].Id);
        }

        _messages.RemoveRange(from, _messages.Count - from);
    }

    private void Write(GeminiEventWriter events)
    {
        foreach (var (_, raw) in _messages)
        {
            using var document = JsonDocument.Parse(raw);
            events.WriteMessage(document.RootElement);
        }

        foreach (var id in _rewinds)
        {
            events.WriteRewind(id);
        }

        if (_summary is not null)
        {
            events.WriteSummary(_summary);
        }
    }

    /// <summary>The <c>sessionId</c> of the file's first line, for a read that starts past it; null when it cannot be read.</summary>
    private static string? SessionIdOnFirstLine(string path)
    {
        try
        {
            using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            var head = new byte[FirstLineBytes];
            var length = file.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
            var end = head.AsSpan(0, length).IndexOf((byte)'\n');
            if (end < 0)
            {
                return null;
            }

            using var document = JsonDocument.Parse(head.AsMemory(0, end));
            return Text(document.RootElement, "sessionId") is { Length: > 0 and <= ProtocolLimits.MaxSessionIdLength } id ? id : null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or JsonException)
        {
            return null;
        }
    }
}
