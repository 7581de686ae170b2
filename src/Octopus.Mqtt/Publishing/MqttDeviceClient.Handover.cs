namespace Octopus.Mqtt;

/// <summary>
/// Handing unsent messages from a client being replaced to its successor (the device links replace a client when a
/// device's options change): the old client is disposed gracefully, and what it could not deliver within
/// <c>client.disconnectQuiesce</c> goes to the new client instead of being dropped.
/// </summary>
internal sealed partial class MqttDeviceClient
{
    private Func<OutboundMessage, bool>? _handover;

    /// <summary>
    /// Disposes the client gracefully and returns, oldest first, the messages it still held and that its File store
    /// does not keep (those stay in the store for the next client with the same UID and store).
    /// </summary>
    /// <returns>The messages; their outcome is now up to the caller (<see cref="Adopt"/> or <see cref="Abandon"/>).</returns>
    internal async Task<IReadOnlyList<OutboundMessage>> DisposeAndHandOverAsync()
    {
        var taken = new List<OutboundMessage>();
        _handover = message =>
        {
            if (message.Persisted)
            {
                return false;
            }

            taken.Add(message);
            return true;
        };
        await DisposeAsync().ConfigureAwait(false);
        return taken;
    }

    /// <summary>Takes over messages handed over by a previous client of the same device; they are sent before any later publish.</summary>
    /// <param name="messages">The messages, oldest first.</param>
    /// <exception cref="ObjectDisposedException">The client is disposed.</exception>
    internal void Adopt(IReadOnlyList<OutboundMessage> messages)
    {
        ArgumentNullException.ThrowIfNull(messages);
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_acceptClosed, this);
            foreach (var message in messages)
            {
                _queue.Insert(message);
                _sequence = Math.Max(_sequence, message.Sequence);
            }

            _senderSignal.SetLocked();
        }
    }

    /// <summary>Drops handed-over messages that no client can take (counted, logged and traced here).</summary>
    /// <param name="messages">The messages.</param>
    internal void Abandon(IReadOnlyList<OutboundMessage> messages)
    {
        ArgumentNullException.ThrowIfNull(messages);
        foreach (var message in messages)
        {
            Finish(message, MqttPublishResult.Dropped(MqttDropReason.Disposed));
        }
    }
}
