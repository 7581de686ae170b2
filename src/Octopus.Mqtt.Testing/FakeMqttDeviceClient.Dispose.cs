namespace Octopus.Mqtt.Testing;

/// <summary>Graceful disposal, and the hand-over of unsent messages to a successor.</summary>
public sealed partial class FakeMqttDeviceClient : IMessageHandover
{
    /// <inheritdoc/>
    /// <remarks>
    /// As the real client: queued messages get <c>client.disconnectQuiesce</c> to be sent, then the client disconnects
    /// and the broker does not publish the will (with <see cref="MqttDeviceClientOptions.OnlinePayload"/> set, the
    /// client publishes the will's payload itself, retained, first); messages still queued are
    /// <c>Dropped (Disposed)</c>; later calls throw <see cref="ObjectDisposedException"/>.
    /// </remarks>
    public ValueTask DisposeAsync()
    {
        Volatile.Write(ref _disposed, 1);
        return _engine.DisposeAsync();
    }

    /// <inheritdoc/>
    Task<IReadOnlyList<OutboundMessage>> IMessageHandover.DisposeAndHandOverAsync(bool keepStored)
    {
        Volatile.Write(ref _disposed, 1);
        return _engine.DisposeAndHandOverAsync(keepStored);
    }

    /// <inheritdoc/>
    void IMessageHandover.Adopt(IReadOnlyList<OutboundMessage> messages) => _engine.Adopt(messages);

    /// <inheritdoc/>
    void IMessageHandover.Abandon(IReadOnlyList<OutboundMessage> messages) => _engine.Abandon(messages);
}
