namespace Octopus.Mqtt.Testing;

/// <summary>Connecting, and the simulated loss and return of the connection.</summary>
public sealed partial class FakeMqttDeviceClient
{
    /// <inheritdoc/>
    /// <remarks>
    /// Connects to the fake broker at once, unless <see cref="FailNextConnect()"/> armed a failure. The fake never
    /// reconnects by itself: after a failure with <see cref="MqttFirstConnectPolicy.RetryInBackground"/>, or a
    /// simulated loss, the client stays <see cref="MqttConnectionState.Reconnecting"/> until <see cref="SimulateReconnectAsync"/>.
    /// </remarks>
    public async Task ConnectAsync(CancellationToken cancellationToken = default)
    {
        ThrowIfDisposed();
        cancellationToken.ThrowIfCancellationRequested();
        if (!TryBeginConnect())
        {
            return;
        }

        if (TakeFailure(_connectFailures) is { } failure)
        {
            var error = failure.Exception ?? DefaultConnectError();
            if (_firstConnectPolicy == MqttFirstConnectPolicy.FailFast || !_autoReconnect)
            {
                SetState(MqttConnectionState.Disconnected, error);
                throw error;
            }

            SetState(MqttConnectionState.Reconnecting, error);
            return;
        }

        await CompleteConnectAsync().ConfigureAwait(false);
    }

    /// <summary>
    /// Simulates the loss of the connection without a will, as when the broker goes away: the client goes
    /// <see cref="MqttConnectionState.Reconnecting"/> (<see cref="MqttConnectionState.Disconnected"/> without
    /// <c>client.autoReconnect</c>) and queues its publishes until <see cref="SimulateReconnectAsync"/> (or, without
    /// <c>client.autoReconnect</c>, <see cref="ConnectAsync"/>).
    /// </summary>
    /// <param name="reason">The error <see cref="StateChanged"/> reports, or <see langword="null"/> for a <see cref="MqttDeviceClientException"/> saying the connection was lost.</param>
    /// <exception cref="InvalidOperationException">The client is not connected.</exception>
    /// <exception cref="ObjectDisposedException">The client is disposed.</exception>
    /// <remarks>With a clean session (<c>client.cleanSession</c> true, the default) the broker forgets the client's subscriptions; the client restores them on reconnect.</remarks>
    public void SimulateDisconnect(Exception? reason = null) => Lose(reason, publishWill: false);

    /// <summary>
    /// Simulates an abrupt loss of the connection (no DISCONNECT), so the broker publishes the client's will
    /// (<c>message.will</c>) and the client goes <see cref="MqttConnectionState.Reconnecting"/> as with <see cref="SimulateDisconnect"/>.
    /// </summary>
    /// <param name="reason">The error <see cref="StateChanged"/> reports, or <see langword="null"/> for a <see cref="MqttDeviceClientException"/> saying the connection was lost.</param>
    /// <returns>A task that completes when the handlers of the clients subscribed to the will topic have handled it.</returns>
    /// <exception cref="InvalidOperationException">The client is not connected.</exception>
    /// <exception cref="ObjectDisposedException">The client is disposed.</exception>
    public Task SimulateConnectionLossAsync(Exception? reason = null)
    {
        var deliveries = Lose(reason, publishWill: true);
        return PendingDelivery.WhenAllAsync(deliveries);
    }

