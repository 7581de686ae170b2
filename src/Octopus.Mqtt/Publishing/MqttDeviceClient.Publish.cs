using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using System.Text.Json.Serialization.Metadata;
using MQTTnet;
using MQTTnet.Exceptions;

namespace Octopus.Mqtt;

/// <summary>Publishing: acceptance into the bounded queue, the sender, and each message's outcome.</summary>
internal sealed partial class MqttDeviceClient
{
    /// <inheritdoc/>
    [RequiresUnreferencedCode("JSON serialisation of an arbitrary type may need types the trimmer removes; use the overload with a JsonTypeInfo<T>.")]
    [RequiresDynamicCode("JSON serialisation of an arbitrary type may need runtime code generation; use the overload with a JsonTypeInfo<T>.")]
    public ValueTask<MqttPublishResult> PublishAsync<T>(T value, MqttPublishOptions? options, CancellationToken cancellationToken)
    {
        ThrowIfDisposed();
        var payload = JsonPayload.TryCopyBytes(value, out var bytes) ? bytes : JsonPayload.Serialize(value, _jsonOptions);
        return PublishPayloadAsync(payload, options, cancellationToken);
    }

    /// <inheritdoc/>
    public ValueTask<MqttPublishResult> PublishAsync<T>(T value, JsonTypeInfo<T> jsonTypeInfo, MqttPublishOptions? options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(jsonTypeInfo);
        ThrowIfDisposed();
        var payload = JsonPayload.TryCopyBytes(value, out var bytes) ? bytes : JsonPayload.Serialize(value, jsonTypeInfo);
        return PublishPayloadAsync(payload, options, cancellationToken);
    }

