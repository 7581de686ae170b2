using System.Diagnostics;
using Octopus.Mqtt.LoadTool.Reporting;

namespace Octopus.Mqtt.LoadTool.Workload;

/// <summary>
/// Runs one round of a case: connect N devices of one kind, publish M messages from each (one lane awaiting each with
/// order on, <see cref="CaseSpec.InFlight"/> lanes without), wait for the subscriber to see them, and measure.
/// </summary>
internal sealed class CaseRunner(Uri server, SubscriberProcess? subscriber, TimeSpan drainTimeout)
{
    private readonly MqttDeviceClientFactory _factory = new();
    private int _nextCaseId;

    public async Task<CaseMeasurement> RunAsync(CaseSpec spec, ClientKind kind, int round)
    {
        var caseId = Interlocked.Increment(ref _nextCaseId);

        // Let the previous case's connections finish closing, so their objects are not counted in the baseline.
        await Task.Delay(200);
        var heapBefore = ProcessMemory.CollectedHeapBytes();
        ProcessMemory.TryResetPeak();

        var devices = new ILoadDevice[spec.Devices];
        for (var i = 0; i < devices.Length; i++)
        {
            devices[i] = kind switch
            {
                ClientKind.Library => LibraryLoadDevice.Create(_factory, server, spec, caseId, i),
                ClientKind.Raw => new RawLoadDevice(server, spec, caseId, i),
                _ => new BareLoadDevice(server, spec, caseId, i),
            };
        }

        try
        {
            var connectStart = Stopwatch.GetTimestamp();
            await Task.WhenAll(devices.Select(d => d.ConnectAsync()));
            var connect = Stopwatch.GetElapsedTime(connectStart);
            var heapPerDevice = (ProcessMemory.CollectedHeapBytes() - heapBefore) / spec.Devices;

            var caseSubscriber = spec.Subscriber ? subscriber : null;
            if (caseSubscriber is not null)
            {
                await caseSubscriber.BeginAsync(caseId, spec.Devices, spec.Messages);
            }

            var contexts = Enumerable.Range(0, spec.Devices).Select(d => new LaneContext(caseId, d, spec.Messages, spec.Rate)).ToArray();
            var lanes = new List<Func<Task>>(spec.Devices * spec.Lanes);
            for (var d = 0; d < spec.Devices; d++)
            {
                var device = devices[d];
                var context = contexts[d];
                for (var l = 0; l < spec.Lanes; l++)
                {
                    lanes.Add(() => device.RunLaneAsync(context));
                }
            }

            var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
            var workItemsBefore = ThreadPool.CompletedWorkItemCount;
            var start = Stopwatch.GetTimestamp();
            foreach (var context in contexts)
            {
                context.StartTimestamp = start;
            }

            await Task.WhenAll(lanes.Select(lane => lane()));
            var elapsed = Stopwatch.GetElapsedTime(start);
            var allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
            var workItems = ThreadPool.CompletedWorkItemCount - workItemsBefore;

            var arrivals = caseSubscriber is null ? null : await caseSubscriber.FinishAsync(drainTimeout);
            var peak = ProcessMemory.PeakResidentBytes();

            var sent = spec.Devices * spec.Messages;
            var publish = Percentiles.Of(contexts.SelectMany(c => c.Latencies).ToArray());
            return new CaseMeasurement(
                kind,
                round,
                sent / elapsed.TotalSeconds,
                publish.P50,
                publish.P99,
                arrivals?.P50 ?? double.NaN,
                arrivals?.P99 ?? double.NaN,
                sent,
                arrivals?.Lost ?? -1,
                arrivals?.Duplicates ?? 0,
                contexts.Sum(c => c.Failures),
                peak,
                heapPerDevice,
                (double)allocated / sent,
                (double)workItems / sent,
                connect.TotalMilliseconds);
        }
        finally
        {
            await Task.WhenAll(devices.Select(d => d.DisposeAsync().AsTask()));
        }
    }
}
