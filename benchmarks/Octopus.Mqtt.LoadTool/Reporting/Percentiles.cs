using System.Diagnostics;

namespace Octopus.Mqtt.LoadTool.Reporting;

/// <summary>Percentiles of Stopwatch-tick samples, in microseconds.</summary>
internal static class Percentiles
{
    public static (double P50, double P99) Of(long[] ticks)
    {
        if (ticks.Length == 0)
        {
            return (double.NaN, double.NaN);
        }

        Array.Sort(ticks);
        return (ToMicroseconds(At(ticks, 0.50)), ToMicroseconds(At(ticks, 0.99)));
    }

    private static long At(long[] sorted, double quantile) =>
        sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(quantile * sorted.Length) - 1)];

    private static double ToMicroseconds(long ticks) => ticks * 1_000_000.0 / Stopwatch.Frequency;
}
