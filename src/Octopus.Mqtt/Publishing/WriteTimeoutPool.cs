namespace Octopus.Mqtt;

/// <summary>
/// The write-timeout cancellation sources of one client's sends, reused: a source that did not fire is reset and
/// handed to the next send, so a publish allocates no source, timer or token registration of its own.
/// </summary>
internal sealed class WriteTimeoutPool
{
    private readonly object _gate = new();
    private readonly Stack<CancellationTokenSource> _free = new();
    private readonly TimeSpan _timeout;
    private readonly TimeProvider _time;
    private readonly int _capacity;

    /// <summary>Initializes a new instance of the <see cref="WriteTimeoutPool"/> class.</summary>
    /// <param name="timeout">The write timeout each source fires after.</param>
    /// <param name="time">The clock of the timers.</param>
    /// <param name="capacity">The most sources kept (as many as sends may be in flight at once).</param>
    public WriteTimeoutPool(TimeSpan timeout, TimeProvider time, int capacity)
    {
        _timeout = timeout;
        _time = time;
        _capacity = capacity;
    }

    /// <summary>Gets a source that cancels after the write timeout, from now.</summary>
    /// <returns>The source; hand it back with <see cref="Return"/>.</returns>
    public CancellationTokenSource Rent()
    {
        lock (_gate)
        {
            if (_free.TryPop(out var source))
            {
                source.CancelAfter(_timeout);
                return source;
            }
        }

        return new CancellationTokenSource(_timeout, _time);
    }

    /// <summary>Takes a source back once its send is over: kept for reuse unless it fired (or the pool is full).</summary>
    /// <param name="source">The source from <see cref="Rent"/>.</param>
    public void Return(CancellationTokenSource source)
    {
        if (source.TryReset())
        {
            lock (_gate)
            {
                if (_free.Count < _capacity)
                {
                    _free.Push(source);
                    return;
                }
            }
        }

        source.Dispose();
    }
}
