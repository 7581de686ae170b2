namespace Octopus.Mqtt;

/// <summary>Graceful disposal: stop accepting, let in-flight work finish, DISCONNECT (no will), release everything.</summary>
internal sealed partial class MqttDeviceClient
{
    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposeStarted, 1) != 0)
        {
            await _disposeCompleted.Task.ConfigureAwait(false);
            return;
        }

        try
        {
            await DisposeCoreAsync().ConfigureAwait(false);
        }
        finally
        {
            _disposeCompleted.TrySetResult();
        }
    }

    private async Task DisposeCoreAsync()
    {
        MqttConnection? ready;
        lock (_gate)
        {
            _acceptClosed = true;
            ready = _ready;
            while (_waiters.TryAdmit(out var waiter))
            {
                waiter.TrySetException(new ObjectDisposedException(GetType().FullName));
            }
        }

        Log.Disconnecting(_logger, _clientId);

        // 1. While connected, queued and in-flight messages get up to disconnectQuiesce to be delivered.
        if (ready is { IsLost: false })
        {
            if (_quiesce > TimeSpan.Zero)
            {
                var pending = await WaitForAsync(drained: true, _quiesce, ready.Lost).ConfigureAwait(false);
                if (pending > 0)
                {
                    Log.QuiesceTimedOut(_logger, pending, _clientId, GoDuration.FromTimeSpan(_quiesce));
                }
            }

            if (_onlinePayload is not null && !ready.IsLost && !string.IsNullOrEmpty(ready.Options.WillTopic))
            {
                // A graceful DISCONNECT discards the will: say "offline" ourselves, or "online" would stay retained.
                lock (_gate)
                {
                    _queue.Insert(CreateAvailabilityMessage(ready, ready.Options.WillPayload ?? [], first: false));
                    _senderSignal.SetLocked();
                }

                await WaitForAsync(drained: true, ShutdownTimeout, ready.Lost).ConfigureAwait(false);
            }
        }

        // 2. Stop the supervisor and the sender; wait for a connect in progress to give up (its semaphore stays taken).
        await _stopping.CancelAsync().ConfigureAwait(false);
        lock (_gate)
        {
            _senderSignal.SetLocked();
        }

        using (var timeout = new CancellationTokenSource(ShutdownTimeout, _time))
        {
            await WaitBoundedAsync(_connectLock.WaitAsync(timeout.Token)).ConfigureAwait(false);
        }

        await WaitBoundedAsync(_supervisor).ConfigureAwait(false);

        // 3. DISCONNECT (normal: the broker drops the will), then release the connection.
        MqttConnection? connection;
        lock (_gate)
        {
            connection = _connection;
            _connection = null;
            _ready = null;
        }

        if (connection is not null)
        {
            if (!connection.IsLost)
            {
                try
                {
                    await connection.DisconnectAsync().WaitAsync(ShutdownTimeout, _time).ConfigureAwait(false);
                    Log.Disconnected(_logger, _clientId);
                }
                catch (Exception exception)
                {
                    Log.DisconnectFailed(_logger, exception, _clientId);
                }
            }

            connection.Dispose();
        }

        // 4. Writes still running fail fast now; wait for them, then settle every message left: a message the File
        // store keeps stays there (with its packet identifier, for a session the next process resumes).
        await WaitBoundedAsync(_sender).ConfigureAwait(false);
        await WaitForAsync(drained: false, ShutdownTimeout, null).ConfigureAwait(false);
        await WaitBoundedAsync(_inbound.StopAsync()).ConfigureAwait(false);
        List<OutboundMessage> left;
        lock (_gate)
        {
            _closed = true;
            left = [.. _inFlight.Messages];
            foreach (var message in left)
            {
                // Unbound in memory only: the store keeps the identifier for the next process.
                _ids.Release(message.PacketId);
            }

            left.AddRange(_queue.DrainAll());

            // Held while they are settled: a reader still handling what it read may end one meanwhile.
            foreach (var message in left)
            {
                message.Hold();
            }
        }

        left.Sort(static (a, b) => a.Sequence.CompareTo(b.Sequence));
        foreach (var message in left)
        {
            if (message.Internal)
            {
                message.Complete(MqttPublishResult.Dropped(MqttDropReason.Disposed));
            }
            else if (_handover?.Invoke(message) != true)
            {
                Finish(message, GetFinalResult(message));
            }

            message.Release();
        }

        _ackDeadline?.Dispose();
        _subscriptions.Dispose();
        _store?.Dispose();
        _telemetry?.Detach();
        SetState(MqttConnectionState.Disposed, null);
    }

    /// <summary>Waits until no write runs (and, when <paramref name="drained"/>, nothing is queued or unacknowledged), up to a limit.</summary>
    /// <returns>How many messages are still being written, or (when <paramref name="drained"/>) queued or unacknowledged.</returns>
    private async Task<int> WaitForAsync(bool drained, TimeSpan limit, Task? abandon)
    {
        Task done;
        lock (_gate)
        {
            if (_writing == 0 && (!drained || _inFlight.Count + _queue.Count == 0))
            {
                return 0;
            }

            done = drained
                ? (_drainedSignal ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).Task
                : (_idleSignal ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).Task;
        }

        using (var cancel = new CancellationTokenSource())
        {
            var delay = Task.Delay(limit, _time, cancel.Token);
            await (abandon is null ? Task.WhenAny(done, delay) : Task.WhenAny(done, delay, abandon)).ConfigureAwait(false);
            await cancel.CancelAsync().ConfigureAwait(false);
        }

        lock (_gate)
        {
            return _writing + (drained ? _inFlight.Count + _queue.Count : 0);
        }
    }

    private async Task WaitBoundedAsync(Task? task)
    {
        if (task is null)
        {
            return;
        }

        try
        {
            await task.WaitAsync(ShutdownTimeout, _time).ConfigureAwait(false);
        }
        catch (Exception)
        {
            // Bounded: disposal never hangs on background work; its failures were logged where they happened.
        }
    }
}
