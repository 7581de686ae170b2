namespace Octopus.Mqtt;

/// <summary>The backoff before a reconnect attempt, which <see cref="ReconnectNow"/> can end early.</summary>
internal sealed partial class MqttDeviceClient
{
    private TaskCompletionSource _reconnectNow = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>
    /// Ends the backoff delay the supervisor waits in before its next reconnect attempt, so it tries at once; called
    /// while no delay runs, the next delay is skipped. The Testing package uses it when a simulated broker comes back.
    /// </summary>
    public void ReconnectNow() => Volatile.Read(ref _reconnectNow).TrySetResult();

    /// <summary>Waits until nothing is queued or unacknowledged, or the current connection is lost.</summary>
    /// <returns>A task that completes then.</returns>
    public Task WhenSentAsync()
    {
        Task? lost;
        lock (_gate)
        {
            lost = _ready?.Lost;
        }

        return WaitForAsync(drained: true, Timeout.InfiniteTimeSpan, lost ?? Task.CompletedTask);
    }

    /// <summary>Waits <paramref name="delay"/>, or until <see cref="ReconnectNow"/>.</summary>
    /// <exception cref="OperationCanceledException">The client is being disposed.</exception>
    private async Task DelayReconnectAsync(TimeSpan delay)
    {
        var now = Volatile.Read(ref _reconnectNow);
        if (!now.Task.IsCompleted)
        {
            using var cancel = CancellationTokenSource.CreateLinkedTokenSource(_stoppingToken);
            await Task.WhenAny(Task.Delay(delay, _time, cancel.Token), now.Task).ConfigureAwait(false);
            await cancel.CancelAsync().ConfigureAwait(false);
            _stoppingToken.ThrowIfCancellationRequested();
        }

        if (now.Task.IsCompleted)
        {
            Interlocked.CompareExchange(ref _reconnectNow, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously), now);
        }
    }
}
