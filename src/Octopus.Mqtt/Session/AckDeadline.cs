namespace Octopus.Mqtt;

/// <summary>
/// Watches <c>client.writeTimeout</c> for the messages in flight with one timer per client: armed when a message is
/// sent and nothing is watched, it asks the session, when it fires, how long the oldest unacknowledged message has
/// waited; the session declares the connection dead if that is the limit or more, otherwise the timer is armed
/// again for the rest.
/// </summary>
internal sealed class AckDeadline : IDisposable
{
    private readonly Lock _gate = new();
    private readonly TimeProvider _time;
    private readonly Func<TimeSpan?> _check;
    private ITimer? _timer;
    private bool _armed;

    /// <summary>Initializes a new instance of the <see cref="AckDeadline"/> class.</summary>
    /// <param name="limit">How long an acknowledgement may take; finite.</param>
    /// <param name="time">The clock.</param>
    /// <param name="check">
    /// Called when the timer fires: returns how long until the oldest message in flight is overdue (the timer is armed
    /// again for that), or <see langword="null"/> when nothing is in flight or the connection was declared dead.
    /// </param>
    public AckDeadline(TimeSpan limit, TimeProvider time, Func<TimeSpan?> check)
    {
        Limit = limit;
        _time = time;
        _check = check;
    }

    /// <summary>Gets how long an acknowledgement may take.</summary>
    public TimeSpan Limit { get; }

    /// <summary>Starts watching, unless the timer is armed already.</summary>
    public void Watch()
    {
        lock (_gate)
        {
            if (_armed)
            {
                return;
            }

            _armed = true;
            _timer ??= _time.CreateTimer(static state => ((AckDeadline)state!).OnTimer(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
            _timer.Change(Limit, Timeout.InfiniteTimeSpan);
        }
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        lock (_gate)
        {
            _armed = true;
            _timer?.Dispose();
        }
    }

    private void OnTimer()
    {
        var next = _check();
        lock (_gate)
        {
            if (next is { } due)
            {
                _timer!.Change(due < TimeSpan.FromMilliseconds(1) ? TimeSpan.FromMilliseconds(1) : due, Timeout.InfiniteTimeSpan);
            }
            else
            {
                _armed = false;
            }
        }
    }
}