    /// <summary>
    /// Simulates a successful reconnect (or, when <see cref="FailNextConnect()"/> armed a failure, a failed attempt that
    /// leaves the client <see cref="MqttConnectionState.Reconnecting"/>): subscriptions are restored, the availability
    /// message (<see cref="MqttDeviceClientOptions.OnlinePayload"/>) is published, and the offline queue is delivered in order.
    /// </summary>
    /// <returns>A task that completes when the handler has handled the retained messages the restored subscriptions brought.</returns>
    /// <exception cref="InvalidOperationException">The client is not <see cref="MqttConnectionState.Reconnecting"/>.</exception>
    /// <exception cref="ObjectDisposedException">The client is disposed.</exception>
    public async Task SimulateReconnectAsync()
    {
        ThrowIfDisposed();
        lock (_stateGate)
        {
            if (_state != MqttConnectionState.Reconnecting)
            {
                throw new InvalidOperationException(
                    $"SimulateReconnectAsync needs a client that is Reconnecting; this one is {_state}."
                    + (_state == MqttConnectionState.Disconnected ? " Call ConnectAsync to connect it." : string.Empty));
            }

            _state = MqttConnectionState.Connecting;
        }

        RaiseStateChanged(MqttConnectionState.Reconnecting, MqttConnectionState.Connecting, null);
        if (TakeFailure(_connectFailures) is { } failure)
        {
            SetState(MqttConnectionState.Reconnecting, failure.Exception ?? DefaultConnectError());
            return;
        }

        await CompleteConnectAsync().ConfigureAwait(false);
    }

    /// <summary>Moves from Disconnected to Connecting; a client already connected, connecting or reconnecting stays as it is.</summary>
    private bool TryBeginConnect()
    {
        MqttConnectionState previous;
        lock (_stateGate)
        {
            previous = _state;
            if (previous != MqttConnectionState.Disconnected)
            {
                ObjectDisposedException.ThrowIf(previous == MqttConnectionState.Disposed, this);
                return false;
            }

            _state = MqttConnectionState.Connecting;
        }

        RaiseStateChanged(previous, MqttConnectionState.Connecting, null);
        return true;
    }

    private async Task CompleteConnectAsync()
    {
        List<PendingDelivery>? deliveries = null;
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_acceptClosed, this);
            var (session, present, missed) = _broker.Connect(this, ClientId, _cleanSession);
            if (!present)
            {
                _applied.Clear();
            }

            ApplySubscriptionsLocked(session, ref deliveries);
            foreach (var message in missed)
            {
                (deliveries ??= []).Add(Inbox.Enqueue(message));
            }

            if (_onlinePayload is not null && Topic.WillTopic is { } willTopic)
            {
                _broker.Route(ClientId, willTopic, [.. _onlinePayload], _will!.Qos, true, Published, ref deliveries);
            }

            while (_queue.TryDequeue(out var queued))
            {
                _broker.Route(ClientId, queued.Topic, queued.Payload, queued.Qos, queued.Retain, Published, ref deliveries);
                queued.Outcome.TrySetResult(MqttPublishResult.Delivered);
            }

            _session = session;
            SignalRoomLocked();
        }

        SetState(MqttConnectionState.Connected, null);
        await PendingDelivery.WhenAllAsync(deliveries).ConfigureAwait(false);
    }

    private List<PendingDelivery>? Lose(Exception? reason, bool publishWill)
    {
        ThrowIfDisposed();
        List<PendingDelivery>? deliveries = null;
        lock (_gate)
        {
            var session = _session ?? throw new InvalidOperationException($"Simulating the loss of the connection needs a connected client; this one is {State}.");
            _session = null;
            _broker.Disconnect(session, this);
            if (publishWill && _will is not null && Topic.WillTopic is { } willTopic)
            {
                _broker.Route(ClientId, willTopic, [.. _will.Content ?? []], _will.Qos, _will.Retained, Published, ref deliveries);
            }
        }

        reason ??= new MqttDeviceClientException($"The connection of {ClientId} to the MQTT broker was lost (simulated).");
        SetState(_autoReconnect ? MqttConnectionState.Reconnecting : MqttConnectionState.Disconnected, reason);
        return deliveries;
    }

    private MqttDeviceClientException DefaultConnectError() =>
        new($"The MQTT broker refused the connection of {ClientId}: NotAuthorized (135).", 135, null);

    private void SignalRoomLocked()
    {
        var room = _roomSignal;
        _roomSignal = null;
        room?.TrySetResult();
    }
}
