using System.Buffers;

namespace Octopus.Mqtt;

/// <summary>An <see cref="IBufferWriter{T}"/> over arrays rented from <see cref="ArrayPool{T}.Shared"/>, whose result is handed over, not copied.</summary>
internal sealed class PooledBufferWriter : IBufferWriter<byte>
{
    private const int MinimumSize = 256;
    private byte[] _array = [];
    private int _written;

    /// <inheritdoc/>
    public void Advance(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        if (_written + count > _array.Length)
        {
            throw new InvalidOperationException("Cannot advance past the end of the buffer.");
        }

        _written += count;
    }

    /// <inheritdoc/>
    public Memory<byte> GetMemory(int sizeHint = 0)
    {
        Ensure(sizeHint);
        return _array.AsMemory(_written);
    }

    /// <inheritdoc/>
    public Span<byte> GetSpan(int sizeHint = 0)
    {
        Ensure(sizeHint);
        return _array.AsSpan(_written);
    }

    /// <summary>Hands the written bytes over; the writer starts empty again.</summary>
    /// <returns>The payload, which the caller now owns.</returns>
    public PayloadBuffer Detach()
    {
        var result = _written == 0 ? new PayloadBuffer([], 0) : new PayloadBuffer(_array, _written);
        if (_written == 0)
        {
            Reset();
        }

        _array = [];
        _written = 0;
        return result;
    }

    /// <summary>Forgets what was written and returns the array to the pool.</summary>
    public void Reset()
    {
        if (_array.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(_array);
        }

        _array = [];
        _written = 0;
    }

    private void Ensure(int sizeHint)
    {
        var needed = _written + Math.Max(sizeHint, 1);
        if (needed <= _array.Length)
        {
            return;
        }

        var size = Math.Max(needed, Math.Max(MinimumSize, _array.Length * 2));
        var bigger = ArrayPool<byte>.Shared.Rent(size);
        _array.AsSpan(0, _written).CopyTo(bigger);
        if (_array.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(_array);
        }

        _array = bigger;
    }
}
