namespace Octopus.Mqtt.IntegrationTests.Brokers;

/// <summary>Deadlines for waiting on brokers and messages. Generous: a wait ends as soon as its condition holds.</summary>
public static class TestTimeouts
{
    /// <summary>How long a broker may take to start or stop.</summary>
    public static readonly TimeSpan Startup = TimeSpan.FromSeconds(15);

    /// <summary>How long a message, a connection or a log line may take to arrive.</summary>
    public static readonly TimeSpan Arrival = TimeSpan.FromSeconds(10);

    /// <summary>
    /// How early a timer may fire against <see cref="System.Diagnostics.Stopwatch"/>: the runtime's timers round to the
    /// system clock's tick, so "at least 300 ms" is asserted as "at least 300 ms less this".
    /// </summary>
    public static readonly TimeSpan TimerSlack = TimeSpan.FromMilliseconds(20);

    /// <summary>The shortest elapsed time that still counts as having waited <paramref name="limit"/>.</summary>
    public static TimeSpan AtLeast(TimeSpan limit) => limit - TimerSlack;
}
