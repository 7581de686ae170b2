namespace Octopus.Mqtt.Cli.Tests.Connect;

/// <summary>Waits for a condition with a deadline, checking it whenever the test's other work yields.</summary>
internal static class Eventually
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(20);

    public static async Task TrueAsync(Func<bool> condition, string what)
    {
        var until = DateTime.UtcNow + Deadline;
        while (!condition())
        {
            if (DateTime.UtcNow > until)
            {
                throw new TimeoutException($"waited {Deadline.TotalSeconds} s for {what}");
            }

            await Task.Yield();
            await Task.Delay(TimeSpan.FromMilliseconds(10), TestContext.Current.CancellationToken);
        }
    }
}
