using System.Buffers;

namespace Octopus.Mqtt;

/// <summary>
/// Encoded packets waiting to be written together, and the completions of their senders: one pooled buffer that grows
/// as needed and is kept from batch to batch.
/// </summary>
internal sealed class WriteBatch
{
    private const int InitialSize = 4096;
    private readonly List<WriteCompletion> _completions = [];
    private byte[] _buffer = [];
    private int _length;

    /// <summary>Gets the encoded bytes of the batch.</summary>
    public ReadOnlyMemory<byte> Bytes => _buffer.AsMemory(0, _length);

    /// <summary>Gets a value indicating whether the batch holds nothing: no bytes, no sender waiting.</summary>
    public bool IsEmpty => _length == 0 && _completions.Count == 0;

    /// <summary>Gets or sets the token that cancels the batch's write: the one its first packet was sent with.</summary>
    public CancellationToken Token { get; set; }

    /// <summary>Gets the completions of the packets of the batch, in order.</summary>
    public IReadOnlyList<WriteCompletion> Completions => _completions;

    /// <summary>Adds an encoded packet: its fixed and variable header, then its payload.</summary>
    /// <param name="header">The packet up to its payload.</param>
    /// <param name="payload">The payload, possibly empty.</param>
    /// <param name="completion">The completion of the packet's sender, or <see langword="null"/> when nobody waits for it.</param>
    public void Add(ReadOnlySpan<byte> header, in ReadOnlySequence<byte> payload, WriteCompletion? completion)
    {
        var size = header.Length + checked((int)payload.Length);
        Ensure(size);
        header.CopyTo(_buffer.AsSpan(_length));
        payload.CopyTo(_buffer.AsSpan(_length + header.Length));
        _length += size;
        if (completion is not null)
        {
            _completions.Add(completion);
        }
    }

    /// <summary>Adds a sender that waits for the bytes already in the batch, adding none.</summary>
    /// <param name="completion">The completion of the sender.</param>
    public void AddWaiter(WriteCompletion completion) => _completions.Add(completion);

    /// <summary>Empties the batch; the buffer is kept for the next one.</summary>
    public void Clear()
    {
        _length = 0;
        _completions.Clear();
        Token = default;
    }

    /// <summary>Returns the buffer to the pool.</summary>
    public void Release()
    {
        if (_buffer.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(_buffer);
        }

        _buffer = [];
        _length = 0;
    }

    private void Ensure(int size)
    {
        var needed = _length + size;
        if (needed <= _buffer.Length)
        {
            return;
        }

        var bigger = ArrayPool<byte>.Shared.Rent(Math.Max(needed, Math.Max(InitialSize, _buffer.Length * 2)));
        _buffer.AsSpan(0, _length).CopyTo(bigger);
        if (_buffer.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(_buffer);
        }

        _buffer = bigger;
    }
}
