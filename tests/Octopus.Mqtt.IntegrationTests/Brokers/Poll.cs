namespace Octopus.Mqtt.IntegrationTests.Brokers;

/// <summary>Waits for a condition of the client or the file system that raises no event, looking every 10 ms, up to a deadline.</summary>
internal static class Poll
{
    /// <summary>Waits until <paramref name="condition"/> holds.</summary>
    /// <param name="condition">The condition.</param>
    /// <param name="what">What it means, for the failure message.</param>
    /// <param name="timeout">The deadline; <see cref="TestTimeouts.Arrival"/> when <see langword="null"/>.</param>
    /// <returns>A task that completes when the condition holds.</returns>
    /// <exception cref="TimeoutException">It did not hold in time.</exception>
    public static async Task UntilAsync(Func<bool> condition, string what, TimeSpan? timeout = null)
    {
        var limit = timeout ?? TestTimeouts.Arrival;
        var start = TimeProvider.System.GetTimestamp();
        while (!condition())
        {
            if (TimeProvider.System.GetElapsedTime(start) > limit)
            {
                throw new TimeoutException($"Waited {limit} for: {what}.");
            }

            await Task.Delay(10, TestContext.Current.CancellationToken);
        }
    }
}
