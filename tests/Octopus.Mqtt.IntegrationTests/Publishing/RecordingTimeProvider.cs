using Microsoft.Extensions.Time.Testing;
using Octopus.Mqtt.IntegrationTests.Brokers;

namespace Octopus.Mqtt.IntegrationTests.Publishing;

/// <summary>
/// A <see cref="FakeTimeProvider"/> that records the due time of every timer it creates, once the timer is armed, so a
/// test can wait until the client is really waiting (in a backoff delay, say) before it advances the clock.
/// </summary>
internal sealed class RecordingTimeProvider : FakeTimeProvider
{
    /// <summary>Gets the due times of the timers created, in order.</summary>
    public ConditionRecorder<TimeSpan> Timers { get; } = new();

    /// <inheritdoc />
    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = base.CreateTimer(callback, state, dueTime, period);
        Timers.Add(dueTime);
        return timer;
    }
}
