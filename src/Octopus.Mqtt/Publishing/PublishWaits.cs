namespace Octopus.Mqtt;

/// <summary>
/// Bounds the waits of one client's publish calls with one timer instead of a timer per call: each waiting message
/// is queued with its deadline (the same limit for every call, so deadlines come in call order), the timer is armed
/// for the oldest one still waiting, and a message whose deadline passes is answered
/// <see cref="MqttPublishResult.Queued"/> (it stays queued or in flight; its final outcome is logged and counted).
/// </summary>
internal sealed class PublishWaits
{
    private readonly object _gate = new();
    private readonly Queue<(OutboundMessage Message, int Generation, long Deadline)> _waiting = new();
    private readonly TimeProvider _time;
    private readonly TimeSpan _limit;
    private readonly long _limitTimestamp;
    private ITimer? _timer;
    private bool _armed;

    /// <summary>Initializes a new instance of the <see cref="PublishWaits"/> class.</summary>
    /// <param name="limit">How long a call waits for its message's outcome; finite.</param>
    /// <param name="time">The clock.</param>
    public PublishWaits(TimeSpan limit, TimeProvider time)
    {
        _limit = limit;
        _time = time;
        _limitTimestamp = (long)(limit.TotalSeconds * time.TimestampFrequency);
    }

    /// <summary>Gets how long a call waits.</summary>
    public TimeSpan Limit => _limit;

    /// <summary>Starts bounding the wait for <paramref name="message"/>'s outcome, from now.</summary>
    /// <param name="message">The message whose caller waits; the wait keeps its generation, not a hold, so the message may go back to its pool once answered.</param>
    public void Add(OutboundMessage message)
    {
        var deadline = _time.GetTimestamp() + _limitTimestamp;
        var generation = message.Generation;
        lock (_gate)
        {
            DropAnsweredLocked();
            _waiting.Enqueue((message, generation, deadline));
            if (!_armed)
            {
                _armed = true;
                _timer ??= _time.CreateTimer(static state => ((PublishWaits)state!).OnTimer(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
                _timer.Change(_limit, Timeout.InfiniteTimeSpan);
            }
        }
    }

    private void OnTimer()
    {
        List<(OutboundMessage Message, int Generation)>? expired = null;
        lock (_gate)
        {
            var now = _time.GetTimestamp();
            DropAnsweredLocked();
            while (_waiting.TryPeek(out var head) && head.Deadline <= now)
            {
                _waiting.Dequeue();
                (expired ??= []).Add((head.Message, head.Generation));
                DropAnsweredLocked();
            }

            if (_waiting.TryPeek(out var next))
            {
                _timer!.Change(TimeSpan.FromSeconds((double)(next.Deadline - now) / _time.TimestampFrequency), Timeout.InfiniteTimeSpan);
            }
            else
            {
                _armed = false;
            }
        }

        if (expired is not null)
        {
            foreach (var (message, generation) in expired)
            {
                message.TryAnswer(MqttPublishResult.Queued, generation);
            }
        }
    }

    private void DropAnsweredLocked()
    {
        while (_waiting.TryPeek(out var head) && head.Message.IsAnswered(head.Generation))
        {
            _waiting.Dequeue();
        }
    }
}
