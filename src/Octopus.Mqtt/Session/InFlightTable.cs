namespace Octopus.Mqtt;

/// <summary>
/// The outbound half of the session state: QoS 1 and 2 messages sent and not yet acknowledged, each with its packet
/// identifier and handshake phase, in the order they were first sent (which is the order of their resend after a
/// reconnect, MQTT-4.6.0-1). Small by construction (at most the window of 64, plus what a store read back), so a list
/// searched in order is the fastest shape. Not thread-safe: the session calls it under its gate.
/// </summary>
internal sealed class InFlightTable
{
    private readonly List<OutboundMessage> _messages = [];
    private readonly PacketIdAllocator _ids;

    /// <summary>Initializes a new instance of the <see cref="InFlightTable"/> class.</summary>
    /// <param name="ids">The client's packet identifiers, shared with SUBSCRIBE and UNSUBSCRIBE.</param>
    public InFlightTable(PacketIdAllocator ids) => _ids = ids;

    /// <summary>Gets how many messages await an acknowledgement.</summary>
    public int Count => _messages.Count;

    /// <summary>Gets the messages, oldest first.</summary>
    public IReadOnlyList<OutboundMessage> Messages => _messages;

    /// <summary>Binds a new packet identifier to a message about to be sent for the first time on this session.</summary>
    /// <param name="message">The message (QoS 1 or 2).</param>
    public void Begin(OutboundMessage message)
    {
        message.PacketId = _ids.Allocate();
        message.Phase = OutboundPhase.Published;
        Insert(message);
    }

    /// <summary>Takes back a message whose packet identifier was bound in an earlier process (read from the store).</summary>
    /// <param name="message">The message, with its identifier and phase.</param>
    /// <returns><see langword="false"/> when its identifier is taken already (the message must then start again).</returns>
    public bool Resume(OutboundMessage message)
    {
        if (!_ids.Reserve(message.PacketId))
        {
            return false;
        }

        Insert(message);
        return true;
    }

    /// <summary>Finds the message of a packet identifier.</summary>
    /// <param name="packetId">The identifier.</param>
    /// <returns>The message, or <see langword="null"/>.</returns>
    public OutboundMessage? Find(ushort packetId)
    {
        foreach (var message in _messages)
        {
            if (message.PacketId == packetId)
            {
                return message;
            }
        }

        return null;
    }

    /// <summary>Ends a message's exchange: frees its identifier.</summary>
    /// <param name="message">The message.</param>
    public void Remove(OutboundMessage message)
    {
        if (_messages.Remove(message))
        {
            _ids.Release(message.PacketId);
        }
    }

    /// <summary>Ends every exchange (the broker has no session): the messages must be sent again as new ones.</summary>
    /// <returns>The messages, oldest first, unbound from their identifiers.</returns>
    public OutboundMessage[] Reset()
    {
        var all = _messages.ToArray();
        _messages.Clear();
        foreach (var message in all)
        {
            _ids.Release(message.PacketId);
            message.PacketId = 0;
            message.Phase = OutboundPhase.Unsent;
        }

        return all;
    }

    private void Insert(OutboundMessage message)
    {
        var position = _messages.Count;
        while (position > 0 && _messages[position - 1].Sequence > message.Sequence)
        {
            position--;
        }

        _messages.Insert(position, message);
    }
}
