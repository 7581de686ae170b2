using MQTTnet;

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
        ConnectionSession? ready;
        lock (_gate)
        {
            _acceptClosed = true;
            ready = _session;
            SignalLocked(ref _roomSignal);
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
                try
                {
                    await PublishAvailabilityAsync(ready, ready.Options.WillPayload ?? []).WaitAsync(ShutdownTimeout, _time).ConfigureAwait(false);
                }
                catch (Exception exception)
                {
                    Log.AvailabilityPublishFailed(_logger, exception, _clientId, ready.Options.WillTopic);
                }
            }
        }

        // 2. Stop the supervisor and the sender; wait for a connect in progress to give up (its semaphore stays taken).
        await _stopping.CancelAsync().ConfigureAwait(false);
        lock (_gate)
        {
            _senderSignal.SetLocked();
            SignalLocked(ref _roomSignal);
        }

        using (var timeout = new CancellationTokenSource(ShutdownTimeout, _time))
        {
            await WaitBoundedAsync(_connectLock.WaitAsync(timeout.Token)).ConfigureAwait(false);
        }

        await WaitBoundedAsync(_supervisor).ConfigureAwait(false);

        // 3. DISCONNECT (normal: the broker drops the will), then release the connection.
        ConnectionSession? connected;
        lock (_gate)
        {
            connected = _connected;
            _connected = null;
            _session = null;
        }

        if (connected is not null)
        {
            if (!connected.IsLost && connected.Client.IsConnected)
            {
                try
                {
                    using var timeout = new CancellationTokenSource(ShutdownTimeout, _time);
                    await connected.Client.DisconnectAsync(new MqttClientDisconnectOptions { Reason = MqttClientDisconnectOptionsReason.NormalDisconnection }, timeout.Token)
                        .WaitAsync(ShutdownTimeout, _time)
                        .ConfigureAwait(false);
                    Log.Disconnected(_logger, _clientId);
                }
                catch (Exception exception)
                {
                    Log.DisconnectFailed(_logger, exception, _clientId);
                }
            }

            connected.Dispose();
        }

        // 4. Publishes still in flight fail fast now; wait for them, then settle every message left.
        await WaitBoundedAsync(_sender).ConfigureAwait(false);
        await WaitForAsync(drained: false, ShutdownTimeout, null).ConfigureAwait(false);
        OutboundMessage[] left;
        lock (_gate)
        {
            _closed = true;
            left = _queue.DrainAll();
        }

        foreach (var message in left)
        {
            if (_handover?.Invoke(message) != true)
            {
                Finish(message, GetFinalResult(message));
            }
        }

        _store?.Dispose();
        _telemetry?.Detach();
        SetState(MqttConnectionState.Disposed, null);
    }

    /// <summary>Waits until nothing is in flight (and, when <paramref name="drained"/>, nothing is queued), up to a limit.</summary>
    /// <returns>How many messages are still queued or in flight.</returns>
    private async Task<int> WaitForAsync(bool drained, TimeSpan limit, Task? abandon)
    {
        Task done;
        lock (_gate)
        {
            if (_inFlight == 0 && (!drained || _queue.Count == 0))
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
            return _inFlight + (drained ? _queue.Count : 0);
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
