using System.Globalization;

namespace Octopus.Mqtt.Testing;

/// <summary>
/// Records messages that reached a <see cref="FakeMqttBroker"/>, in arrival order, and lets a test wait for them:
/// every waiter is woken by the arrival that satisfies it, never by polling.
/// </summary>
/// <remarks>All members are safe to call from several threads at once.</remarks>
public sealed class FakeMqttMessageCollector
{
    private readonly Lock _gate = new();
    private readonly List<FakeMqttMessage> _records = [];
    private readonly List<Waiter> _waiters = [];

    internal FakeMqttMessageCollector()
    {
    }

    /// <summary>Gets the number of messages recorded.</summary>
    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _records.Count;
            }
        }
    }

    /// <summary>Gets the message recorded last.</summary>
    /// <exception cref="InvalidOperationException">No message has been recorded.</exception>
    public FakeMqttMessage LatestRecord
    {
        get
        {
            lock (_gate)
            {
                return _records.Count > 0 ? _records[^1] : throw new InvalidOperationException("No message has been recorded.");
            }
        }
    }

    /// <summary>Gets the messages recorded so far.</summary>
    /// <param name="clear">Whether to forget them at the same time.</param>
    /// <returns>The messages, oldest first.</returns>
    public IReadOnlyList<FakeMqttMessage> GetSnapshot(bool clear = false)
    {
        lock (_gate)
        {
            FakeMqttMessage[] snapshot = [.. _records];
            if (clear)
            {
                _records.Clear();
            }

            return snapshot;
        }
    }

    /// <summary>Forgets the messages recorded so far; <see cref="Count"/> starts again from 0.</summary>
    public void Clear()
    {
        lock (_gate)
        {
            _records.Clear();
        }
    }

    /// <summary>Waits until at least <paramref name="count"/> messages are recorded.</summary>
    /// <param name="count">The number of messages.</param>
    /// <param name="cancellationToken">Ends the wait.</param>
    /// <returns>The first <paramref name="count"/> messages.</returns>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled first.</exception>
    public async Task<IReadOnlyList<FakeMqttMessage>> WaitForCountAsync(int count, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        var records = await WaitAsync(records => records.Count >= count, null, null, cancellationToken).ConfigureAwait(false);
        return records[..count];
    }

    /// <summary>Waits until at least <paramref name="count"/> messages are recorded, up to a wall-clock deadline.</summary>
    /// <param name="count">The number of messages.</param>
    /// <param name="timeout">The deadline, measured by <see cref="TimeProvider.System"/> (not the broker's time provider, which a test may hold still).</param>
    /// <returns>The first <paramref name="count"/> messages.</returns>
    /// <exception cref="TimeoutException">Fewer messages arrived in time; the message lists those that did.</exception>
    public async Task<IReadOnlyList<FakeMqttMessage>> WaitForCountAsync(int count, TimeSpan timeout)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        var records = await WaitAsync(records => records.Count >= count, string.Create(CultureInfo.InvariantCulture, $"{count} message(s)"), timeout, CancellationToken.None).ConfigureAwait(false);
        return records[..count];
    }

    /// <summary>Waits for the first message, recorded already or later, that matches <paramref name="predicate"/>.</summary>
    /// <param name="predicate">The condition, for example <c>m =&gt; m.Topic == "devices/fan"</c>.</param>
    /// <param name="cancellationToken">Ends the wait.</param>
    /// <returns>The first matching message.</returns>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled first.</exception>
    public async Task<FakeMqttMessage> WaitForMessageAsync(Func<FakeMqttMessage, bool> predicate, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(predicate);
        var records = await WaitAsync(records => records.Exists(r => predicate(r)), null, null, cancellationToken).ConfigureAwait(false);
        return records.First(predicate);
    }

    /// <summary>Waits for the first message, recorded already or later, that matches <paramref name="predicate"/>, up to a wall-clock deadline.</summary>
    /// <param name="predicate">The condition, for example <c>m =&gt; m.Topic == "devices/fan"</c>.</param>
    /// <param name="timeout">The deadline, measured by <see cref="TimeProvider.System"/> (not the broker's time provider, which a test may hold still).</param>
    /// <returns>The first matching message.</returns>
    /// <exception cref="TimeoutException">No matching message arrived in time; the message lists those that did.</exception>
    public async Task<FakeMqttMessage> WaitForMessageAsync(Func<FakeMqttMessage, bool> predicate, TimeSpan timeout)
    {
        ArgumentNullException.ThrowIfNull(predicate);
        var records = await WaitAsync(records => records.Exists(r => predicate(r)), "a matching message", timeout, CancellationToken.None).ConfigureAwait(false);
        return records.First(predicate);
    }

    /// <summary>Records a message and wakes the waiters it satisfies.</summary>
    internal void Add(FakeMqttMessage message)
    {
        lock (_gate)
        {
            _records.Add(message);
            for (var i = _waiters.Count - 1; i >= 0; i--)
            {
                var waiter = _waiters[i];
                if (waiter.Condition(_records))
                {
                    _waiters.RemoveAt(i);
                    waiter.Done.TrySetResult([.. _records]);
                }
            }
        }
    }

    private Task<FakeMqttMessage[]> WaitAsync(Func<List<FakeMqttMessage>, bool> condition, string? description, TimeSpan? timeout, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var waiter = new Waiter(condition);
        lock (_gate)
        {
            if (condition(_records))
            {
                return Task.FromResult<FakeMqttMessage[]>([.. _records]);
            }

            _waiters.Add(waiter);
        }

        return WaitCoreAsync(waiter, description, timeout, cancellationToken);
    }

    private async Task<FakeMqttMessage[]> WaitCoreAsync(Waiter waiter, string? description, TimeSpan? timeout, CancellationToken cancellationToken)
    {
        try
        {
            return timeout is { } limit
                ? await waiter.Done.Task.WaitAsync(limit, TimeProvider.System, cancellationToken).ConfigureAwait(false)
                : await waiter.Done.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is TimeoutException or OperationCanceledException)
        {
            FakeMqttMessage[] arrived;
            lock (_gate)
            {
                _waiters.Remove(waiter);
                arrived = [.. _records];
            }

            if (exception is TimeoutException)
            {
                throw new TimeoutException(string.Create(
                    CultureInfo.InvariantCulture,
                    $"Waited {timeout!.Value.TotalSeconds:0.###}s for {description}; {arrived.Length} message(s) arrived: [{string.Join("; ", (IEnumerable<FakeMqttMessage>)arrived)}]"));
            }

            throw;
        }
    }

    private sealed class Waiter(Func<List<FakeMqttMessage>, bool> condition)
    {
        public Func<List<FakeMqttMessage>, bool> Condition { get; } = condition;

        public TaskCompletionSource<FakeMqttMessage[]> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
