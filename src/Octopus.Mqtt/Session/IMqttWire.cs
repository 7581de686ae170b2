using MQTTnet.Packets;

namespace Octopus.Mqtt;

/// <summary>
/// One network connection to a broker that carries whole MQTT packets, and nothing above them: no packet identifiers,
/// no acknowledgements, no keep-alive. The engine owns all of that. The real wire is MQTTnet's codec and transports
/// (<see cref="ChannelAdapterWire"/>); tests and the Testing package put an in-memory broker at the other end.
/// </summary>
/// <remarks>
/// <see cref="SendAsync"/> may be called from several threads at once: each packet is written whole, in the order of
/// the calls, and is encoded (or copied) before the call returns, so a sender may reuse a packet object as soon as
/// the call returned, before its task completes. Packets sent while a write is under way may go out together. <see cref="ReceiveAsync"/> is called by one reader at a time. Disposing closes the connection abruptly (no
/// DISCONNECT: the broker publishes the will).
/// </remarks>
internal interface IMqttWire : IDisposable
{
    /// <summary>Opens the transport (TCP, TLS, WebSocket or unix socket) to the broker.</summary>
    /// <param name="cancellationToken">Cancels the attempt.</param>
    /// <returns>A task that completes when the transport is open.</returns>
    Task OpenAsync(CancellationToken cancellationToken);

    /// <summary>Writes one packet.</summary>
    /// <param name="packet">The packet; the wire keeps no reference to it once the call returned.</param>
    /// <param name="cancellationToken">Cancels the write; the connection is then unusable.</param>
    /// <returns>A task that completes when the packet is written; await it once.</returns>
    ValueTask SendAsync(MqttPacket packet, CancellationToken cancellationToken);

    /// <summary>Takes a packet to be written with the next write, which <see cref="SendAsync"/> or <see cref="FlushAsync"/> starts: several packets ready at once go out in one write.</summary>
    /// <param name="packet">The packet; the wire keeps no reference to it once the call returned.</param>
    void Enqueue(MqttPacket packet);

    /// <summary>Writes the packets <see cref="Enqueue"/> took, if no write under way takes them already.</summary>
    /// <param name="cancellationToken">Cancels the write; the connection is then unusable.</param>
    /// <returns>A task that completes when every packet taken before the call is written; await it once.</returns>
    ValueTask FlushAsync(CancellationToken cancellationToken);

    /// <summary>Reads the next packet.</summary>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>
    /// The packet, or <see langword="null"/> when the broker closed the connection. A PUBACK, PUBREC or PUBCOMP may be
    /// an object the next read reuses: handle it before reading again.
    /// </returns>
    ValueTask<MqttPacket?> ReceiveAsync(CancellationToken cancellationToken);
}
