namespace Octopus.Mqtt.IntegrationTests.Brokers;

/// <summary>
/// Records items in arrival order and lets tests wait, with a deadline, until the recorded items satisfy a condition.
/// Waiting is driven by arrivals, never by polling.
/// </summary>
/// <typeparam name="T">The item type.</typeparam>
public class ConditionRecorder<T>
{
    private readonly Lock _gate = new();
    private readonly List<T> _items = [];
    private readonly List<(Func<IReadOnlyList<T>, bool> Condition, TaskCompletionSource Done)> _waiters = [];

    /// <summary>Gets the number of items recorded.</summary>
    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _items.Count;
            }
        }
    }

    /// <summary>Gets a copy of the items recorded so far.</summary>
    /// <returns>The items, oldest first.</returns>
    public IReadOnlyList<T> GetSnapshot()
    {
        lock (_gate)
        {
            return [.. _items];
        }
    }

    /// <summary>Records an item and wakes the waiters whose condition now holds.</summary>
    /// <param name="item">The item.</param>
    public void Add(T item)
    {
        List<TaskCompletionSource>? done = null;
        lock (_gate)
        {
            _items.Add(item);
            for (var i = _waiters.Count - 1; i >= 0; i--)
            {
                if (_waiters[i].Condition(_items))
                {
                    (done ??= []).Add(_waiters[i].Done);
                    _waiters.RemoveAt(i);
                }
            }
        }

        done?.ForEach(d => d.TrySetResult());
    }

    /// <summary>Forgets every item recorded so far.</summary>
    public void Clear()
    {
        lock (_gate)
        {
            _items.Clear();
        }
    }

    /// <summary>Waits until at least <paramref name="count"/> items are recorded.</summary>
    /// <param name="count">The number of items.</param>
    /// <param name="timeout">The deadline; <see cref="TestTimeouts.Arrival"/> when <see langword="null"/>.</param>
    /// <returns>The first <paramref name="count"/> items.</returns>
    /// <exception cref="TimeoutException">Fewer items arrived in time; the message lists what did.</exception>
    public async Task<IReadOnlyList<T>> WaitForCountAsync(int count, TimeSpan? timeout = null)
    {
        var items = await WaitUntilAsync(items => items.Count >= count, $"{count} item(s)", timeout).ConfigureAwait(false);
        return [.. items.Take(count)];
    }

    /// <summary>Waits until an item matching <paramref name="predicate"/> is recorded.</summary>
    /// <param name="predicate">The condition on one item.</param>
    /// <param name="timeout">The deadline; <see cref="TestTimeouts.Arrival"/> when <see langword="null"/>.</param>
    /// <returns>The first matching item.</returns>
    /// <exception cref="TimeoutException">No matching item arrived in time; the message lists what did.</exception>
    public async Task<T> WaitForAsync(Func<T, bool> predicate, TimeSpan? timeout = null)
    {
        var items = await WaitUntilAsync(items => items.Any(predicate), "a matching item", timeout).ConfigureAwait(false);
        return items.First(predicate);
    }

    /// <summary>Waits until <paramref name="condition"/> holds over the recorded items.</summary>
    /// <param name="condition">The condition over all items recorded so far.</param>
    /// <param name="description">What is awaited, for the timeout message.</param>
    /// <param name="timeout">The deadline; <see cref="TestTimeouts.Arrival"/> when <see langword="null"/>.</param>
    /// <returns>A snapshot of the items when the condition held.</returns>
    /// <exception cref="TimeoutException">The condition did not hold in time; the message lists what arrived.</exception>
    public async Task<IReadOnlyList<T>> WaitUntilAsync(Func<IReadOnlyList<T>, bool> condition, string description, TimeSpan? timeout = null)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_gate)
        {
            if (condition(_items))
            {
                return [.. _items];
            }

            _waiters.Add((condition, done));
        }

        var deadline = timeout ?? TestTimeouts.Arrival;
        try
        {
            await done.Task.WaitAsync(deadline).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            lock (_gate)
            {
                _waiters.RemoveAll(w => w.Done == done);
            }

            throw new TimeoutException($"waited {deadline.TotalSeconds:0.#}s for {description}; recorded {Count}: [{string.Join("; ", GetSnapshot())}]");
        }

        return GetSnapshot();
    }
}
