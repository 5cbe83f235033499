namespace CatSyphon.ApiService.Apis.Export;

/// <summary>
/// A forward-only stream in front of the response body that passes asynchronous writes on and holds synchronous ones
/// until <see cref="DrainAsync"/> sends them: ZipArchive closes an entry (the compressor's last block, the data
/// descriptor) and writes the central directory with synchronous writes, even from its DisposeAsync, and Kestrel refuses
/// synchronous writes. What is held at a time is only those few closing bytes.
/// </summary>
internal sealed class DeferredWriteStream(Stream inner) : Stream
{
    private readonly MemoryStream held = new();
    private long position;

    public override bool CanRead => false;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => position;
        set => throw new NotSupportedException();
    }

    /// <summary>Sends what synchronous writes left behind, in order, before anything written after.</summary>
    public async Task DrainAsync(CancellationToken cancellationToken)
    {
        if (held.Length > 0)
        {
            await inner.WriteAsync(held.GetBuffer().AsMemory(0, (int)held.Length), cancellationToken);
            held.SetLength(0);
        }
    }

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        await DrainAsync(cancellationToken);
        await inner.WriteAsync(buffer, cancellationToken);
        position += buffer.Length;
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        held.Write(buffer);
        position += buffer.Length;
    }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override async Task FlushAsync(CancellationToken cancellationToken)
    {
        await DrainAsync(cancellationToken);
        await inner.FlushAsync(cancellationToken);
    }

    // Nothing can be sent synchronously; DrainAsync sends it.
    public override void Flush()
    {
    }

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            held.Dispose();
        }

        base.Dispose(disposing);
    }
}
