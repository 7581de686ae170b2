using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using System.Text.Json.Serialization.Metadata;

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
        var json = !JsonPayload.TryCopyBytes(value, out var bytes);
        var payload = json ? JsonPayload.Serialize(value, _jsonOptions) : bytes;
        return PublishPayloadAsync(payload, json, options, cancellationToken);
    }

    /// <inheritdoc/>
    public ValueTask<MqttPublishResult> PublishAsync<T>(T value, JsonTypeInfo<T> jsonTypeInfo, MqttPublishOptions? options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(jsonTypeInfo);
        ThrowIfDisposed();
        var json = !JsonPayload.TryCopyBytes(value, out var bytes);
        var payload = json ? JsonPayload.Serialize(value, jsonTypeInfo) : bytes;
        return PublishPayloadAsync(payload, json, options, cancellationToken);
    }

    /// <inheritdoc/>
    public ValueTask<MqttPublishResult> PublishAsync(ReadOnlyMemory<byte> payload, MqttPublishOptions? options, CancellationToken cancellationToken)
    {
        ThrowIfDisposed();
        return PublishPayloadAsync(PayloadBuffer.Copy(payload.Span), json: false, options, cancellationToken);
    }

    /// <summary>
    /// Accepts a publish and answers with its message's own outcome: on the usual path (room in the queue, no token, the
    /// client's one wait timer) nothing here is asynchronous, so the call allocates no task and no state machine; the
    /// caller awaits the message itself. Faults come in the returned task, as from an async method.
    /// </summary>
    private ValueTask<MqttPublishResult> PublishPayloadAsync(PayloadBuffer payload, bool json, MqttPublishOptions? options, CancellationToken cancellationToken)
    {
        OutboundMessage message;
        try
        {
            message = CreateMessage(payload, json, options, cancellationToken);
        }
        catch (Exception exception)
        {
            payload.Release();
            return Faulted(exception, cancellationToken);
        }

        if (!TrySave(message))
        {
            return message.Outcome;
        }

        ValueTask<bool> accepted;
        try
        {
            accepted = AcceptAsync(message, cancellationToken);
        }
        catch (Exception exception)
        {
            Forget(message);
            return Faulted(exception, cancellationToken);
        }

        return accepted.IsCompletedSuccessfully
            ? WaitForOutcome(message, accepted.Result, cancellationToken)
            : WaitForRoomThenOutcomeAsync(message, accepted, cancellationToken);
    }

    private OutboundMessage CreateMessage(PayloadBuffer payload, bool json, MqttPublishOptions? options, CancellationToken cancellationToken)
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

        var properties = _properties.Create(options, json);
        var message = _messagePool.Rent(Interlocked.Increment(ref _sequence), topic, payload, qos, options?.Retained ?? _defaultRetain);
        message.Properties = properties;
        _telemetry?.Accepted(message, _clientId);
        if (_properties.IsMqtt5 && message.Activity is { } activity)
        {
            TraceContext.Inject(activity, message);
        }

        return message;
    }

    /// <summary>Keeps a QoS 1 or 2 message in the File store before it is queued.</summary>
    /// <returns><see langword="false"/> when the store failed: the message is then dropped (its outcome is set).</returns>
    private bool TrySave(OutboundMessage message)
    {
        if (_store is null || message.Qos == MqttQos.AtMostOnce)
        {
            return true;
        }

        try
        {
            _store.Save(message);
            message.Store = _store;
        }
        catch (Exception exception)
        {
            // Disk full, permission: the caller is told, the health check reports it, and the client goes on.
            Log.StoreSaveFailed(_logger, exception, _clientId, message.Sequence);
            Volatile.Write(ref _storeFailure, exception);
            Finish(message, MqttPublishResult.Dropped(MqttDropReason.StoreFailed));
            return false;
        }

        Volatile.Write(ref _storeFailure, null);
        return true;
    }

    private static ValueTask<MqttPublishResult> Faulted(Exception exception, CancellationToken cancellationToken) =>
        exception is OperationCanceledException && cancellationToken.IsCancellationRequested
            ? ValueTask.FromCanceled<MqttPublishResult>(cancellationToken)
            : ValueTask.FromException<MqttPublishResult>(exception);

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<MqttPublishResult> WaitForRoomThenOutcomeAsync(OutboundMessage message, ValueTask<bool> accepted, CancellationToken cancellationToken)
    {
        bool online;
        try
        {
            online = await accepted.ConfigureAwait(false);
        }
        catch
        {
            Forget(message);
            throw;
        }

        return await WaitForOutcome(message, online, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The caller's wait for an accepted message's outcome, under <c>client.waitTimeout</c> or <c>client.writeTimeout</c>.</summary>
    private ValueTask<MqttPublishResult> WaitForOutcome(OutboundMessage message, bool online, CancellationToken cancellationToken)
    {
        var outcome = message.Outcome;
        if (outcome.IsCompleted)
        {
            return outcome;
        }

        // waitTimeout, when set, bounds the wait whether online or not; without it a call waits up to writeTimeout
        // for a connected send, and not at all for a message queued while offline.
        var limit = _waitTimeout != Timeout.InfiniteTimeSpan ? _waitTimeout : online ? _writeTimeout : TimeSpan.Zero;
        if (limit == TimeSpan.Zero)
        {
            // The caller takes no answer: its hold on the message ends here.
            message.Release();
            return new ValueTask<MqttPublishResult>(MqttPublishResult.Queued);
        }

        if (!cancellationToken.CanBeCanceled)
        {
            // The limit is the client's one, so its one wait timer bounds the call (none when the limit is infinite).
            _publishWaits?.Add(message);
            return outcome;
        }

        return WaitWithTokenAsync(outcome, limit, cancellationToken);
    }

    /// <summary>A wait the caller's token may end: the answer is taken by the task whenever it comes, the call ends at the limit or the token.</summary>
    private async ValueTask<MqttPublishResult> WaitWithTokenAsync(ValueTask<MqttPublishResult> outcome, TimeSpan limit, CancellationToken cancellationToken)
    {
        try
        {
            return await outcome.AsTask().WaitAsync(limit, _time, cancellationToken).ConfigureAwait(false);
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
        RoomWaiters.Waiter? waiter;
        List<OutboundMessage>? dropped = null;
        List<OutboundMessage>? superseded = null;
        lock (_gate)
        {
            if (_coalesceRetained && message.Retain)
            {
                superseded = _queue.RemoveRetained(message.Topic);
            }

            waiter = TryAcceptLocked(message, out online, ref dropped);
            if (waiter is null && _inFlight.Count == 0)
            {
                wake = _senderSignal.ClaimLocked();
            }
            else
            {
                // Messages await their acknowledgement (a pipelined stream): the sender, woken on the thread pool, takes
                // every message the publishes of this moment queued and writes them together. With the window full it
                // is the acknowledgement that wakes it.
                wake = false;
                if (waiter is null && _ready is { } connection && CanSendLocked(connection, _queue.Peek()))
                {
                    _senderSignal.SetLocked();
                }
            }
        }

        if (superseded is not null)
        {
            foreach (var item in superseded)
            {
                Finish(item, MqttPublishResult.Dropped(MqttDropReason.Superseded));
            }
        }

        if (dropped is not null)
        {
            foreach (var item in dropped)
            {
                Finish(item, MqttPublishResult.Dropped(MqttDropReason.QueueOverflow));
            }
        }

        if (waiter is not null)
        {
            return WaitForRoomAsync(waiter, cancellationToken);
        }

        // Outside the gate, an idle sender on an idle connection takes the message on this thread: a lone publish goes out
        // at once, with no hand-off through the thread pool.
        if (wake)
        {
            _senderSignal.WakeClaimed();
        }

        return new ValueTask<bool>(online);
    }

    private async ValueTask<bool> WaitForRoomAsync(RoomWaiters.Waiter waiter, CancellationToken cancellationToken)
    {
        try
        {
            return _waitTimeout == Timeout.InfiniteTimeSpan && !cancellationToken.CanBeCanceled
                ? await waiter.Task.ConfigureAwait(false)
                : await waiter.Task.WaitAsync(_waitTimeout, _time, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is TimeoutException or OperationCanceledException)
        {
            bool withdrawn;
            lock (_gate)
            {
                withdrawn = _waiters.Withdraw(waiter);
            }

            if (!withdrawn)
            {
                // Admitted meanwhile: the message is in the queue.
                return await waiter.Task.ConfigureAwait(false);
            }

            if (exception is OperationCanceledException)
            {
                throw;
            }

            Finish(waiter.Message, MqttPublishResult.Dropped(MqttDropReason.QueueOverflow));
            return false;
        }
    }

    /// <summary>Queues the message under the overflow policy, or returns the waiter it must wait as (policy Wait).</summary>
    private RoomWaiters.Waiter? TryAcceptLocked(OutboundMessage message, out bool online, ref List<OutboundMessage>? dropped)
    {
        ObjectDisposedException.ThrowIf(_acceptClosed, this);
        online = _ready is not null;
        if (_queue.Count >= _depth || _waiters.Any)
        {
            switch (_overflowPolicy)
            {
                case MqttQueueOverflowPolicy.Wait:
                    return _waiters.Add(message);
                case MqttQueueOverflowPolicy.DropNewest:
                    (dropped ??= []).Add(message);
                    return null;
                case MqttQueueOverflowPolicy.Refuse:
                    throw new MqttDeviceClientException($"The message queue is full: {_depth} message(s) are waiting to be sent (client.messageChannelDepth); the publish was refused.");
                default:
                    while (_queue.Count >= _depth)
                    {
                        (dropped ??= []).Add(_queue.Dequeue());
                    }

                    break;
            }
        }

        _queue.Insert(message);
        return null;
    }

    /// <summary>Moves the oldest waiting calls into the queue while it has room (their calls go on asynchronously).</summary>
    private void AdmitWaitersLocked()
    {
        while (_queue.Count < _depth && _waiters.TryAdmit(out var waiter))
        {
            _queue.Insert(waiter.Message);
            waiter.TrySetResult(_ready is not null);
        }
    }

    /// <summary>Undoes a message that was never accepted.</summary>
    private void Forget(OutboundMessage message)
    {
        if (message.Persisted)
        {
            DeleteStored(message);
        }

        MqttDeviceClientTelemetry.Abandoned(message);
        message.ReleasePayload();
    }

    /// <summary>Sets a message's final outcome: forgets it in the store (unless it stays there for the next run), counts and logs a drop.</summary>
    private void Finish(OutboundMessage message, MqttPublishResult result)
    {
        try
        {
            if (message.Persisted && result.Status != MqttPublishStatus.Queued)
            {
                DeleteStored(message);
            }

            if (result.Status == MqttPublishStatus.Dropped)
            {
                Interlocked.Increment(ref _droppedCount);
                if (result.DropReason == MqttDropReason.RefusedByBroker)
                {
                    Log.PublishRefused(_logger, message.Sequence, _clientId, message.Topic, (MQTTnet.MqttClientPublishReasonCode)result.ReasonCode, result.ReasonCode);
                }
                else
                {
                    Log.MessageDropped(_logger, message.Sequence, _clientId, message.Topic, result.DropReason);
                }
            }

            if (!message.Internal)
            {
                _telemetry?.Completed(message, result);
            }
        }
        catch (Exception exception)
        {
            // A logger or a metrics listener that throws must not cost the caller its outcome.
            TryLogListenerFailed(exception);
        }

        message.Complete(result);
    }

    private void DeleteStored(OutboundMessage message)
    {
        try
        {
            message.Store!.Delete(message.Sequence);
        }
        catch (Exception exception)
        {
            TryLogListenerFailed(exception);
        }
    }

    private void TryLogListenerFailed(Exception exception)
    {
        try
        {
            Log.ListenerFailed(_logger, exception, _clientId);
        }
        catch (Exception)
        {
            // The logger itself failed: nothing more to say.
        }
    }

    /// <summary>Gets the outcome of a message still unsent when the client is disposed.</summary>
    private static MqttPublishResult GetFinalResult(OutboundMessage message) =>
        message.Persisted ? MqttPublishResult.Queued : MqttPublishResult.Dropped(MqttDropReason.Disposed);

    /// <summary>
    /// Saves a message's new packet identifier or phase in the File store before the packet that uses it is written,
    /// when the session outlives the process (<c>cleanSession</c> false): a process killed after the write resumes
    /// with the same identifier. With <c>cleanSession</c> true identifiers mean nothing to the next process.
    /// </summary>
    /// <returns><see langword="false"/> when the store failed (logged); the message must then be dropped.</returns>
    private bool TrySaveProgress(OutboundMessage message)
    {
        if (!message.Persisted || _cleanSession || message.Qos == MqttQos.AtMostOnce)
        {
            return true;
        }

        try
        {
            message.Store!.Save(message);
            return true;
        }
        catch (Exception exception)
        {
            Log.StoreSaveFailed(_logger, exception, _clientId, message.Sequence);
            Volatile.Write(ref _storeFailure, exception);
            return false;
        }
    }

    private void SignalProgressLocked()
    {
        if (_writing == 0)
        {
            SignalLocked(ref _idleSignal);
            if (_inFlight.Count + _queue.Count == 0)
            {
                SignalLocked(ref _drainedSignal);
            }
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
}
