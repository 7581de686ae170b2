using System.Threading.Channels;

namespace Octopus.Mqtt.Samples.DummyFan;

/// <summary>
/// The simulated living-room fan, Octopus's DummySpecialDevice. Switched on, or given another gear, its speed jumps to
/// the gear's start (0, 100 or 200); then it rises by one every 3, 2 or 1 seconds up to 100, 200 or 300, and stays
/// there. Switched off, its speed drops to 0. Every change of its status is written, in order, to <see cref="Changes"/>.
/// </summary>
/// <remarks>All timing goes through the <see cref="TimeProvider"/>, so tests drive it with a fake clock.</remarks>
internal sealed class DummyFan : IDisposable
{
    private readonly Lock _gate = new();
    private readonly TimeProvider _time;
    private readonly Channel<FanStatus> _changes = Channel.CreateUnbounded<FanStatus>(new UnboundedChannelOptions { SingleReader = true });
    private FanSpec? _spec;
    private FanStatus? _status;
    private ITimer? _timer;
    private object? _run;

    /// <summary>Initializes a new instance of the <see cref="DummyFan"/> class.</summary>
    /// <param name="time">The clock of the fan's speed-ups.</param>
    public DummyFan(TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(time);
        _time = time;
    }

    /// <summary>Gets every change of status, in order; the first is the status the first spec gives.</summary>
    public ChannelReader<FanStatus> Changes => _changes.Reader;

    /// <summary>Gets the current status, or <see langword="null"/> before the first spec.</summary>
    public FanStatus? Status
    {
        get
        {
            lock (_gate)
            {
                return _status;
            }
        }
    }

    /// <summary>Applies the DeviceLink's spec; the same spec again changes nothing.</summary>
    /// <param name="spec">The gear and whether the fan is on.</param>
    public void Apply(FanSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        lock (_gate)
        {
            var previous = _spec;
            _spec = spec;
            if (!spec.On)
            {
                StopLocked();
                SetLocked(new FanStatus(spec.Gear, 0));
            }
            else if (previous is not { On: true } || previous.Gear != spec.Gear)
            {
                // Switched on, or the gear changed: the speed jumps to the gear's start and rises from there.
                StopLocked();
                SetLocked(new FanStatus(spec.Gear, spec.Gear.StartSpeed()));
                var run = new object();
                _run = run;
                _timer = _time.CreateTimer(Rise, run, spec.Gear.RisePeriod(), spec.Gear.RisePeriod());
            }
        }
    }

    /// <summary>Stops the fan's clock and ends <see cref="Changes"/>.</summary>
    public void Dispose()
    {
        lock (_gate)
        {
            StopLocked();
            _changes.Writer.TryComplete();
        }
    }

    private void Rise(object? run)
    {
        lock (_gate)
        {
            // A tick of a run that was stopped meanwhile is ignored.
            if (!ReferenceEquals(run, _run) || _status is not { } status)
            {
                return;
            }

            var top = status.Gear.TopSpeed();
            if (status.RotatingSpeed < top)
            {
                SetLocked(status with { RotatingSpeed = status.RotatingSpeed + 1 });
            }

            if (status.RotatingSpeed + 1 >= top)
            {
                StopLocked();
            }
        }
    }

    private void SetLocked(FanStatus status)
    {
        if (status != _status)
        {
            _status = status;
            _changes.Writer.TryWrite(status);
        }
    }

    private void StopLocked()
    {
        _run = null;
        _timer?.Dispose();
        _timer = null;
    }
}
