using System.Globalization;
using System.Text.Json;
using static CatSyphon.Protocol.Parsing.SafeJson;

namespace CatSyphon.Protocol.Parsing.Cursor;

/// <summary>
/// Parser for Cursor's agent transcripts (<see cref="CursorTranscriptFormat"/>): one <c>{"role", "message": {"content"}}</c>
/// per line, read incrementally from a byte offset up to the last complete line. Lines carry no ids and no times: a
/// message's id is its line's offset in the file (the file is append-only, so it never changes), and its time the last
/// <c>&lt;timestamp&gt;</c> tag a user message embedded (Cursor writes the user's local time and UTC offset there), else
/// when the file was last written. As for the databases, the event hashes do not cover these times.
/// </summary>
public sealed class CursorTranscriptParser : ISessionLogParser
{
    public string AgentType => AgentTypes.Cursor;

    public ParseSummary Parse(Stream stream, ParseRequest request, IParsedLogSink sink)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(sink);

        var warnings = new BoundedWarnings(CursorLogParser.MaxWarnings);
        var session = CursorTranscriptFormat.Session(request.Path) ?? new ParsedSessionRef(Path.GetFileNameWithoutExtension(request.Path), null);
        var at = CursorTime.LastWritten(request.Path);
        using var events = new CursorEventWriter(sink);
        using var reader = new JsonlLineReader(stream);
        int lines = 0, malformed = 0;
        events.SetSession(session);
        var started = request.StartOffset > 0; // a later read: the first one wrote the session_start
        while (reader.TryReadContentLine(request.StartOffset, out var line, out var offset))
        {
            lines++;
            try
            {
                using var document = JsonDocument.Parse(line);
                var record = document.RootElement;
                var message = record.ValueKind == JsonValueKind.Object && record.TryGetProperty("message", out var m) && m.ValueKind == JsonValueKind.Object ? m : default;
                if (Text(record, "role") is not { } role || message.ValueKind != JsonValueKind.Object)
                {
                    malformed++;
                    warnings.Add($"line at {offset}: not a transcript record");
                    continue;
                }

                at = role == "user" && EmbeddedTime(message) is { } stated ? stated : at;
                if (!started)
                {
                    events.StartSession(session.SessionId, session.ParentSessionId, at, null, null, "agent");
                    started = true;
                }

                CursorAgentMessage.Write(events, message, role, string.Create(CultureInfo.InvariantCulture, $"{session.SessionId}:{offset}"), at, null);
            }
            catch (JsonException ex)
            {
                malformed++;
                warnings.Add($"line at {offset}: not JSON ({ex.Message})");
            }
        }

        malformed += reader.OversizedLines;
        return new ParseSummary(AgentType, request.StartOffset + reader.Consumed, lines, malformed, warnings.Items);
    }

    /// <summary>
    /// The time in a user message's <c>&lt;timestamp&gt;Friday, May 8, 2026, 6:05 AM (UTC+5:30)&lt;/timestamp&gt;</c>; null
    /// without one (or one that does not read).
    /// </summary>
    internal static DateTimeOffset? EmbeddedTime(JsonElement message)
    {
        var text = message.TryGetProperty("content", out var content) ? (content.ValueKind == JsonValueKind.String ? SafeString(content) : JoinTexts(content, "text", "\n")) : null;
        var open = text?.IndexOf("<timestamp>", StringComparison.Ordinal) ?? -1;
        var close = open < 0 ? -1 : text!.IndexOf("</timestamp>", open, StringComparison.Ordinal);
        if (close < 0 || close - open > 100)
        {
            return null;
        }

        var stamp = text.AsSpan(open + "<timestamp>".Length, close - open - "<timestamp>".Length);
        var zone = stamp.LastIndexOf(" (UTC", StringComparison.Ordinal);
        if (zone < 0 || !stamp.EndsWith(")") || !DateTime.TryParseExact(stamp[..zone], "dddd, MMMM d, yyyy, h:mm tt",
                CultureInfo.InvariantCulture, DateTimeStyles.None, out var local))
        {
            return null;
        }

        var offsetText = stamp[(zone + " (UTC".Length)..^1];
        var offset = TimeSpan.Zero;
        if (offsetText.Length > 0 && !TimeSpan.TryParseExact(offsetText[1..], ["h\\:mm", "hh\\:mm", "h"], CultureInfo.InvariantCulture, out offset))
        {
            return null;
        }

        return new DateTimeOffset(local, offsetText.StartsWith("-") ? -offset : offset).ToUniversalTime();
    }
}
