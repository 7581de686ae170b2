namespace Octopus.Mqtt;

/// <summary>
/// The client's packet identifiers (1 to 65535) for PUBLISH, SUBSCRIBE and UNSUBSCRIBE: each in use by at most one
/// exchange at a time (MQTT-2.3.1-2), handed out round-robin so a freed identifier is not reused at once. Not
/// thread-safe: the session calls it under its gate.
/// </summary>
internal sealed class PacketIdAllocator
{
    private readonly ulong[] _used = new ulong[65536 / 64];
    private int _next = 1;

    /// <summary>Gets how many identifiers are in use.</summary>
    public int Count { get; private set; }

    /// <summary>Takes a free identifier.</summary>
    /// <returns>The identifier.</returns>
    /// <exception cref="InvalidOperationException">All 65535 identifiers are in use.</exception>
    public ushort Allocate()
    {
        if (Count >= ushort.MaxValue)
        {
            throw new InvalidOperationException("All 65535 packet identifiers are in use.");
        }

        while (true)
        {
            var id = _next;
            _next = id == ushort.MaxValue ? 1 : id + 1;
            if (!IsUsed(id))
            {
                Reserve((ushort)id);
                return (ushort)id;
            }
        }
    }

    /// <summary>Marks an identifier as in use (one read back from the store).</summary>
    /// <param name="id">The identifier, not 0.</param>
    /// <returns><see langword="false"/> when it was in use already.</returns>
    public bool Reserve(ushort id)
    {
        if (id == 0 || IsUsed(id))
        {
            return false;
        }

        _used[id >> 6] |= 1UL << (id & 63);
        Count++;
        return true;
    }

    /// <summary>Frees an identifier.</summary>
    /// <param name="id">The identifier.</param>
    public void Release(ushort id)
    {
        if (id != 0 && IsUsed(id))
        {
            _used[id >> 6] &= ~(1UL << (id & 63));
            Count--;
        }
    }

    /// <summary>Gets a value indicating whether an identifier is in use.</summary>
    /// <param name="id">The identifier.</param>
    /// <returns><see langword="true"/> when it is.</returns>
    public bool IsUsed(int id) => (_used[id >> 6] & (1UL << (id & 63))) != 0;
}
