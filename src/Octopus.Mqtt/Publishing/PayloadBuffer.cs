using System.Buffers;

namespace Octopus.Mqtt;

/// <summary>A payload in an array rented from <see cref="ArrayPool{T}.Shared"/>, owned by one message until released.</summary>
internal readonly struct PayloadBuffer
{
    public PayloadBuffer(byte[] array, int length)
    {
        Array = array;
        Length = length;
    }

    /// <summary>Gets the array (longer than the payload when rented).</summary>
    public byte[] Array { get; }

    /// <summary>Gets the payload's length.</summary>
    public int Length { get; }

    /// <summary>Gets the payload.</summary>
    public ReadOnlyMemory<byte> Memory => new(Array, 0, Length);

    /// <summary>Copies <paramref name="payload"/> into a rented array.</summary>
    /// <param name="payload">The bytes.</param>
    /// <returns>The buffer.</returns>
    public static PayloadBuffer Copy(ReadOnlySpan<byte> payload)
    {
        if (payload.IsEmpty)
        {
            return new PayloadBuffer([], 0);
        }

        var array = ArrayPool<byte>.Shared.Rent(payload.Length);
        payload.CopyTo(array);
        return new PayloadBuffer(array, payload.Length);
    }

    /// <summary>Returns the array to the pool; call once, and only when nothing reads the payload any more.</summary>
    public void Release()
    {
        if (Array is { Length: > 0 })
        {
            ArrayPool<byte>.Shared.Return(Array);
        }
    }
}
