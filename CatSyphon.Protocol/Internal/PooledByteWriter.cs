using System.Buffers;

namespace CatSyphon.Protocol.Internal;

/// <summary>A growable byte buffer on <see cref="ArrayPool{T}.Shared"/>; dispose to return it.</summary>
internal sealed class PooledByteWriter : IDisposable
{
    private byte[] _buffer;
    private int _count;

    public PooledByteWriter(int initialCapacity) => _buffer = ArrayPool<byte>.Shared.Rent(Math.Max(initialCapacity, 256));

    public ReadOnlySpan<byte> WrittenSpan => _buffer.AsSpan(0, _count);

    public Span<byte> GetSpan(int sizeHint)
    {
        if (_buffer.Length - _count < sizeHint)
        {
            Grow(sizeHint);
        }

        return _buffer.AsSpan(_count);
    }

    public void Advance(int count) => _count += count;

    public void Write(byte value)
    {
        if (_count == _buffer.Length)
        {
            Grow(1);
        }

        _buffer[_count++] = value;
    }

    public void Write(ReadOnlySpan<byte> bytes)
    {
        if (_buffer.Length - _count < bytes.Length)
        {
            Grow(bytes.Length);
        }

        bytes.CopyTo(_buffer.AsSpan(_count));
        _count += bytes.Length;
    }

    private void Grow(int sizeHint)
    {
        var needed = checked(_count + sizeHint);
        var next = ArrayPool<byte>.Shared.Rent(Math.Max(needed, _buffer.Length * 2));
        _buffer.AsSpan(0, _count).CopyTo(next);
        ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = next;
    }

    public void Dispose()
    {
        var buffer = _buffer;
        _buffer = [];
        _count = 0;
        if (buffer.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
