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
/// a session first finds that session's header (searching back from the offset, in the stream or, when it cannot seek,
/// in the file at the request's path) and replays the lines between it and the offset without sending them; the events
/// after it get the same session, model and timestamps as in a read from offset 0. A session whose start-up banner is
/// still being written is left for the next read. A read that stops inside a reply or a multi-line input (the
/// collector's 8 MiB windows can) sends what it has; the rest comes as another message from the next read.</para>
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
        if (request.StartOffset > 0)
        {
            Replay(stream, request, transcript, events);
        }

        using var reader = new JsonlLineReader(stream);
        var (lines, nextLineOffset) = (0, request.StartOffset);
        while (reader.TryReadLine(out var line))
        {
            var lineOffset = nextLineOffset;
            nextLineOffset = request.StartOffset + reader.Consumed;
            if (lineOffset == 0 && line.Span.StartsWith("\uFEFF"u8))
            {
                line = line[3..];
            }

            lines++;
            transcript.Read(line.Span, lineOffset);
        }

        for (var oversized = 0; oversized < reader.OversizedLines; oversized++)
        {
            events.Warn($"line over {JsonlLineReader.DefaultMaxLineBytes} bytes skipped");
        }

        var end = transcript.Finish(request.StartOffset + reader.Consumed);
        return new ParseSummary(AgentType, end, lines, reader.OversizedLines, warnings);
    }

    /// <summary>
    /// Replays, without sending, the session that the request's offset falls in: from the stream itself when it can
    /// seek (it is put back at the offset), else from the file at the request's path (the collector reads through
    /// windows that cannot seek).
    /// </summary>
    private static void Replay(Stream stream, ParseRequest request, AiderTranscript transcript, AiderEvents events)
    {
        if (stream.CanSeek)
        {
            ReplayFrom(stream, request.StartOffset, transcript);
            stream.Position = request.StartOffset;
            return;
        }

        try
        {
            using var file = new FileStream(request.Path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            if (file.Length >= request.StartOffset)
            {
                ReplayFrom(file, request.StartOffset, transcript);
                return;
            }
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }

        events.Warn("the session the read starts in could not be read from its header: its lines up to the next header are skipped");
    }

    private static void ReplayFrom(Stream source, long start, AiderTranscript transcript)
    {
        var header = LastHeaderBefore(source, start);
        if (header < 0)
        {
            return;
        }

        source.Position = header;
        transcript.Muted = true;
        using var reader = new JsonlLineReader(source);
        var nextLineOffset = header;
        while (nextLineOffset < start && reader.TryReadLine(out var line))
        {
            var lineOffset = nextLineOffset;
            nextLineOffset = header + reader.Consumed;
            transcript.Read(line.Span, lineOffset);
        }

        transcript.Muted = false;
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
