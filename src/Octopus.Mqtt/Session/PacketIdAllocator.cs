namespace Octopus.Mqtt;

/// <summary>
/// The client's packet identifiers (1 to 65535) for PUBLISH, SUBSCRIBE and UNSUBSCRIBE: each in use by at most one
/// exchange at a time (MQTT-2.3.1-2), handed out round-robin so a freed identifier is not reused at once. Few are in
/// use at once (the window of 64, a subscription change, what a store read back), so a set of those in use keeps a
/// device's memory small. Not thread-safe: the session calls it under its gate.
/// </summary>
internal sealed class PacketIdAllocator
{
    private readonly HashSet<ushort> _used = [];
    private int _next = 1;

    /// <summary>Gets how many identifiers are in use.</summary>
    public int Count => _used.Count;

    /// <summary>Takes a free identifier.</summary>
    /// <returns>The identifier.</returns>
    /// <exception cref="InvalidOperationException">All 65535 identifiers are in use.</exception>
    public ushort Allocate()
    {
        if (_used.Count >= ushort.MaxValue)
        {
            throw new InvalidOperationException("All 65535 packet identifiers are in use.");
        }

        while (true)
        {
            var id = (ushort)_next;
            _next = id == ushort.MaxValue ? 1 : id + 1;
            if (_used.Add(id))
            {
                return id;
            }
        }
    }

    /// <summary>Marks an identifier as in use (one read back from the store).</summary>
    /// <param name="id">The identifier, not 0.</param>
    /// <returns><see langword="false"/> when it was in use already.</returns>
    public bool Reserve(ushort id) => id != 0 && _used.Add(id);

    /// <summary>Frees an identifier.</summary>
    /// <param name="id">The identifier.</param>
    public void Release(ushort id) => _used.Remove(id);

    /// <summary>Gets a value indicating whether an identifier is in use.</summary>
    /// <param name="id">The identifier.</param>
    /// <returns><see langword="true"/> when it is.</returns>
    public bool IsUsed(int id) => id is > 0 and <= ushort.MaxValue && _used.Contains((ushort)id);
}
