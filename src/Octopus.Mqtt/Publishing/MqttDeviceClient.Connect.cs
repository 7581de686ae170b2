using System.Buffers;
using MQTTnet;
using MQTTnet.Formatter;
using MQTTnet.Protocol;

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
            ConnectionSession? session;
            MqttDeviceClientException? error;
            using (var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _stoppingToken))
            {
                try
                {
                    (session, error) = await ConnectOnceAsync(linked.Token).ConfigureAwait(false);
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

    /// <summary>Watches the connection; when it is lost, reconnects (with <c>autoReconnect</c>) after a growing, jittered delay.</summary>
    /// <param name="session">The current connection, or <see langword="null"/> when the first attempt failed.</param>
    private async Task SuperviseAsync(ConnectionSession? session)
    {
        var retry = 0;
        try
        {
            while (true)
            {
                if (session is not null)
                {
                    var reason = await session.Lost.WaitAsync(_stoppingToken).ConfigureAwait(false);
                    EndSession(session);
                    session = null;
                    Log.ConnectionLost(_logger, reason, _clientId);
                    if (!_autoReconnect)
                    {
                        SetState(MqttConnectionState.Disconnected, reason);
                        return;
                    }

                    SetState(MqttConnectionState.Reconnecting, reason);
                    retry = 0;
                }

                var delay = _backoff.GetDelay(retry);
                Log.ReconnectScheduled(_logger, _clientId, delay, retry + 1);
                _telemetry?.Reconnecting();
                await Task.Delay(delay, _time, _stoppingToken).ConfigureAwait(false);
                SetState(MqttConnectionState.Connecting, null);
                var (connected, error) = await ConnectOnceAsync(_stoppingToken).ConfigureAwait(false);
                if (connected is null)
                {
                    retry++;
                    SetState(MqttConnectionState.Reconnecting, error);
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

    /// <summary>Makes one connection attempt (two when protocol version 0 falls back to 3.1).</summary>
    /// <returns>The connected session, or why there is none.</returns>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    private async Task<(ConnectionSession? Session, MqttDeviceClientException? Error)> ConnectOnceAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            MqttClientOptions options;
            try
            {
                options = await _optionsFactory(_mqtt31Fallback, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception exception) when (!cancellationToken.IsCancellationRequested)
            {
                Log.ConnectFailed(_logger, exception, _clientId);
                return (null, new MqttDeviceClientException($"Preparing the connection of {_clientId} failed: {exception.Message}", exception));
            }

            // MQTTnet defaults to 5.0; the version is always the one the options ask for.
            options.ProtocolVersion = GetProtocolVersion(_protocolVersion, _mqtt31Fallback);
            options.KeepAlivePeriod = _keepAlive;
            options.Timeout = _connectTimeout;
            options.CleanSession = _cleanSession;
            if (!string.IsNullOrEmpty(options.ClientId))
            {
                _clientId = options.ClientId;
            }

            var clientId = _clientId;
            var session = new ConnectionSession(_clientFactory(), options);
            session.Client.ApplicationMessageReceivedAsync += _onMessageReceived;
            Log.Connecting(_logger, clientId, options.ProtocolVersion);

            MqttClientConnectResult result;
            using (var timeout = _connectTimeout == Timeout.InfiniteTimeSpan ? null : new CancellationTokenSource(_connectTimeout, _time))
            using (var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout?.Token ?? CancellationToken.None))
            {
                try
                {
                    result = await session.Client.ConnectAsync(options, linked.Token).ConfigureAwait(false);
                }
                catch (Exception exception)
                {
                    session.Dispose();
                    cancellationToken.ThrowIfCancellationRequested();
                    Log.ConnectFailed(_logger, exception, clientId);
                    var message = timeout?.IsCancellationRequested == true
                        ? $"Connecting to the MQTT broker as {clientId} did not complete within client.connectTimeout {GoDuration.FromTimeSpan(_connectTimeout)}."
                        : $"Connecting to the MQTT broker as {clientId} failed: {exception.Message}";
                    return (null, new MqttDeviceClientException(message, exception));
                }
            }

            if (result.ResultCode == MqttClientConnectResultCode.Success)
            {
                session.ConnectResult = result;
                var receiveMaximum = result.ReceiveMaximum is > 0 ? result.ReceiveMaximum.Value : MaxPipelined;
                session.Window = _order ? 1 : Math.Min(receiveMaximum, MaxPipelined);
                Log.Connected(_logger, clientId, result.IsSessionPresent);
                lock (_gate)
                {
                    _connected = session;
                }

                return (session, null);
            }

            session.Dispose();
            if (result.ResultCode == MqttClientConnectResultCode.UnsupportedProtocolVersion && _protocolVersion == 0 && !_mqtt31Fallback)
            {
                Log.FallingBackToMqtt31(_logger, clientId);
                _mqtt31Fallback = true;
                continue;
            }

            var code = (int)result.ResultCode;
            Log.ConnectRefused(_logger, clientId, result.ResultCode, code);
            var detail = string.IsNullOrEmpty(result.ReasonString) ? string.Empty : ", " + result.ReasonString;
            return (null, new MqttDeviceClientException($"The MQTT broker refused the connection of {clientId}: {result.ResultCode} ({code}){detail}.", code, null));
        }
    }

    /// <summary>Prepares a new connection (subscriptions, availability) and hands it to the sender.</summary>
    private async Task ActivateAsync(ConnectionSession session)
    {
        try
        {
            await _subscriptionLock.WaitAsync(_stoppingToken).ConfigureAwait(false);
            try
            {
                if (session.ConnectResult?.IsSessionPresent != true)
                {
                    _applied.Clear();
                }

                _subscriptionSession = session;
                await ApplySubscriptionsAsync(session, throwOnRefusal: false).ConfigureAwait(false);
            }
            finally
            {
                _subscriptionLock.Release();
            }

            if (_onlinePayload is not null && !string.IsNullOrEmpty(session.Options.WillTopic))
            {
                await PublishAvailabilityAsync(session, _onlinePayload).ConfigureAwait(false);
            }
        }
        catch (Exception) when (_stoppingToken.IsCancellationRequested)
        {
            return;
        }
        catch (Exception exception)
        {
            if (session.MarkLost(exception))
            {
                Log.ActivationFailed(_logger, exception, _clientId);
            }

            return;
        }

        lock (_gate)
        {
            if (session.IsLost || _stoppingToken.IsCancellationRequested)
            {
                return;
            }

            _session = session;
            _senderSignal.SetLocked();
        }

        SetState(MqttConnectionState.Connected, null);
        if (_keepAlive > TimeSpan.Zero && _pingTimeout != Timeout.InfiniteTimeSpan)
        {
            _ = WatchAsync(session);
        }
    }

    private async Task WatchAsync(ConnectionSession session)
    {
        var serverKeepAlive = session.ConnectResult?.ServerKeepAlive ?? 0;
        var keepAlive = serverKeepAlive > 0 ? TimeSpan.FromSeconds(serverKeepAlive) : _keepAlive;
        var failure = await PingWatchdog.RunAsync(session.Client.PingAsync, PingWatchdog.GetInterval(keepAlive), _pingTimeout, _time, session.Token).ConfigureAwait(false);
        if (failure is not null && session.MarkLost(failure))
        {
            Log.KeepAliveFailed(_logger, failure, _clientId);
        }
    }

    /// <summary>Publishes an availability payload, retained, to the will topic.</summary>
    private async Task PublishAvailabilityAsync(ConnectionSession session, byte[] payload)
    {
        var message = new MqttApplicationMessage
        {
            Topic = session.Options.WillTopic,
            Payload = new ReadOnlySequence<byte>(payload),
            QualityOfServiceLevel = session.Options.WillQualityOfServiceLevel,
            Retain = true,
        };
        using var timeout = _writeTimeout == Timeout.InfiniteTimeSpan ? null : new CancellationTokenSource(_writeTimeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(session.Token, _stoppingToken, timeout?.Token ?? CancellationToken.None);
        var result = await session.Client.PublishAsync(message, linked.Token).ConfigureAwait(false);
        if ((int)result.ReasonCode >= 0x80)
        {
            Log.AvailabilityPublishFailed(_logger, new MqttDeviceClientException($"The MQTT broker refused it: {result.ReasonCode} ({(int)result.ReasonCode}).", (int)result.ReasonCode, null), _clientId, message.Topic);
        }
    }

    private void EndSession(ConnectionSession session)
    {
        lock (_gate)
        {
            if (_session == session)
            {
                _session = null;
            }

            if (_connected == session)
            {
                _connected = null;
            }
        }

        session.Dispose();
    }

    /// <summary>Gets the MQTTnet protocol version of <c>client.protocolVersion</c>: 3 is 3.1, 5 is 5.0, 0 and 4 are 3.1.1 (0 falling back to 3.1).</summary>
    /// <param name="protocolVersion">The option.</param>
    /// <param name="mqtt31Fallback">Whether version 0 fell back to 3.1.</param>
    /// <returns>The version.</returns>
    internal static MqttProtocolVersion GetProtocolVersion(int protocolVersion, bool mqtt31Fallback) => protocolVersion switch
    {
        3 => MqttProtocolVersion.V310,
        5 => MqttProtocolVersion.V500,
        0 when mqtt31Fallback => MqttProtocolVersion.V310,
        _ => MqttProtocolVersion.V311,
    };

    private static MqttQualityOfServiceLevel ToMqttNet(MqttQos qos) => (MqttQualityOfServiceLevel)qos;
}
