using System.Globalization;
using System.Text.Json;
using static CatSyphon.Protocol.Parsing.SafeJson;

namespace CatSyphon.Protocol.Parsing.Gemini;

/// <summary>
/// Parser for Gemini CLI sessions, both layouts: the legacy <c>session-*.json</c>, one <c>ConversationRecord</c>
/// rewritten whole on every change (read whole; a document not yet complete is left for a later read), and the
/// <c>session-*.jsonl</c> journal, read incrementally from an offset and folded as the CLI folds it on resume: a
/// message appended again under the same <c>id</c> replaces the earlier copy in its place, <c>{"$set":{"messages"}}</c>
/// (a checkpoint) replaces every message so far, <c>{"$rewindTo": id}</c> deletes that message and all after it
/// (everything, for an unknown id). Folding holds within one read; across reads the events are hashed by what they
/// say, so a message appended again after an earlier read gives the same events (and its usage the same key), and a
/// rewind of messages already read is recorded as a <c>rewind</c> metadata event.
/// </summary>
/// <remarks>
/// The session is the file's <c>sessionId</c> (its first record). A read from an offset past it takes the id from
/// the file's first line again; a sub-agent file (<c>chats/&lt;parent&gt;/&lt;id&gt;.jsonl</c>) is a session of its
/// own that names its parent. Record mapping: <see cref="GeminiEventWriter"/>; tokens: <see cref="GeminiTokens"/>.
/// </remarks>
public sealed class GeminiLogParser : ISessionLogParser
{
    /// <summary>At most this many warnings are reported per parse call.</summary>
    public const int MaxWarnings = 5;

    /// <summary>The largest legacy document read (the journal's lines have <see cref="JsonlLineReader"/>'s bound).</summary>
    public const int MaxDocumentBytes = JsonlLineReader.DefaultMaxLineBytes;

    public string AgentType => AgentTypes.GeminiCli;

    public ParseSummary Parse(Stream stream, ParseRequest request, IParsedLogSink sink)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(sink);

        var warnings = new List<string>();
        void Warn(string message)
        {
            if (warnings.Count < MaxWarnings)
            {
                warnings.Add(message);
            }
        }

        using var events = new GeminiEventWriter(sink, Warn);
        var (endOffset, lines, malformed) = GeminiFormat.IsJournal(request.Path)
            ? GeminiJournal.Read(stream, request, events, Warn)
            : ReadDocument(stream, request, events, Warn);
        return new ParseSummary(AgentType, endOffset, lines, malformed, warnings);
    }

    /// <summary>The session's id from its path before any record names it: a sub-agent file is named by its id, a main one by the start of it.</summary>
    internal static (string SessionId, string? ParentSessionId) SessionFromPath(string path)
    {
        var parts = path.Split('/', '\\');
        var stem = Path.GetFileNameWithoutExtension(parts[^1]);
        var isSubAgent = parts.Length >= 3 && parts[^3] == "chats" && !stem.StartsWith(GeminiFormat.SessionPrefix, StringComparison.Ordinal);
        return (stem, isSubAgent ? parts[^2] : null);
    }

    /// <summary>Takes the session from a record naming it (<c>sessionId</c>) and writes its session_start.</summary>
    internal static void StartSession(GeminiEventWriter events, JsonElement metadata, string path)
    {
        var (pathId, parent) = SessionFromPath(path);
        var id = Text(metadata, "sessionId");
        events.SetSession(id is { Length: > 0 and <= ProtocolLimits.MaxSessionIdLength } ? id : pathId, parent);
        events.WriteSessionStart(metadata);
    }

    private static (long EndOffset, int Lines, int Malformed) ReadDocument(Stream stream, ParseRequest request, GeminiEventWriter events, Action<string> warn)
    {
        var bytes = ReadAll(stream, MaxDocumentBytes + 1);
        if (bytes.Length > MaxDocumentBytes)
        {
            warn($"session document over {MaxDocumentBytes} bytes skipped");
            return (request.StartOffset + bytes.Length + Drain(stream), 0, 1);
        }

        if (request.StartOffset > 0)
        {
            // The CLI rewrites the whole file; bytes past a read document are not records (a rewrite is read from 0).
            return (request.StartOffset + bytes.Length, 0, 0);
        }

        try
        {
            using var document = JsonDocument.Parse(bytes);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                warn("session document is not a JSON object");
                return (bytes.Length, 1, 1);
            }

            StartSession(events, root, request.Path);
            var records = 1;
            if (root.TryGetProperty("messages", out var messages) && messages.ValueKind == JsonValueKind.Array)
            {
                foreach (var message in messages.EnumerateArray())
                {
                    if (message.ValueKind == JsonValueKind.Object)
                    {
                        events.WriteMessage(message);
                        records++;
                    }
                }
            }

            if (Text(root, "summary") is { Length: > 0 } summary)
            {
                events.WriteSummary(summary);
            }

            return (bytes.Length, records, 0);
        }
        catch (JsonException ex)
        {
            // Mid-rewrite, or cut by the caller's window: nothing is consumed, so a later read takes it whole.
            warn($"session document not complete JSON yet ({ex.Message}); left for a later read");
            return (request.StartOffset, 0, 0);
        }
    }

    private static byte[] ReadAll(Stream stream, int limit)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while (buffer.Length < limit && (read = stream.Read(chunk, 0, (int)Math.Min(chunk.Length, limit - buffer.Length))) > 0)
        {
            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }

    private static long Drain(Stream stream)
    {
        var chunk = new byte[81920];
        long total = 0;
        int read;
        while ((read = stream.Read(chunk, 0, chunk.Length)) > 0)
        {
            total += read;
        }

        return total;
    }

    internal static string At(long offset) => offset.ToString(CultureInfo.InvariantCulture);
}
