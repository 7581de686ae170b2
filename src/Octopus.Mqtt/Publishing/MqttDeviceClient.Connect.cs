using MQTTnet.Packets;

namespace Octopus.Mqtt;

/// <summary>Connecting: the first connect, the supervisor that reconnects with backoff, and what each new connection restores.</summary>
internal sealed partial class MqttDeviceClient
{
    /// <inheritdoc/>
    public async Task ConnectAsync(CancellationToken cancellationToken = default)
    {
        ThrowIfDisposed();
        await _connectLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ThrowIfDisposed();
            // A running supervisor is connected or reconnecting; one that gave up (no autoReconnect) said Disconnected first.
            if (_supervisor is { IsCompleted: false } && State != MqttConnectionState.Disconnected)
            {
                return;
            }

            _sender ??= Task.Run(RunSenderAsync, CancellationToken.None);
            SetState(MqttConnectionState.Connecting, null);
            MqttConnection? session;
            MqttDeviceClientException? error;
            using (var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _stoppingToken))
            {
                try
                {
                    (session, error) = await ConnectRoundAsync(linked.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    SetState(MqttConnectionState.Disconnected, null);
                    ThrowIfDisposed();
                    throw;
                }
            }

            if (session is not null)
            {
                await ActivateAsync(session).ConfigureAwait(false);
                _supervisor = SuperviseAsync(session);
                return;
            }

            if (_firstConnectPolicy == MqttFirstConnectPolicy.FailFast || !_autoReconnect)
            {
                SetState(MqttConnectionState.Disconnected, error);
                throw error!;
            }

            SetState(MqttConnectionState.Reconnecting, error);
            _supervisor = SuperviseAsync(null);
        }
        finally
        {
            _connectLock.Release();
        }
    }

    /// <summary>
    /// Watches the connection; when it is lost, reconnects (with <c>autoReconnect</c>) after the wait the
    /// <see cref="ReconnectPlanner"/> decides: a growing, jittered backoff per failed round of servers, none before a
    /// redirect, <c>maxReconnectInterval</c> after a session takeover or a refusal retrying will not fix.
    /// </summary>
    /// <param name="session">The current connection, or <see langword="null"/> when the first round failed.</param>
    private async Task SuperviseAsync(MqttConnection? session)
    {
        try
        {
            var delay = session is null ? RoundFailed() : TimeSpan.Zero;
            while (true)
            {
                if (session is not null)
                {
                    var reason = await session.Lost.WaitAsync(_stoppingToken).ConfigureAwait(false);
                    var server = _planner.Connected ?? _planner.Current;
                    EndConnection(session);
                    session = null;
                    Log.ConnectionLost(_logger, reason, _clientId);
                    if (!_autoReconnect)
                    {
                        _planner.OnLost(reason);
                        SetState(MqttConnectionState.Disconnected, reason);
                        return;
                    }

                    var decision = _planner.OnLost(reason);
                    delay = decision.Delay;
                    SetState(MqttConnectionState.Reconnecting, Explain(decision, server, reason));
                }

                Log.ReconnectScheduled(_logger, _clientId, delay, _planner.Retry);
                _telemetry?.Reconnecting();
                await DelayReconnectAsync(delay).ConfigureAwait(false);
                SetState(MqttConnectionState.Connecting, null);
                var (connected, error) = await ConnectRoundAsync(_stoppingToken).ConfigureAwait(false);
                if (connected is null)
                {
                    SetState(MqttConnectionState.Reconnecting, error);
                    delay = RoundFailed();
                    continue;
                }

                session = connected;
                await ActivateAsync(session).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (_stoppingToken.IsCancellationRequested)
        {
            // Disposed: the dispose path disconnects whatever connection is current.
        }
    }

    /// <summary>Logs and counts what a lost connection's decision means; returns the error the state change reports.</summary>
    private Exception? Explain(ReconnectDecision decision, ServerAddress server, Exception? reason)
    {
        switch (decision.Reason)
        {
            case ReconnectReason.Takeover or ReconnectReason.SuspectedTakeover:
                var problem = _planner.Problem ?? "another client with this client ID is connected";
                Log.TakenOver(_logger, _clientId, server, problem, decision.Delay);
                _telemetry?.TakenOver(decision.Reason == ReconnectReason.SuspectedTakeover);
                return new MqttDeviceClientException($"Another client with the client ID {_clientId} is connected to the MQTT broker {server}: {problem}.", RefusalClassifier.SessionTakenOver, reason);
            case ReconnectReason.Redirect:
                Log.Redirected(_logger, server, _clientId, _planner.Current);
                return reason;
            case ReconnectReason.Fatal:
                Log.RefusedUntilChanged(_logger, _clientId, decision.Delay);
                return reason;
            default:
                return reason;
        }
    }

    /// <summary>A round of attempts failed: the wait before the next one (logged when it is long because retrying will not help).</summary>
    private TimeSpan RoundFailed()
    {
        var delay = _planner.OnRoundFailed();
        if (_planner.RoundWasFatal)
        {
            Log.RefusedUntilChanged(_logger, _clientId, delay);
        }

        return delay;
    }

    /// <summary>
    /// Tries the servers in turn, from the one the planner names, following a Server Reference at once, until one
    /// connects or each has failed once.
    /// </summary>
    /// <returns>The connection, or why the last attempt failed.</returns>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    private async Task<(MqttConnection? Connection, MqttDeviceClientException? Error)> ConnectRoundAsync(CancellationToken cancellationToken)
    {
        _planner.BeginRound();
        while (true)
        {
            var server = _planner.Current;
            var (connection, error) = await ConnectOnceAsync(server, cancellationToken).ConfigureAwait(false);
            if (connection is not null)
            {
                _planner.OnConnected(server);
                _telemetry?.Connected(server);
                return (connection, null);
            }

            var next = _planner.OnAttemptFailed(error, out var redirected);
            if (next is null)
            {
                return (null, error);
            }

            if (redirected)
            {
                Log.Redirected(_logger, server, _clientId, next);
            }
            else
            {
                Log.TryingNextServer(_logger, next, _clientId);
            }
        }
    }

    /// <summary>Makes one connection attempt; a connected one becomes the current connection and starts receiving.</summary>
    /// <returns>The connection, or why there is none.</returns>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    private async Task<(MqttConnection? Connection, MqttDeviceClientException? Error)> ConnectOnceAsync(ServerAddress server, CancellationToken cancellationToken)
    {
        var (connection, error) = await _connector.ConnectAsync(server, cancellationToken).ConfigureAwait(false);
        _clientId = _connector.ClientId;
        if (connection is null)
        {
            return (null, error);
        }

        int receiveMaximum = connection.ConnectResult!.ReceiveMaximum is > 0 ? connection.ConnectResult.ReceiveMaximum.Value : MaxPipelined;
        connection.Window = _order ? 1 : Math.Min(receiveMaximum, MaxPipelined);
        lock (_gate)
        {
            _connection = connection;
        }

        connection.StartReceiving(OnPacket, OnReaderCaughtUp);
        return (connection, null);
    }

    /// <summary>
    /// Prepares a new connection and hands it to the sender: resumes the session (or starts a new one), restores the
    /// subscriptions, queues the availability message.
    /// </summary>
    private async Task ActivateAsync(MqttConnection connection)
    {
        try
        {
            await ResumeSessionAsync(connection).ConfigureAwait(false);
            await _subscriptions.RestoreAsync(connection).ConfigureAwait(false);
        }
        catch (Exception) when (_stoppingToken.IsCancellationRequested)
        {
            return;
        }
        catch (Exception exception)
        {
            if (connection.MarkLost(exception))
            {
                Log.ActivationFailed(_logger, exception, _clientId);
            }

            return;
        }

        lock (_gate)
        {
            if (connection.IsLost || _stoppingToken.IsCancellationRequested)
            {
                return;
            }

            if (_onlinePayload is not null && !string.IsNullOrEmpty(connection.Options.WillTopic))
            {
                // Before anything queued: the first thing a subscriber sees after a loss is that the device is back.
                _queue.Insert(CreateAvailabilityMessage(connection, _onlinePayload, first: true));
            }

            _ready = connection;
            _senderSignal.SetLocked();
        }

        SetState(MqttConnectionState.Connected, null);
        if (_keepAlive > TimeSpan.Zero)
        {
            _ = WatchAsync(connection);
        }
    }

    /// <summary>
    /// With the broker's session present, sends again, in their original order, every unacknowledged PUBLISH (same
    /// packet identifier, DUP set) and every PUBREL (MQTT-4.4.0-1). Without it, the exchanges are over: the messages go
    /// back to the queue to be sent as new ones, and the inbound QoS 2 state is forgotten.
    /// </summary>
    private async Task ResumeSessionAsync(MqttConnection connection)
    {
        OutboundMessage[] resend;
        var sessionLost = false;
        var restartedCount = 0;
        lock (_gate)
        {
            if (connection.ConnectResult?.IsSessionPresent == true)
            {
                resend = [.. _inFlight.Messages];
            }
            else
            {
                resend = [];
                var restarted = _inFlight.Reset();
                foreach (var message in restarted)
                {
                    _queue.Insert(message);
                }

                sessionLost = _sessionExpected;
                restartedCount = restarted.Length;
                _inbound.ResetSession();
            }

            _sessionExpected = !_cleanSession;
        }

        if (sessionLost)
        {
            Log.SessionLost(_logger, _clientId, restartedCount);
            _telemetry?.SessionLost();
            try
            {
                SessionLost?.Invoke(this, new MqttSessionLostEventArgs(restartedCount));
            }
            catch (Exception exception)
            {
                TryLogListenerFailed(exception);
            }
        }

        if (resend.Length == 0)
        {
            return;
        }

        // Handed over all at once and written together (the wire encodes each packet as it takes it).
        var releases = 0;
        var release = new MqttPubRelPacket();
        var publish = new MqttPublishPacket();
        foreach (var message in resend)
        {
            message.SentTimestamp = _time.GetTimestamp();
            if (message.Phase == OutboundPhase.Released)
            {
                releases++;
                release.PacketIdentifier = message.PacketId;
                connection.Enqueue(release);
            }
            else
            {
                connection.Enqueue(message.FillPublishPacket(publish, dup: true));
            }
        }

        await connection.FlushAsync().ConfigureAwait(false);

        _ackDeadline?.Watch();
        Log.SessionResumed(_logger, _clientId, resend.Length - releases, releases);
    }

    /// <summary>Handles an acknowledgement of one of our publishes, or queues a PUBLISH or PUBREL of the broker's for the inbound side; runs on the connection's reader.</summary>
    private void OnPacket(MqttConnection connection, MqttPacket packet)
    {
        switch (packet)
        {
            case MqttPublishPacket or MqttPubRelPacket:
                _inbound.Enqueue(connection, packet);
                return;
            case MqttPubAckPacket ack:
                OnAcknowledged(connection, ack.PacketIdentifier, OutboundPhase.Published, (int)ack.ReasonCode, pubAck: true);
                return;
            case MqttPubRecPacket received:
                OnAcknowledged(connection, received.PacketIdentifier, OutboundPhase.Published, (int)received.ReasonCode, pubAck: false);
                return;
            case MqttPubCompPacket complete:
                OnAcknowledged(connection, complete.PacketIdentifier, OutboundPhase.Released, (int)complete.ReasonCode, pubAck: false);
                return;
            default:
                throw new MqttDeviceClientException($"The broker sent an unexpected {packet.GetType().Name}.");
        }
    }

    /// <summary>
    /// Once the reader has handled every packet that arrived together: writes the PUBRELs they called for, in one write,
    /// and wakes the sender (on the thread pool) if they made room in the window for queued messages (a publish made
    /// later wakes it itself).
    /// </summary>
    private void OnReaderCaughtUp(MqttConnection connection)
    {
        bool flush;
        lock (_gate)
        {
            flush = _releasesToFlush;
            _releasesToFlush = false;
            if (_wakeSenderWhenCaughtUp)
            {
                _wakeSenderWhenCaughtUp = false;
                if (_queue.Count > 0)
                {
                    _senderSignal.SetLocked();
                }
            }
        }

        if (flush)
        {
            _ = FlushQuietlyAsync(connection);
        }
    }

    /// <summary>Moves a message on in its handshake: PUBACK and PUBCOMP end it, PUBREC releases it (PUBREL).</summary>
    private void OnAcknowledged(MqttConnection connection, ushort packetId, OutboundPhase expected, int code, bool pubAck)
    {
        OutboundMessage? message;
        MqttPublishResult? outcome = null;
        var release = false;
        var downgraded = false;
        lock (_gate)
        {
            message = _inFlight.Find(packetId);
            if (message is not null && message.Phase == OutboundPhase.Released && expected == OutboundPhase.Published && !pubAck)
            {
                // A PUBREC again (our PUBREL crossed a reconnect): answer it again.
                release = true;
            }
            else if (message is null || message.Phase != expected)
            {
                message = null;
            }
            else if (code >= 0x80)
            {
                outcome = MqttPublishResult.Dropped(MqttDropReason.RefusedByBroker, code);
            }
            else if (pubAck || expected == OutboundPhase.Released)
            {
                // PUBACK of a QoS 2 message: the broker does not do QoS 2 (RabbitMQ 3.x) and took it at QoS 1.
                downgraded = pubAck && message.Qos == MqttQos.ExactlyOnce && !connection.Qos2DowngradeLogged;
                connection.Qos2DowngradeLogged |= downgraded;
                outcome = MqttPublishResult.Delivered;
            }
            else
            {
                message.Phase = OutboundPhase.Released;
                message.SentTimestamp = _time.GetTimestamp();
                release = true;
            }

            // A PUBREL to write once the reader caught up (Release hands it over below, unless the store failed).
            _releasesToFlush |= release;
            if (outcome is not null)
            {
                // Room in the window: the sender is woken once the reader has handled every acknowledgement that arrived
                // with this one (OnReaderCaughtUp), so it fills the room they made in one write, not one per PUBACK.
                _inFlight.Remove(message!);
                _wakeSenderWhenCaughtUp = true;
                SignalProgressLocked();
            }
        }

        if (downgraded)
        {
            Log.Qos2Downgraded(_logger, _clientId);
        }

        if (message is null && !release)
        {
            Log.UnknownAcknowledgement(_logger, _clientId, packetId);
            if (expected == OutboundPhase.Published && !pubAck)
            {
                // MQTT 5 asks for a PUBREL even so, saying the identifier is unknown.
                _ = SendQuietlyAsync(connection, new MqttPubRelPacket { PacketIdentifier = packetId, ReasonCode = MQTTnet.Protocol.MqttPubRelReasonCode.PacketIdentifierNotFound });
            }

            return;
        }

        if (outcome is not null)
        {
            Finish(message!, outcome);
            return;
        }

        // Saved before PUBREL is written: a process killed after it sends PUBREL again, never the PUBLISH.
        if (TrySaveProgress(message!))
        {
            Release(connection, packetId);
        }
        else
        {
            connection.MarkLost(new MqttDeviceClientException("The File store could not save a message's progress."));
        }
    }

    /// <summary>Hands a PUBREL to the connection's writer; it goes out when the reader has caught up (<see cref="OnReaderCaughtUp"/>), with the others that packets arriving together called for.</summary>
    private void Release(MqttConnection connection, ushort packetId)
    {
        // Only the reader releases, so one packet serves (the writer encodes it before Enqueue returns).
        _release.PacketIdentifier = packetId;
        try
        {
            connection.Enqueue(_release);
        }
        catch (Exception)
        {
            // The connection is lost (it says why); the session sends PUBREL again on the next one.
        }
    }

    private static async Task FlushQuietlyAsync(MqttConnection connection)
    {
        try
        {
            await connection.FlushAsync().ConfigureAwait(false);
        }
        catch (Exception)
        {
            // The connection is lost (it says why); the session resends what the packets were for.
        }
    }

    private static async Task SendQuietlyAsync(MqttConnection connection, MqttPacket packet)
    {
        try
        {
            await connection.SendAsync(packet).ConfigureAwait(false);
        }
        catch (Exception)
        {
            // The connection is lost (it says why); the session resends what this packet was for.
        }
    }

    /// <summary>Called by the write-timeout watch: declares the connection dead when its oldest unacknowledged message waited <c>client.writeTimeout</c>.</summary>
    /// <returns>How long until the oldest message is overdue, or <see langword="null"/> to stop watching.</returns>
    private TimeSpan? OnAckOverdue()
    {
        MqttConnection? connection;
        OutboundMessage? oldest = null;
        long sent = 0, sequence = 0;
        lock (_gate)
        {
            connection = _connection;
            foreach (var message in _inFlight.Messages)
            {
                if (oldest is null || message.SentTimestamp < oldest.SentTimestamp)
                {
                    oldest = message;
                }
            }

            // Read under the gate: once acknowledged, a message may be reused by another publish.
            if (oldest is not null)
            {
                (sent, sequence) = (oldest.SentTimestamp, oldest.Sequence);
            }
        }

        if (oldest is null || connection is null || connection.IsLost)
        {
            return null;
        }

        var waited = _time.GetElapsedTime(sent);
        if (waited < _writeTimeout)
        {
            return _writeTimeout - waited;
        }

        // Logged before the connection is dropped, so the warning comes before the reconnect it causes.
        Log.WriteTimedOut(_logger, sequence, _clientId, GoDuration.FromTimeSpan(_writeTimeout));
        if (connection.MarkLost(new TimeoutException($"The broker did not acknowledge message {sequence} within client.writeTimeout {GoDuration.FromTimeSpan(_writeTimeout)}.")))
        {
            _telemetry?.SendFailed(true);
        }

        return null;
    }

    private async Task WatchAsync(MqttConnection connection)
    {
        var serverKeepAlive = connection.ConnectResult?.ServerKeepAlive ?? 0;
        var keepAlive = serverKeepAlive > 0 ? TimeSpan.FromSeconds(serverKeepAlive) : _keepAlive;
        var failure = await PingWatchdog.RunAsync(connection.PingAsync, PingWatchdog.GetInterval(keepAlive), _pingTimeout, _time, connection.Token).ConfigureAwait(false);
        if (failure is not null && connection.MarkLost(failure))
        {
            Log.KeepAliveFailed(_logger, failure, _clientId);
        }
    }

    /// <summary>Makes an availability message (retained, to the will topic); the client's own, with no caller and no store.</summary>
    /// <param name="connection">The connection whose will topic and QoS it uses.</param>
    /// <param name="payload">The payload.</param>
    /// <param name="first">Whether it goes before every queued message (online) or after them (offline).</param>
    private OutboundMessage CreateAvailabilityMessage(MqttConnection connection, byte[] payload, bool first)
    {
        var sequence = first ? ++_internalSequence : Interlocked.Increment(ref _sequence);
        return new OutboundMessage(sequence, connection.Options.WillTopic, PayloadBuffer.Copy(payload), (MqttQos)connection.Options.WillQualityOfServiceLevel, retain: true)
        {
            Internal = true,
        };
    }

    private void EndConnection(MqttConnection connection)
    {
        lock (_gate)
        {
            if (_ready == connection)
            {
                _ready = null;
            }

            if (_connection == connection)
            {
                _connection = null;
            }
        }

        connection.Dispose();
    }
}
