using Octopus.Mqtt.LoadTool.Fleet;
using Octopus.Mqtt.LoadTool.Workload;

namespace Octopus.Mqtt.LoadTool.Reporting;

/// <summary>The targets, each as a ratio to raw MQTTnet in the same run or to the Go figures.</summary>
internal static class Targets
{
    public static List<Target> Evaluate(IReadOnlyList<CaseResult> cases, FleetResult? fleet, GoDuration maxReconnectInterval)
    {
        var targets = new List<Target>();
        foreach (var result in cases)
        {
            var spec = result.Spec;
            if (spec.Qos is 0 or 1)
            {
                targets.Add(new Target($"{spec.Key}: library/raw msg/s", result.ThroughputRatio, ">= 0.9", result.ThroughputRatio >= 0.9));
            }

            if (spec.Qos == 1 && !spec.Order)
            {
                var library = result.BestLibrary.MessagesPerSecond;
                targets.Add(new Target($"{spec.Key}: library msg/s vs 3 x Go QoS 1 ({GoFigures.Qos1:N0})", library, $">= {3 * GoFigures.Qos1:N0}", library >= 3 * GoFigures.Qos1));
            }

            if (spec.Qos == 2)
            {
                var library = result.BestLibrary.MessagesPerSecond;
                targets.Add(new Target($"{spec.Key}: library msg/s vs 2 x Go QoS 2 ({GoFigures.Qos2:N0})", library, $">= {2 * GoFigures.Qos2:N0}", library >= 2 * GoFigures.Qos2));
            }

            if (result.Lost < 0)
            {
                continue;
            }

            targets.Add(new Target($"{spec.Key}: messages lost (library and raw, all rounds)", result.Lost, "= 0", result.Lost == 0));
        }

        if (fleet is not null)
        {
            targets.Add(new Target($"fleet: seconds to connect all {fleet.Devices}", fleet.LibraryConnectAllSeconds, "<= 10", fleet.LibraryConnectAllSeconds <= 10));
            targets.Add(new Target("fleet: managed heap per device (KB)", fleet.LibraryHeapPerDeviceBytes / 1024.0, "<= 64", fleet.LibraryHeapPerDeviceBytes <= 64 * 1024));
            if (fleet.Restarted)
            {
                var fifth = fleet.Devices / 5.0;
                targets.Add(new Target("fleet restart: most attempts in one second", fleet.MaxAttemptsInOneSecond, $"<= {fifth:N0} (a fifth of the fleet)", fleet.MaxAttemptsInOneSecond <= fifth));
                var limit = maxReconnectInterval.ToTimeSpan().TotalSeconds + 5;
                targets.Add(new Target("fleet restart: seconds until all are back", fleet.AllBackSeconds, $"<= {limit:N0} (maxReconnectInterval + 5 s)", fleet.AllBackSeconds <= limit));
            }
        }

        return targets;
    }
}
