using System.Buffers;

namespace CatSyphon.Protocol.Parsing;

/// <summary>
/// Reads complete <c>'\n'</c>-terminated lines from a stream with one pooled, growing buffer. A partial last
/// line (no <c>'\n'</c> yet) is never returned and not counted in <see cref="Consumed"/>, so a later read can
/// start from <c>StartOffset + Consumed</c>. Lines longer than <see cref="MaxLineBytes"/> are skipped (still
/// consumed once their <c>'\n'</c> arrives) and reported through <see cref="OversizedLines"/>.
/// Only <c>'\n'</c> ends a line (never U+2028 or a lone <c>'\r'</c>), exactly as ccusage splits.
/// </summary>
internal sealed class JsonlLineReader : IDisposable
{
    public const int DefaultMaxLineBytes = 64 * 1024 * 1024;

    private readonly Stream _stream;
    private readonly int _maxLineBytes;
    private byte[] _buffer;
    private int _start;     // first byte of the current (unfinished) line
    private int _end;       // end of valid data
    private int _scanned;   // bytes after _start already known to hold no '\n'
    private bool _eof;
    private bool _skipping; // inside an oversized line: its bytes are dropped until '\n'

    public JsonlLineReader(Stream stream, int maxLineBytes = DefaultMaxLineBytes, int initialBuffer = 64 * 1024)
    {
        _stream = stream;
        _maxLineBytes = maxLineBytes;
        _buffer = ArrayPool<byte>.Shared.Rent(initialBuffer);
    }

    /// <summary>Bytes of complete lines read so far, including their <c>'\n'</c>.</summary>
    public long Consumed { get; private set; }

    /// <summary>Lines dropped because they were longer than the limit.</summary>
    public int OversizedLines { get; private set; }

    /// <summary>
    /// The next complete line without its <c>'\n'</c> (and without a trailing <c>'\r'</c>). The memory is valid
    /// until the next call.
    /// </summary>
    public bool TryReadLine(out ReadOnlyMemory<byte> line)
    {
        while (true)
        {
            var pending = _buffer.AsSpan(_start + _scanned, _end - _start - _scanned);
            var idx = pending.IndexOf((byte)'\n');
            if (idx >= 0)
            {
                var length = _scanned + idx;
                var lineStart = _start;
                _start += length + 1;
                _scanned = 0;
                if (_skipping)
                {
                    // Tail of an oversized line: it is consumed only now that its '\n' has arrived.
                    Consumed += _pendingSkip + length + 1;
                    _pendingSkip = 0;
                    _skipping = false;
                    OversizedLines++;
                    continue;
                }

                Consumed += length + 1;
                if (length > 0 && _buffer[lineStart + length - 1] == (byte)'\r')
                {
                    length--;
                }

                line = _buffer.AsMemory(lineStart, length);
                return true;
            }

            _scanned = _end - _start;
            if (_eof)
            {
                line = default;
                return false;
            }

            if (_end - _start >= _maxLineBytes || _skipping)
            {
                // Oversized: drop what is buffered of this line. If the stream ends before its '\n', these
                // bytes are not consumed (a later read retries from the line start).
                _skipping = true;
                _pendingSkip += _end - _start;
                _start = _end = _scanned = 0;
            }

            if (_start > 0)
            {
                Buffer.BlockCopy(_buffer, _start, _buffer, 0, _end - _start);
                _end -= _start;
                _start = 0;
            }

            if (_end == _buffer.Length)
            {
                var bigger = ArrayPool<byte>.Shared.Rent(Math.Min(Array.MaxLength, _buffer.Length * 2));
                Buffer.BlockCopy(_buffer, 0, bigger, 0, _end);
                ArrayPool<byte>.Shared.Return(_buffer);
                _buffer = bigger;
            }

            var read = _stream.Read(_buffer, _end, _buffer.Length - _end);
            if (read == 0)
            {
                _eof = true;
            }
            else
            {
                _end += read;
            }
        }
    }

    /// <summary>
    /// The next line that holds something, and the file offset it starts at (the reader began at
    /// <paramref name="startOffset"/>): blank lines are skipped, and so is the UTF-8 BOM that may open a file.
    /// </summary>
    public bool TryReadContentLine(long startOffset, out ReadOnlyMemory<byte> line, out long lineOffset)
    {
        while (true)
        {
            lineOffset = startOffset + Consumed;
            if (!TryReadLine(out line))
            {
                return false;
            }

            if (lineOffset == 0 && line.Span.StartsWith("\uFEFF"u8))
            {
                line = line[3..];
            }

            if (!line.Span.Trim(" \t"u8).IsEmpty)
            {
                return true;
            }
        }
    }

    private long _pendingSkip;

    public void Dispose()
    {
        ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = [];
    }
}
