using System.Buffers;

namespace MlFunctions.Lambda;

/// <summary>
/// A growable buffer for a response that is about to be written whole, sized up front and never zeroed
/// first: <see cref="ArrayBufferWriter{T}"/> zeroes each array it takes, one more pass over fresh pages,
/// which on a cold start is where the time goes. (The BCL has no writer over uninitialized arrays.)
/// </summary>
public sealed class ResponseBuffer(int capacity) : IBufferWriter<byte>
{
    private byte[] _buffer = GC.AllocateUninitializedArray<byte>(Math.Max(capacity, 256));
    private int _written;

    /// <summary>What has been written so far.</summary>
    public ReadOnlyMemory<byte> WrittenMemory => _buffer.AsMemory(0, _written);

    public void Advance(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(count, _buffer.Length - _written);
        _written += count;
    }

    public Memory<byte> GetMemory(int sizeHint = 0)
    {
        Reserve(sizeHint);
        return _buffer.AsMemory(_written);
    }

    public Span<byte> GetSpan(int sizeHint = 0)
    {
        Reserve(sizeHint);
        return _buffer.AsSpan(_written);
    }

    private void Reserve(int sizeHint)
    {
        var needed = Math.Max(sizeHint, 1);
        if (_buffer.Length - _written < needed)
        {
            var grown = GC.AllocateUninitializedArray<byte>((int)Math.Min(Array.MaxLength, Math.Max((long)_buffer.Length * 2, (long)_written + needed)));
            _buffer.AsSpan(0, _written).CopyTo(grown);
            _buffer = grown;
        }
    }
}
