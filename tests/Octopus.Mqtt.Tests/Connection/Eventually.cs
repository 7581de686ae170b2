using System.Diagnostics;

namespace Octopus.Mqtt.Tests.Connection;

/// <summary>Waits for a condition with a deadline (polling), instead of sleeping.</summary>
internal static class Eventually
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(10);

    public static async Task TrueAsync(Func<bool> condition, string what, TimeSpan? timeout = null)
    {
        var limit = timeout ?? DefaultTimeout;
        var start = Stopwatch.GetTimestamp();
        while (!condition())
        {
            if (Stopwatch.GetElapsedTime(start) > limit)
            {
                throw new TimeoutException($"Waited {limit} for: {what}");
            }

            await Task.Delay(5);
        }
    }
}
