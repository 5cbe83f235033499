using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using CatSyphon.Protocol.Parsing.Claude;

namespace CatSyphon.Protocol.Parsing.Aider;

/// <summary>
/// Parser for aider's transcript, <c>.aider.chat.history.md</c> (one append-only file per project, every session
/// ever run there; see <see cref="AiderTranscript"/> for the lines and <see cref="AiderEvents"/> for the events).
/// </summary>
/// <remarks>
/// <para>Aider writes no session id: a session is named after the file's path and its header's byte offset
/// (<see cref="SessionId"/>), which stay valid since the file only grows.</para>
/// <para>Incremental reads: a session goes on at the file's end without a new header, so a read from an offset inside
/// a session first finds that session's header (searching back from the offset) and replays the lines between it and
/// the offset without sending them; the events after it get the same session, model and timestamps as in a read from
/// offset 0. A session whose start-up banner is still being written is left for the next read.</para>
/// </remarks>
public sealed class AiderLogParser : ISessionLogParser
{
    public const string HistoryFileName = ".aider.chat.history.md";

    private const int SearchChunkBytes = 64 * 1024;

    private static readonly byte[] HeaderAfterNewline = Encoding.UTF8.GetBytes("\n" + AiderTranscript.HeaderPrefix);

    public string AgentType => AgentTypes.Aider;

    /// <summary>The session whose header starts at byte <paramref name="headerOffset"/> of the history file at <paramref name="path"/>.</summary>
    public static string SessionId(string path, long headerOffset)
    {
        Span<byte> digest = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(Encoding.UTF8.GetBytes(path), digest);
        return string.Create(CultureInfo.InvariantCulture, $"aider-{Convert.ToHexStringLower(digest[..8])}-{headerOffset}");
    }

    public ParseSummary Parse(Stream stream, ParseRequest request, IParsedLogSink sink)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(sink);

        var warnings = new List<string>();
        using var buffers = ParseBuffers.Take();
        var events = new AiderEvents(sink, buffers.Events, warnings);
        var transcript = new AiderTranscript(request, events);
        var from = ReplayStart(stream, request.StartOffset, events);
        using var reader = new JsonlLineReader(stream);
        var (lines, nextLineOffset) = (0, from);
        while (reader.TryReadLine(out var line))
        {
            var lineOffset = nextLineOffset;
            nextLineOffset = from + reader.Consumed;
            if (lineOffset == 0 && line.Span.StartsWith("\uFEFF"u8))
            {
                line = line[3..];
            }

            transcript.Muted = lineOffset < request.StartOffset;
            lines += transcript.Muted ? 0 : 1;
            transcript.Read(line.Span, lineOffset);
        }

        transcript.Muted = false;
        for (var oversized = 0; oversized < reader.OversizedLines; oversized++)
        {
            events.Warn($"line over {JsonlLineReader.DefaultMaxLineBytes} bytes skipped");
        }

        var end = transcript.Finish(from + reader.Consumed);
        return new ParseSummary(AgentType, end, lines, reader.OversizedLines, warnings);
    }

    /// <summary>
    /// Where reading starts: the header of the session that <paramref name="start"/> falls in (the stream is moved
    /// there), else <paramref name="start"/> itself.
    /// </summary>
    private static long ReplayStart(Stream stream, long start, AiderEvents events)
    {
        if (start == 0)
        {
            return 0;
        }

        if (!stream.CanSeek)
        {
            events.Warn("the log cannot be searched back for its session header: lines up to the next header are skipped");
            return start;
        }

        var header = LastHeaderBefore(stream, start);
        stream.Position = header < 0 ? start : header;
        return header < 0 ? start : header;
    }

    /// <summary>The offset of the last session header that starts before <paramref name="end"/>, or -1.</summary>
    private static long LastHeaderBefore(Stream stream, long end)
    {
        var chunk = new byte[SearchChunkBytes];
        while (end > 0)
        {
            var from = Math.Max(0, end - chunk.Length);
            var span = chunk.AsSpan(0, (int)(end - from));
            stream.Position = from;
            stream.ReadExactly(span);
            var found = span.LastIndexOf(HeaderAfterNewline);
            if (found >= 0)
            {
                return from + found + 1;
            }

            if (from == 0)
            {
                return span.StartsWith(HeaderAfterNewline.AsSpan(1)) ? 0 : -1;
            }

            end = from + HeaderAfterNewline.Length - 1; // a header across the chunk boundary is found in the next one
        }

        return -1;
    }
}