    /// <inheritdoc/>
    public ValueTask<MqttPublishResult> PublishAsync(ReadOnlyMemory<byte> payload, MqttPublishOptions? options, CancellationToken cancellationToken)
    {
        ThrowIfDisposed();
        return PublishPayloadAsync(PayloadBuffer.Copy(payload.Span), options, cancellationToken);
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<MqttPublishResult> PublishPayloadAsync(PayloadBuffer payload, MqttPublishOptions? options, CancellationToken cancellationToken)
    {
        OutboundMessage message;
        try
        {
            cancellationToken.ThrowIfCancellationRequested();
            string topic;
            if (options?.RenderMap is { } renderMap)
            {
                topic = _topics.RenderPublishTopic(renderMap);
                ValidateTopic(topic, "The rendered publish topic");
            }
            else
            {
                topic = _topics.PublishTopic;
            }

            var qos = options?.Qos ?? _defaultQos;
            if ((uint)qos > (uint)MqttQos.ExactlyOnce)
            {
                throw new ArgumentException($"The QoS {(int)qos} is not 0, 1 or 2.", nameof(options));
            }

            message = new OutboundMessage(Interlocked.Increment(ref _sequence), topic, payload, qos, options?.Retained ?? _defaultRetain);
            _telemetry?.Accepted(message, _clientId);
        }
        catch
        {
            payload.Release();
            throw;
        }

        if (_store is not null && message.Qos != MqttQos.AtMostOnce)
        {
            try
            {
                _store.Save(message);
                message.Persisted = true;
            }
            catch
            {
                message.ReleasePayload();
                throw;
            }
        }

        bool online;
        try
        {
            online = await AcceptAsync(message, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            Forget(message);
            throw;
        }

        var outcome = message.Task;
        if (outcome.IsCompleted)
        {
            return await outcome.ConfigureAwait(false);
        }

        // waitTimeout, when set, bounds the wait whether online or not; without it a call waits up to writeTimeout
        // for a connected send, and not at all for a message queued while offline.
        var limit = _waitTimeout != Timeout.InfiniteTimeSpan ? _waitTimeout : online ? _writeTimeout : TimeSpan.Zero;
        if (limit == TimeSpan.Zero)
        {
            return MqttPublishResult.Queued;
        }

        if (!cancellationToken.CanBeCanceled && limit == _publishWaits?.Limit)
        {
            // The client's one wait timer bounds the call: no timer per publish.
            _publishWaits.Add(message);
            return await outcome.ConfigureAwait(false);
        }

        try
        {
            return limit == Timeout.InfiniteTimeSpan && !cancellationToken.CanBeCanceled
                ? await outcome.ConfigureAwait(false)
                : await outcome.WaitAsync(limit, _time, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            return MqttPublishResult.Queued;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return MqttPublishResult.Queued;
        }
    }

    /// <summary>Puts the message in the queue, applying the overflow policy.</summary>
    /// <returns>Whether the client was connected when the message was accepted.</returns>
    private ValueTask<bool> AcceptAsync(OutboundMessage message, CancellationToken cancellationToken)
    {
        bool online;
        bool wake;
        lock (_gate)
        {
            if (!TryAcceptLocked(message, out online))
            {
                return WaitForRoomAsync(message, cancellationToken);
            }

            wake = _senderSignal.ClaimLocked();
        }

        // Outside the gate, an idle sender takes the message on this thread: no hand-off through the thread pool.
        if (wake)
        {
            _senderSignal.WakeClaimed();
        }

        return new ValueTask<bool>(online);
    }

    private async ValueTask<bool> WaitForRoomAsync(OutboundMessage message, CancellationToken cancellationToken)
    {
        var start = _time.GetTimestamp();
        while (true)
        {
            Task room;
            lock (_gate)
            {
                if (TryAcceptLocked(message, out var online))
                {
                    _senderSignal.SetLocked();
                    return online;
                }

                room = (_roomSignal ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).Task;
            }

            var remaining = _waitTimeout == Timeout.InfiniteTimeSpan ? Timeout.InfiniteTimeSpan : _waitTimeout - _time.GetElapsedTime(start);
            try
            {
                if (remaining != Timeout.InfiniteTimeSpan && remaining <= TimeSpan.Zero)
                {
                    throw new TimeoutException();
                }

                await room.WaitAsync(remaining, _time, cancellationToken).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                lock (_gate)
                {
                    Finish(message, MqttPublishResult.Dropped(MqttDropReason.QueueOverflow));
                }

                return false;
            }
        }
    }

    private bool TryAcceptLocked(OutboundMessage message, out bool online)
    {
        ObjectDisposedException.ThrowIf(_acceptClosed, this);
        online = _session is not null;
        if (_queue.Count >= _depth)
        {
            switch (_overflowPolicy)
            {
                case MqttQueueOverflowPolicy.DropNewest:
                    Finish(message, MqttPublishResult.Dropped(MqttDropReason.QueueOverflow));
                    return true;
                case MqttQueueOverflowPolicy.Refuse:
                    throw new MqttDeviceClientException($"The message queue is full: {_depth} message(s) are waiting to be sent (client.messageChannelDepth); the publish was refused.");
                case MqttQueueOverflowPolicy.Wait:
                    return false;
                default:
                    while (_queue.Count >= _depth)
                    {
                        Finish(_queue.Dequeue(), MqttPublishResult.Dropped(MqttDropReason.QueueOverflow));
                    }

                    break;
            }
        }

        _queue.Insert(message);
        return true;
    }

    /// <summary>Undoes a message that was never accepted.</summary>
    private void Forget(OutboundMessage message)
    {
        if (message.Persisted)
        {
            _store!.Delete(message.Sequence);
        }

        MqttDeviceClientTelemetry.Abandoned(message);
        message.ReleasePayload();
    }

    /// <summary>Sets a message's final outcome: forgets it in the store (unless it stays there for the next run), counts and logs a drop.</summary>
    private void Finish(OutboundMessage message, MqttPublishResult result)
    {
        if (message.Persisted && result.Status != MqttPublishStatus.Queued)
        {
            _store!.Delete(message.Sequence);
        }

        if (result.Status == MqttPublishStatus.Dropped)
        {
            Interlocked.Increment(ref _droppedCount);
            if (result.DropReason == MqttDropReason.RefusedByBroker)
            {
                Log.PublishRefused(_logger, message.Sequence, _clientId, message.Topic, (MqttClientPublishReasonCode)result.ReasonCode, result.ReasonCode);
            }
            else
            {
                Log.MessageDropped(_logger, message.Sequence, _clientId, message.Topic, result.DropReason);
            }
        }

        _telemetry?.Completed(message, result);
        message.Complete(result);
    }

    /// <summary>Gets the outcome of a message still unsent when the client is disposed.</summary>
    private static MqttPublishResult GetFinalResult(OutboundMessage message) =>
        message.Persisted ? MqttPublishResult.Queued : MqttPublishResult.Dropped(MqttDropReason.Disposed);

    /// <summary>The single sender: takes messages in order while a connection is ready, one at a time with <c>client.order</c>.</summary>
    private async Task RunSenderAsync()
    {
        while (true)
        {
            OutboundMessage? message = null;
            ConnectionSession? session;
            ValueTask signal = default;
            lock (_gate)
            {
                if (_stoppingToken.IsCancellationRequested)
                {
                    return;
                }

                session = _session;
                if (session is { IsLost: false } && _queue.Count > 0 && _inFlight < session.Window)
                {
                    message = _queue.Dequeue();
                    _inFlight++;
                    SignalLocked(ref _roomSignal);
                }
                else
                {
                    signal = _senderSignal.WaitLocked();
                }
            }

            if (message is null)
            {
                await signal.ConfigureAwait(false);
                continue;
            }

            if (_order)
            {
                await SendAsync(session!, message).ConfigureAwait(false);
            }
            else
            {
                _ = SendAsync(session!, message).AsTask();
            }
        }
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    private async ValueTask SendAsync(ConnectionSession session, OutboundMessage message)
    {
        MqttClientPublishResult? result = null;
        Exception? error = null;
        var invalid = false;
        var timeout = _writeTimeouts?.Rent();
        try
        {
            Task<MqttClientPublishResult> publish = null!;
            if (BrokerLimits.GetViolation(session.ConnectResult, session.Options.ProtocolVersion, message) is { } violation)
            {
                // The broker would close the connection, again after every resend.
                invalid = true;
                error = new MqttDeviceClientException($"The message cannot be sent to this broker: {violation}.");
            }
            else
            {
                try
                {
                    publish = session.Client.PublishAsync(message.GetApplicationMessage(), timeout?.Token ?? CancellationToken.None);
                }
                catch (Exception exception) when (exception is ArgumentException or MqttProtocolViolationException)
                {
                    // Refused by MQTTnet's checks before anything was sent: sending again would fail again.
                    invalid = true;
                    error = exception;
                }
            }

            if (!invalid)
            {
                result = await publish.ConfigureAwait(false);
            }
        }
        catch (Exception exception)
        {
            error = exception;
        }
        finally
        {
            message.Attempts++;
        }

        MqttPublishResult? outcome = null;
        if (result is not null)
        {
            var code = (int)result.ReasonCode;
            outcome = code < 0x80 ? MqttPublishResult.Delivered : MqttPublishResult.Dropped(MqttDropReason.RefusedByBroker, code);
        }
        else if (invalid)
        {
            Log.PublishInvalid(_logger, error!, message.Sequence, _clientId, message.Topic);
            outcome = MqttPublishResult.Dropped(MqttDropReason.Invalid);
        }
        else if (!session.IsLost)
        {
            // Not acknowledged: this connection cannot be trusted any more; the message goes back in the queue.
            if (timeout?.IsCancellationRequested == true)
            {
                Log.WriteTimedOut(_logger, message.Sequence, _clientId, GoDuration.FromTimeSpan(_writeTimeout));
            }
            else
            {
                Log.PublishFailed(_logger, error!, message.Sequence, _clientId);
            }

            _telemetry?.SendFailed(timeout?.IsCancellationRequested == true);
            session.MarkLost(error);
        }

        if (timeout is not null)
        {
            _writeTimeouts!.Return(timeout);
        }

        if (outcome is not null)
        {
            Finish(message, outcome);
        }

        var late = false;
        lock (_gate)
        {
            _inFlight--;
            if (outcome is null)
            {
                if (_closed)
                {
                    late = true;
                }
                else
                {
                    _queue.Insert(message);
                }
            }

            _senderSignal.SetLocked();
            SignalProgressLocked();
        }

        if (late)
        {
            Finish(message, GetFinalResult(message));
        }
    }

    private static void SignalLocked(ref TaskCompletionSource? signal)
    {
        var waiting = signal;
        if (waiting is not null)
        {
            signal = null;
            waiting.TrySetResult();
        }
    }

    private void SignalProgressLocked()
    {
        if (_inFlight == 0)
        {
            SignalLocked(ref _idleSignal);
            if (_queue.Count == 0)
            {
                SignalLocked(ref _drainedSignal);
            }
        }
    }
}
