namespace Octopus.Mqtt;

/// <summary>Turns the Go durations of the options into what MQTTnet and our waits need.</summary>
internal static class MqttTimeouts
{
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

    /// <summary>Gets a time limit where zero (or less) means none: <see cref="Timeout.InfiniteTimeSpan"/>.</summary>
    /// <param name="duration">The option (connectTimeout, writeTimeout, waitTimeout, pingTimeout).</param>
    /// <returns>The limit, at least one tick, or <see cref="Timeout.InfiniteTimeSpan"/>.</returns>
    public static TimeSpan Limit(GoDuration duration)
    {
        if (duration.TotalNanoseconds <= 0)
        {
            return Timeout.InfiniteTimeSpan;
        }

        var value = duration.ToTimeSpan();
        return value > TimeSpan.Zero ? value : TimeSpan.FromTicks(1);
    }
}
