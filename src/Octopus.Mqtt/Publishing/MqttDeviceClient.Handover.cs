namespace Octopus.Mqtt;

/// <summary>
/// Handing unsent messages from a client being replaced to its successor (the device links replace a client when a
/// device's options change): the old client is disposed gracefully, and what it could not deliver within
/// <c>client.disconnectQuiesce</c> goes to the new client instead of being dropped, also when the store changes.
/// </summary>
internal sealed partial class MqttDeviceClient : IMessageHandover
{
    private Func<OutboundMessage, bool>? _handover;

    /// <inheritdoc/>
    public async Task<IReadOnlyList<OutboundMessage>> DisposeAndHandOverAsync(bool keepStored)
    {
        var taken = new List<OutboundMessage>();
        _handover = message =>
        {
            if (message.Persisted && keepStored)
            {
                return false;
            }

            taken.Add(message);
            return true;
        };
        await DisposeAsync().ConfigureAwait(false);
        return taken;
    }

    /// <inheritdoc/>
    /// <exception cref="ObjectDisposedException">The client is disposed.</exception>
    public void Adopt(IReadOnlyList<OutboundMessage> messages)
    {
        ArgumentNullException.ThrowIfNull(messages);
        foreach (var message in messages)
        {
            // A new session: the predecessor's packet identifiers mean nothing here.
            message.PacketId = 0;
            message.Phase = OutboundPhase.Unsent;
            if (_store is not null && message.Qos != MqttQos.AtMostOnce && message.Store != _store)
            {
                MoveToStore(message);
            }
        }

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

    /// <inheritdoc/>
    public void Abandon(IReadOnlyList<OutboundMessage> messages)
    {
        ArgumentNullException.ThrowIfNull(messages);
        foreach (var message in messages)
        {
            Finish(message, MqttPublishResult.Dropped(MqttDropReason.Disposed));
        }
    }

    /// <summary>
    /// Keeps a handed-over message in this client's store under a sequence number of this store (after what it read
    /// back), then forgets it in the predecessor's store; if this store fails, the predecessor's keeps it.
    /// </summary>
    private void MoveToStore(OutboundMessage message)
    {
        var previous = message.Store;
        var previousSequence = message.Sequence;
        message.Sequence = Interlocked.Increment(ref _sequence);
        try
        {
            _store!.Save(message);
        }
        catch (Exception exception)
        {
            Log.StoreSaveFailed(_logger, exception, _clientId, message.Sequence);
            message.Sequence = previousSequence;
            return;
        }

        message.Store = _store;
        if (previous is not null)
        {
            try
            {
                previous.Delete(previousSequence);
            }
            catch (Exception exception)
            {
                TryLogListenerFailed(exception);
            }
        }
    }
}
