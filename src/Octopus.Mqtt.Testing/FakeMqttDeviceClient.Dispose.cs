namespace Octopus.Mqtt.Testing;

/// <summary>Graceful disposal: no will; messages still queued are dropped.</summary>
public sealed partial class FakeMqttDeviceClient
{
    /// <inheritdoc/>
    /// <remarks>
    /// As the real client: the broker does not publish the will (with <see cref="MqttDeviceClientOptions.OnlinePayload"/>
    /// set, the client publishes the will's payload itself, retained, first); messages still in the offline queue are
    /// <c>Dropped (Disposed)</c>; later calls throw <see cref="ObjectDisposedException"/>.
    /// </remarks>
    public ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return ValueTask.CompletedTask;
        }

        QueuedMessage[] left;
        lock (_gate)
        {
            _acceptClosed = true;
            SignalRoomLocked();
            if (_session is { } session)
            {
                if (_onlinePayload is not null && _will is not null && Topic.WillTopic is { } willTopic)
                {
                    List<PendingDelivery>? deliveries = null;
                    _broker.Route(ClientId, willTopic, [.. _will.Content ?? []], _will.Qos, true, Published, ref deliveries);
                }

                _session = null;
                _broker.Disconnect(session, this);
            }

            left = [.. _queue];
            _queue.Clear();
        }

        foreach (var message in left)
        {
            message.Outcome.TrySetResult(MqttPublishResult.Dropped(MqttDropReason.Disposed));
        }

        _disposing.Cancel();
        _disposing.Dispose();
        SetState(MqttConnectionState.Disposed, null);
        return ValueTask.CompletedTask;
    }
}
