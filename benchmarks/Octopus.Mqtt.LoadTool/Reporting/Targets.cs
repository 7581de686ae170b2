using Octopus.Mqtt.LoadTool.Fleet;
using Octopus.Mqtt.LoadTool.Workload;

namespace Octopus.Mqtt.LoadTool.Reporting;

/// <summary>The targets, each as a ratio to raw MQTTnet in the same run or to the Go figures.</summary>
internal static class Targets
{
    public static List<Target> Evaluate(IReadOnlyList<CaseResult> cases, FleetResult? fleet, GoDuration maxReconnectInterval, bool goMeasured)
    {
        var targets = new List<Target>();
        foreach (var result in cases)
        {
            var spec = result.Spec;
            if (spec.Rate == 0)
            {
                // Issue 16: 1.2 x raw MQTTnet for QoS 0 and QoS 1 pipelined, at least raw's figure everywhere else.
                var required = !spec.Order && spec.Qos is 0 or 1 ? 1.2 : 1.0;
                targets.Add(new Target($"{spec.Key}: library/raw msg/s", result.ThroughputRatio, $">= {required:F1}", result.ThroughputRatio >= required));
                if (spec.Qos == 0 && spec.Order && !goMeasured)
                {
                    // Without the Go original beside this run (--go-driver; GoFigures are fixed references): 2 x raw.
                    targets.Add(new Target($"{spec.Key}: library/raw msg/s (no Go figure of this run: 2 x raw)", result.ThroughputRatio, ">= 2.0", result.ThroughputRatio >= 2.0));
                }
            }

            if (result.Lost < 0)
            {
                continue;
            }

            targets.Add(new Target($"{spec.Key}: messages lost (library and raw, all rounds)", result.Lost, "= 0", result.Lost == 0));
        }

        if (fleet is not null)
        {
            targets.Add(new Target($"fleet: seconds to connect all {fleet.Devices}", fleet.LibraryConnectAllSeconds, "<= 15", fleet.LibraryConnectAllSeconds <= 15));
            targets.Add(new Target("fleet: managed heap per device (KB)", fleet.LibraryHeapPerDeviceBytes / 1024.0, "<= 16", fleet.LibraryHeapPerDeviceBytes <= 16 * 1024));
            if (fleet.Restarted)
            {
                var fifth = fleet.Devices / 5.0;
                targets.Add(new Target("fleet restart: most attempts in one second", fleet.MaxAttemptsInOneSecond, $"<= {fifth:N0} (a fifth of the fleet)", fleet.MaxAttemptsInOneSecond <= fifth));
                // The reconnect pacer admits about 100 attempts a second: a fleet of N needs N / 100 s on top.
                var limit = maxReconnectInterval.ToTimeSpan().TotalSeconds + 5 + (fleet.Devices / 100.0);
                targets.Add(new Target("fleet restart: seconds until all are back", fleet.AllBackSeconds, $"<= {limit:N0} (maxReconnectInterval + 5 s + devices / 100 s)", fleet.AllBackSeconds <= limit));
            }
        }

        return targets;
    }
}
