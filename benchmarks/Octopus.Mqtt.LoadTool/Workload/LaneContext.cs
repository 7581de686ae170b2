using System.Diagnostics;

namespace Octopus.Mqtt.LoadTool.Workload;

/// <summary>The shared state of one device's lanes in a case: the next sequence number, each publish's latency, failures.</summary>
internal sealed class LaneContext(int caseId, int device, int messages, int rate = 0)
{
    private int _next;
    private int _failures;

    public int CaseId { get; } = caseId;

    public int Device { get; } = device;

    public int Messages { get; } = messages;

    /// <summary>Gets each publish call's duration in Stopwatch ticks, by sequence number.</summary>
    public long[] Latencies { get; } = new long[messages];

    public int Failures => Volatile.Read(ref _failures);

    /// <summary>Gets or sets the Stopwatch time stamp the case started at: message N is due N / rate seconds after it.</summary>
    public long StartTimestamp { get; set; }

    /// <summary>Waits until message <paramref name="seq"/> is due at the case's rate (at once without a rate, or when late).</summary>
    public async ValueTask WaitTurnAsync(int seq)
    {
        if (rate <= 0)
        {
            return;
        }

        var due = StartTimestamp + (long)((double)seq * Stopwatch.Frequency / rate);
        var remaining = due - Stopwatch.GetTimestamp();
        if (remaining > 0)
        {
            await Task.Delay(TimeSpan.FromSeconds((double)remaining / Stopwatch.Frequency));
        }
    }

    /// <summary>Takes the next sequence number, or returns false when the device has sent all its messages.</summary>
    public bool TryTake(out int seq)
    {
        seq = Interlocked.Increment(ref _next) - 1;
        return seq < Messages;
    }

    public void Fail() => Interlocked.Increment(ref _failures);
}
