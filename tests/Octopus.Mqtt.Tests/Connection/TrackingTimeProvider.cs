using Microsoft.Extensions.Time.Testing;

namespace Octopus.Mqtt.Tests.Connection;

/// <summary>
/// A <see cref="FakeTimeProvider"/> that knows which timers are armed and when they are due, so a test can wait
/// until the code under test is really waiting (e.g. in a backoff delay) before advancing the clock.
/// </summary>
internal sealed class TrackingTimeProvider : FakeTimeProvider
{
    private readonly List<TrackedTimer> _timers = [];

    public TrackingTimeProvider()
        : base(new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero))
    {
    }

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var tracked = new TrackedTimer(this, callback);
        lock (_timers)
        {
            _timers.Add(tracked);
        }

        tracked.Inner = base.CreateTimer(static s => ((TrackedTimer)s!).Fire(), tracked, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        tracked.State = state;
        tracked.Change(dueTime, period);
        return tracked;
    }

    /// <summary>Gets whether an armed timer is due exactly <paramref name="delay"/> from now.</summary>
    public bool HasTimerDueIn(TimeSpan delay)
    {
        var at = GetUtcNow() + delay;
        lock (_timers)
        {
            foreach (var timer in _timers)
            {
                if (timer.DueAt == at)
                {
                    return true;
                }
            }
        }

        return false;
    }

    /// <summary>Gets the delays (from now) of the armed timers.</summary>
    public IReadOnlyList<TimeSpan> ArmedDelays()
    {
        var now = GetUtcNow();
        lock (_timers)
        {
            return _timers.Where(t => t.DueAt is not null).Select(t => t.DueAt!.Value - now).OrderBy(d => d).ToList();
        }
    }

    private sealed class TrackedTimer(TrackingTimeProvider owner, TimerCallback callback) : ITimer
    {
        private TimeSpan _period = Timeout.InfiniteTimeSpan;

        public ITimer Inner { get; set; } = null!;

        public object? State { get; set; }

        public DateTimeOffset? DueAt { get; private set; }

        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            // Armed inside the lock, so a test never sees a due time whose timer is not armed yet (and advances past it).
            lock (owner._timers)
            {
                DueAt = dueTime == Timeout.InfiniteTimeSpan ? null : owner.GetUtcNow() + dueTime;
                _period = period;
                return Inner.Change(dueTime, period);
            }
        }

        public void Fire()
        {
            lock (owner._timers)
            {
                DueAt = _period == Timeout.InfiniteTimeSpan || _period == TimeSpan.Zero ? null : owner.GetUtcNow() + _period;
            }

            callback(State);
        }

        public void Dispose()
        {
            lock (owner._timers)
            {
                DueAt = null;
                owner._timers.Remove(this);
            }

            Inner.Dispose();
        }

        public ValueTask DisposeAsync()
        {
            Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
