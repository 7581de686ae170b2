namespace Octopus.Mqtt;

/// <summary>Turns the Go durations of the options into what MQTTnet and our waits need: the one place they are converted.</summary>
internal static class MqttTimeouts
{
    // A CancellationTokenSource accepts at most uint.MaxValue - 1 milliseconds; validation keeps every duration below
    // it, and a longer one reaching here is as good as none.
    private static readonly TimeSpan LongestLimit = TimeSpan.FromMilliseconds(uint.MaxValue - 1);

    /// <summary>The largest keep-alive MQTT can carry: 65535 seconds.</summary>
    public static readonly TimeSpan MaxKeepAlive = TimeSpan.FromSeconds(ushort.MaxValue);

    /// <summary>
    /// Gets the keep-alive in whole seconds, as MQTT carries it: a fraction is rounded up (500ms is 1s, never 0, which
    /// would switch keep-alive off), and the value is capped at 65535 seconds. Zero or less switches keep-alive off.
    /// </summary>
    /// <param name="keepAlive">The <c>client.keepAlive</c> option.</param>
    /// <returns>The keep-alive period, or <see cref="TimeSpan.Zero"/> for none.</returns>
    public static TimeSpan KeepAlive(GoDuration keepAlive)
    {
        if (keepAlive.TotalNanoseconds <= 0)
        {
            return TimeSpan.Zero;
        }

        const long NanosecondsPerSecond = 1_000_000_000;
        var seconds = (keepAlive.TotalNanoseconds / NanosecondsPerSecond) + (keepAlive.TotalNanoseconds % NanosecondsPerSecond == 0 ? 0 : 1);
        return seconds >= ushort.MaxValue ? MaxKeepAlive : TimeSpan.FromSeconds(seconds);
    }

    /// <summary>
    /// Gets a time limit where zero (or less) means none, <see cref="Timeout.InfiniteTimeSpan"/> (MQTTnet and a
    /// cancellation source read <see cref="TimeSpan.Zero"/> as "at once"); a fraction of a tick rounds up to a tick.
    /// </summary>
    /// <param name="duration">The option (connectTimeout, writeTimeout, waitTimeout, pingTimeout).</param>
    /// <returns>The limit, at least one tick, or <see cref="Timeout.InfiniteTimeSpan"/>.</returns>
    public static TimeSpan Limit(GoDuration duration)
    {
        if (duration.TotalNanoseconds <= 0)
        {
            return Timeout.InfiniteTimeSpan;
        }

        const long NanosecondsPerTick = 100;
        var ticks = (duration.TotalNanoseconds / NanosecondsPerTick) + (duration.TotalNanoseconds % NanosecondsPerTick == 0 ? 0 : 1);
        return ticks > LongestLimit.Ticks ? Timeout.InfiniteTimeSpan : TimeSpan.FromTicks(ticks);
    }
}
