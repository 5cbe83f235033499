using System.Buffers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace CatSyphon.Protocol.Parsing.Claude;

/// <summary>
/// Builds events whose hash is SHA-256 over <c>type "\n" timestamp "\n" data</c> with the data exactly as
/// written. The prefix goes into the same buffer just before the data, so one call hashes the whole and
/// the data is copied out once; one buffer and one writer serve every event of a parse.
/// </summary>
internal sealed class ContentHashedEventWriter : IDisposable
{
    private static readonly JsonWriterOptions WriterOptions = new()
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        SkipValidation = true,
    };

    private readonly ArrayBufferWriter<byte> _buffer = new(4096);

    // One digest context for every event: the one-shot SHA256.HashData sets one up per call, which costs as much
    // as hashing a small event.
    private readonly IncrementalHash _sha256 = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private readonly Utf8JsonWriter _writer;
    private readonly byte[] _timestamp = new byte[64];
    private int _timestampLength;
    private int _dataStart;

    public ContentHashedEventWriter() => _writer = new Utf8JsonWriter(_buffer, WriterOptions);

    /// <summary>Bytes the buffer holds before it has to grow.</summary>
    public int Capacity => _buffer.Capacity;

    /// <summary>The timestamp that goes into the hashes of the next events (the line's own, else the epoch).</summary>
    public void SetTimestamp(DateTimeOffset timestamp) =>
        _timestampLength = ProtocolTimestamp.FormatCanonical(timestamp, _timestamp);

    /// <summary>Starts an event's data object; write its fields, then call <see cref="Finish"/>.</summary>
    public Utf8JsonWriter Start(string type)
    {
        _buffer.ResetWrittenCount();
        var span = _buffer.GetSpan(Encoding.UTF8.GetMaxByteCount(type.Length) + _timestampLength + 2);
        var n = Encoding.UTF8.GetBytes(type, span);
        span[n++] = (byte)'\n';
        _timestamp.AsSpan(0, _timestampLength).CopyTo(span[n..]);
        n += _timestampLength;
        span[n++] = (byte)'\n';
        _buffer.Advance(n);
        _dataStart = n;

        _writer.Reset(_buffer);
        _writer.WriteStartObject();
        return _writer;
    }

    public void Dispose()
    {
        _writer.Dispose();
        _sha256.Dispose();
    }

    /// <summary>Ends the event, hashes it and hands it to <paramref name="sink"/>.</summary>
    public void Finish(string type, DateTimeOffset emittedAt, ParsedSessionRef session, IParsedLogSink sink)
    {
        _writer.WriteEndObject();
        _writer.Flush();
        var written = _buffer.WrittenSpan;
        Span<byte> digest = stackalloc byte[SHA256.HashSizeInBytes];
        _sha256.AppendData(written);
        _sha256.GetHashAndReset(digest);
        sink.OnEvent(session, type, emittedAt, digest, written[_dataStart..]);
    }
}
