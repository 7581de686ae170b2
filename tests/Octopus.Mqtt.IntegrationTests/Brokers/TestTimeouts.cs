namespace Octopus.Mqtt.IntegrationTests.Brokers;

/// <summary>Deadlines for waiting on brokers and messages. Generous: a wait ends as soon as its condition holds.</summary>
public static class TestTimeouts
{
    /// <summary>How long a broker may take to start or stop.</summary>
    public static readonly TimeSpan Startup = TimeSpan.FromSeconds(15);

    /// <summary>How long a message, a connection or a log line may take to arrive.</summary>
    public static readonly TimeSpan Arrival = TimeSpan.FromSeconds(10);
}
