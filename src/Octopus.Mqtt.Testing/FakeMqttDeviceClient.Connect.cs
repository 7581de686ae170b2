namespace Octopus.Mqtt.Testing;

/// <summary>Connecting, and the simulated loss and return of the connection.</summary>
public sealed partial class FakeMqttDeviceClient
{
    /// <inheritdoc/>
    /// <remarks>
    /// Connects to the fake broker, unless <see cref="FailNextConnect()"/> armed a failure. A client that is
    /// <see cref="MqttConnectionState.Disconnected"/> after <see cref="SimulateDisconnect"/> (without
    /// <c>client.autoReconnect</c>) is let back in. Returns once the messages queued while offline are sent and the
    /// retained messages the subscriptions brought are handled (unless called from the handler itself).
    /// </remarks>
    public async Task ConnectAsync(CancellationToken cancellationToken = default)
    {
        ThrowIfDisposed();
        if (State == MqttConnectionState.Disconnected)
        {
            _broker.AllowConnections(ClientId);
        }

        await _engine.ConnectAsync(cancellationToken).ConfigureAwait(false);
        await WhenCaughtUpAsync().WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Simulates the loss of the connection without a will, as when the broker goes away: the broker drops the
    /// connection and refuses this client until <see cref="SimulateReconnectAsync"/> (or, once the client is
    /// <see cref="MqttConnectionState.Disconnected"/>, <see cref="ConnectAsync"/>). Returns when the client has seen the
    /// loss: it is <see cref="MqttConnectionState.Reconnecting"/> (<see cref="MqttConnectionState.Disconnected"/> without
    /// <c>client.autoReconnect</c>) and queues its publishes; its reconnect attempts fail until then.
    /// </summary>
    /// <param name="reason">The error <see cref="StateChanged"/> reports, or <see langword="null"/> for a <see cref="MqttDeviceClientException"/> saying the connection was lost.</param>
    /// <exception cref="InvalidOperationException">The client is not connected.</exception>
    /// <exception cref="ObjectDisposedException">The client is disposed.</exception>
    /// <remarks>With a clean session (<c>client.cleanSession</c> true, the default) the broker forgets the client's subscriptions; the client restores them on reconnect.</remarks>
    public void SimulateDisconnect(Exception? reason = null) => LoseAsync(reason, publishWill: false).GetAwaiter().GetResult();

    /// <summary>
    /// Simulates an abrupt loss of the connection, so the broker publishes the client's will (<c>message.will</c>);
    /// otherwise as <see cref="SimulateDisconnect"/>.
    /// </summary>
    /// <param name="reason">The error <see cref="StateChanged"/> reports, or <see langword="null"/> for a <see cref="MqttDeviceClientException"/> saying the connection was lost.</param>
    /// <returns>A task that completes when the client has seen the loss and the handlers of the clients subscribed to the will topic have handled it.</returns>
    /// <exception cref="InvalidOperationException">The client is not connected.</exception>
    /// <exception cref="ObjectDisposedException">The client is disposed.</exception>
    public Task SimulateConnectionLossAsync(Exception? reason = null) => LoseAsync(reason, publishWill: true);

    /// <summary>
    /// Lets the client back in and makes it reconnect at once, without waiting for the rest of its backoff delay: the
    /// attempt succeeds (or, when <see cref="FailNextConnect()"/> armed a failure, fails and leaves the client
    /// <see cref="MqttConnectionState.Reconnecting"/>, to try again after its backoff). On success, subscriptions are
    /// restored, the availability message (<see cref="MqttDeviceClientOptions.OnlinePayload"/>) is published, and the
    /// queue is delivered in order.
    /// </summary>
    /// <returns>
    /// A task that completes when the attempt is over; after a success, once the queue is sent and the handler has
    /// handled the retained messages the restored subscriptions brought.
    /// </returns>
    /// <exception cref="InvalidOperationException">The client is neither <see cref="MqttConnectionState.Reconnecting"/> nor <see cref="MqttConnectionState.Connecting"/> (an attempt of its own under way, which ends first).</exception>
    /// <exception cref="ObjectDisposedException">The client is disposed.</exception>
    public async Task SimulateReconnectAsync()
    {
        ThrowIfDisposed();
        var state = State;
        if (state is not (MqttConnectionState.Reconnecting or MqttConnectionState.Connecting))
        {
            throw new InvalidOperationException(
                $"SimulateReconnectAsync needs a client that is Reconnecting; this one is {state}."
                + (state == MqttConnectionState.Disconnected ? " Call ConnectAsync to connect it." : string.Empty));
        }

        _broker.AllowConnections(ClientId);
        if (state == MqttConnectionState.Connecting)
        {
            // An attempt of the client's own is under way (the test advanced the clock past its backoff): it may have
            // been refused before the broker let the client back in, so let it end first.
            var own = WaitForAttemptAsync();
            if (State == MqttConnectionState.Connecting)
            {
                await own.ConfigureAwait(false);
            }
        }

        if (State == MqttConnectionState.Reconnecting)
        {
            var attempt = WaitForAttemptAsync();
            _engine.ReconnectNow();
            await attempt.ConfigureAwait(false);
        }

        await WhenCaughtUpAsync().ConfigureAwait(false);
    }

    /// <summary>Waits for the end of the next connection attempt: connected, or back to reconnecting (or disconnected, or disposed).</summary>
    private Task<MqttConnectionState> WaitForAttemptAsync() => WaitForChangeAsync((previous, next) =>
        next is MqttConnectionState.Connected or MqttConnectionState.Disposed
        || (previous == MqttConnectionState.Connecting && next is MqttConnectionState.Reconnecting or MqttConnectionState.Disconnected));

    private async Task LoseAsync(Exception? reason, bool publishWill)
    {
        ThrowIfDisposed();
        var state = State;
        if (state != MqttConnectionState.Connected)
        {
            throw new InvalidOperationException($"Simulating the loss of the connection needs a connected client; this one is {state}.");
        }

        var clientId = ClientId;
        var lost = WaitForChangeAsync((previous, _) => previous == MqttConnectionState.Connected);
        reason ??= new MqttDeviceClientException($"The connection of {clientId} to the MQTT broker was lost (simulated).");
        _broker.BlockConnections(clientId);
        await _broker.DropConnectionAsync(clientId, reason, publishWill).ConfigureAwait(false);
        await lost.ConfigureAwait(false);
    }

    /// <summary>When connected: waits until the queue is sent and what the broker sent is handled.</summary>
    private async Task WhenCaughtUpAsync()
    {
        if (State != MqttConnectionState.Connected)
        {
            return;
        }

        await _engine.WhenSentAsync().ConfigureAwait(false);
        await WhenHandledAsync().ConfigureAwait(false);
    }
}
