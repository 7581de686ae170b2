using System.Diagnostics;

namespace Octopus.Mqtt.LoadTool.Workload;

/// <summary>
/// What the subscriber saw of one measured case: each message's end-to-end latency (publish call to arrival), first
/// arrivals only, so a missing slot is a lost message and a second arrival a duplicate.
/// </summary>
internal sealed class CaseTracker
{
    private readonly long[] _latencies;
    private readonly int _messages;
    private int _received;
    private int _duplicates;

    public CaseTracker(int caseId, int devices, int messages)
    {
        CaseId = caseId;
        _messages = messages;
        _latencies = new long[checked(devices * messages)];
    }

    public int CaseId { get; }

    public int Expected => _latencies.Length;

    public int Received => Volatile.Read(ref _received);

    public int Duplicates => Volatile.Read(ref _duplicates);

    /// <summary>Records one arrival; called by the subscriber's single receive loop.</summary>
    public void Record(int device, int seq, long sentAt, long arrivedAt)
    {
        var slot = (device * _messages) + seq;
        if ((uint)seq >= (uint)_messages || (uint)slot >= (uint)_latencies.Length)
        {
            return;
        }

        if (_latencies[slot] != 0)
        {
            Interlocked.Increment(ref _duplicates);
            return;
        }

        _latencies[slot] = Math.Max(1, arrivedAt - sentAt);
        Interlocked.Increment(ref _received);
    }

    /// <summary>Waits until every message arrived, or until <paramref name="timeout"/> passes without progress.</summary>
    public async Task WaitForAllAsync(TimeSpan timeout)
    {
        var last = Received;
        var lastProgress = Stopwatch.GetTimestamp();
        while (Received < Expected)
        {
            await Task.Delay(5);
            var now = Received;
            if (now != last)
            {
                last = now;
                lastProgress = Stopwatch.GetTimestamp();
            }
            else if (Stopwatch.GetElapsedTime(lastProgress) > timeout)
            {
                return;
            }
        }
    }

    /// <summary>Gets the latencies of the messages that arrived, in Stopwatch ticks.</summary>
    public long[] ArrivedLatencies() => _latencies.Where(l => l != 0).ToArray();
}
