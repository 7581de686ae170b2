using Octopus.Mqtt.IntegrationTests.Brokers;

namespace Octopus.Mqtt.IntegrationTests.Session;

/// <summary>Waits, with a deadline, for a condition on state that raises no event (a client's counters).</summary>
internal static class Conditions
{
    /// <summary>Checks <paramref name="condition"/> every few milliseconds until it holds.</summary>
    /// <param name="condition">The condition.</param>
    /// <param name="description">What is awaited, for the failure message.</param>
    /// <param name="timeout">The deadline; <see cref="TestTimeouts.Arrival"/> when <see langword="null"/>.</param>
    /// <returns>A task that completes when the condition holds.</returns>
    /// <exception cref="TimeoutException">The deadline passed first.</exception>
    public static async Task WaitUntilAsync(Func<bool> condition, string description, TimeSpan? timeout = null)
    {
        var deadline = TimeProvider.System.GetTimestamp() + (long)((timeout ?? TestTimeouts.Arrival).TotalSeconds * TimeProvider.System.TimestampFrequency);
        using var ticks = new PeriodicTimer(TimeSpan.FromMilliseconds(5));
        while (!condition())
        {
            if (TimeProvider.System.GetTimestamp() > deadline)
            {
                throw new TimeoutException($"Timed out waiting for {description}.");
            }

            await ticks.WaitForNextTickAsync(TestContext.Current.CancellationToken);
        }
    }
}
