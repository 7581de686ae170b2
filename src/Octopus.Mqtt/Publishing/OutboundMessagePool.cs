namespace Octopus.Mqtt;

/// <summary>
/// One client's spare <see cref="OutboundMessage"/>s: a publish rents one and it comes back when its session, its
/// caller and the sender are done with it, so a steady stream of publishes allocates no message. Keeps at most
/// <see cref="Capacity"/> (a full window of in-flight messages); beyond that a returned message is left to the GC.
/// </summary>
internal sealed class OutboundMessagePool
{
    /// <summary>The most messages kept.</summary>
    public const int Capacity = 64;

    private readonly object _gate = new();
    private readonly OutboundMessage?[] _spare = new OutboundMessage?[Capacity];
    private int _count;

    /// <summary>Gets how many messages are kept now.</summary>
    public int Count => Volatile.Read(ref _count);

    /// <summary>Takes a spare message, or makes one, and starts its use: the session and the caller hold it.</summary>
    /// <param name="sequence">The publish order.</param>
    /// <param name="topic">The rendered topic.</param>
    /// <param name="payload">The payload, owned by the message from now.</param>
    /// <param name="qos">The QoS.</param>
    /// <param name="retain">The retain flag.</param>
    /// <returns>The message.</returns>
    public OutboundMessage Rent(long sequence, string topic, PayloadBuffer payload, MqttQos qos, bool retain)
    {
        OutboundMessage? message = null;
        lock (_gate)
        {
            if (_count > 0)
            {
                message = _spare[--_count];
                _spare[_count] = null;
            }
        }

        message ??= new OutboundMessage(this);
        message.Init(sequence, topic, payload, qos, retain);
        return message;
    }

    /// <summary>Keeps a message nobody holds any more, if there is room.</summary>
    /// <param name="message">The message, reset.</param>
    internal void Return(OutboundMessage message)
    {
        lock (_gate)
        {
            if (_count < Capacity)
            {
                _spare[_count++] = message;
            }
        }
    }
}
