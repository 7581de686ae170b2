using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.Json;
using System.Text.Json.Nodes;
using Octopus.Mqtt.LoadTool.Fleet;
using Octopus.Mqtt.LoadTool.Workload;

namespace Octopus.Mqtt.LoadTool.Reporting;

/// <summary>Prints the figures as tables and writes them as one JSON object (every library/raw ratio under a key containing "ratio").</summary>
internal sealed class RunReport
{
    public required string Broker { get; init; }

    public required string Command { get; init; }

    public required string LoadAverageBefore { get; init; }

    public string LoadAverageAfter { get; set; } = string.Empty;

    public List<CaseResult> Cases { get; } = [];

    public FleetResult? Fleet { get; set; }

    public List<Target> Targets { get; } = [];

    /// <summary>Gets the Go original's figures of this run (<c>--go-driver</c>), or the fixed reference figures without it.</summary>
    public GoOriginalResults Go { get; } = new();

    public static string ReadLoadAverage()
    {
        try
        {
            return string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3));
        }
        catch (IOException)
        {
            return "?";
        }
    }

    public void Print(TextWriter output)
    {
        output.WriteLine();
        output.WriteLine($"broker: {Broker}");
        output.WriteLine($"machine: {Environment.ProcessorCount} CPUs, {RuntimeInformation.OSDescription}, {RuntimeInformation.FrameworkDescription}; load average before {LoadAverageBefore}, after {LoadAverageAfter}");
        if (Cases.Count > 0)
        {
            output.WriteLine();
            output.WriteLine("| case | client | msg/s | publish p50 / p99 (µs) | end-to-end p50 / p99 (µs) | lost | peak RSS (MB) | heap/device (KB) | alloc/msg (B) | pool items/msg | library/raw msg/s |");
            output.WriteLine("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
            foreach (var result in Cases)
            {
                output.WriteLine(Row(result.Spec, result.BestRaw, string.Empty));
                output.WriteLine(Row(result.Spec, result.BestLibrary, result.ThroughputRatio.ToString("F2", CultureInfo.InvariantCulture)));
            }

            output.WriteLine();
            output.WriteLine("msg/s of every round (raw | library):");
            foreach (var result in Cases)
            {
                output.WriteLine($"  {result.Spec.Name}: {Rounds(result.Raw)} | {Rounds(result.Library)}");
            }

            PrintBare(output);
        }

        if (Cases.Count > 0)
        {
            Go.Print(output, Cases);
        }

        if (Fleet is { } fleet)
        {
            output.WriteLine();
            output.WriteLine($"fleet of {fleet.Devices}: connect all {fleet.LibraryConnectAllSeconds:F2} s (raw {fleet.RawConnectAllSeconds:F2} s), heap per device {fleet.LibraryHeapPerDeviceBytes / 1024.0:F1} KB (raw {fleet.RawHeapPerDeviceBytes / 1024.0:F1} KB), peak RSS {fleet.PeakResidentBytes / 1048576.0:F0} MB");
            if (fleet.Restarted)
            {
                output.WriteLine($"  restart: broker down {fleet.BrokerDownSeconds:F2} s; {fleet.Reconnected}/{fleet.Devices} back, all within {fleet.AllBackSeconds:F2} s; {fleet.TotalAttempts} attempts, at most {fleet.MaxAttemptsInOneSecond} in one second");
                output.WriteLine($"  attempts per second after the kill: [{string.Join(", ", fleet.AttemptsPerSecond)}]");
            }
        }

        output.WriteLine();
        output.WriteLine("targets:");
        foreach (var target in Targets)
        {
            output.WriteLine($"  [{(target.Met ? "met" : "MISSED")}] {target.Name}: {target.Measured.ToString("G4", CultureInfo.InvariantCulture)} (required {target.Requirement})");
        }
    }

    public void WriteJson(string path)
    {
        var root = new JsonObject
        {
            ["command"] = Command,
            ["broker"] = Broker,
            ["processorCount"] = Environment.ProcessorCount,
            ["os"] = RuntimeInformation.OSDescription,
            ["runtime"] = RuntimeInformation.FrameworkDescription,
            ["loadAverageBefore"] = LoadAverageBefore,
            ["loadAverageAfter"] = LoadAverageAfter,
            ["goOriginal"] = Go.ToJson(Cases),
        };

        var cases = new JsonObject();
        foreach (var result in Cases)
        {
            var library = result.BestLibrary;
            var raw = result.BestRaw;
            var entry = new JsonObject
            {
                ["name"] = result.Spec.Name,
                ["qos"] = result.Spec.Qos,
                ["order"] = result.Spec.Order,
                ["devices"] = result.Spec.Devices,
                ["messagesPerDevice"] = result.Spec.Messages,
                ["inFlightPerDevice"] = result.Spec.Lanes,
                ["library"] = Json(library),
                ["raw"] = Json(raw),
                ["libraryRounds"] = new JsonArray([.. result.Library.Select(m => (JsonNode)m.MessagesPerSecond)]),
                ["rawRounds"] = new JsonArray([.. result.Raw.Select(m => (JsonNode)m.MessagesPerSecond)]),
                ["msgPerSecRatio"] = Finite(result.ThroughputRatio),
                ["publishP50Ratio"] = Finite(library.PublishP50Microseconds / raw.PublishP50Microseconds),
                ["endToEndP50Ratio"] = Finite(library.EndToEndP50Microseconds / raw.EndToEndP50Microseconds),
                ["allocatedPerMessageRatio"] = Finite(library.AllocatedBytesPerMessage / raw.AllocatedBytesPerMessage),
                ["heapPerDeviceRatio"] = raw.HeapPerDeviceBytes <= 0 ? null : Finite((double)library.HeapPerDeviceBytes / raw.HeapPerDeviceBytes),
                ["lost"] = result.Lost < 0 ? null : result.Lost,
            };
            cases[result.Spec.Key] = entry;
            if (result.BestBare is { } bare)
            {
                // The ceiling, not a library/raw ratio: no key here contains "ratio".
                entry["bare"] = Json(bare);
                entry["bareRounds"] = new JsonArray([.. result.Bare.Select(m => (JsonNode)m.MessagesPerSecond)]);
                entry["bareOverRawMsgPerSec"] = Finite(bare.MessagesPerSecond / raw.MessagesPerSecond);
                entry["libraryOverBareMsgPerSec"] = Finite(library.MessagesPerSecond / bare.MessagesPerSecond);
            }
        }

        root["cases"] = cases;
        if (Fleet is { } fleet)
        {
            root["fleet"] = new JsonObject
            {
                ["devices"] = fleet.Devices,
                ["maxReconnectInterval"] = fleet.MaxReconnectInterval,
                ["toolOpenFileLimit"] = fleet.ToolOpenFileLimit,
                ["brokerOpenFileLimit"] = fleet.BrokerOpenFileLimit,
                ["libraryConnectAllSeconds"] = fleet.LibraryConnectAllSeconds,
                ["rawConnectAllSeconds"] = fleet.RawConnectAllSeconds,
                ["connectAllRatio"] = Finite(fleet.LibraryConnectAllSeconds / fleet.RawConnectAllSeconds),
                ["libraryHeapPerDeviceBytes"] = fleet.LibraryHeapPerDeviceBytes,
                ["rawHeapPerDeviceBytes"] = fleet.RawHeapPerDeviceBytes,
                ["heapPerDeviceRatio"] = Finite((double)fleet.LibraryHeapPerDeviceBytes / fleet.RawHeapPerDeviceBytes),
                ["peakResidentBytes"] = fleet.PeakResidentBytes,
                ["restarted"] = fleet.Restarted,
                ["brokerDownSeconds"] = fleet.BrokerDownSeconds,
                ["allBackSeconds"] = double.IsFinite(fleet.AllBackSeconds) ? fleet.AllBackSeconds : null,
                ["reconnected"] = fleet.Reconnected,
                ["totalAttempts"] = fleet.TotalAttempts,
                ["maxAttemptsInOneSecond"] = fleet.MaxAttemptsInOneSecond,
                ["attemptsPerSecond"] = new JsonArray([.. fleet.AttemptsPerSecond.Select(a => (JsonNode)a)]),
            };
        }

        root["targets"] = new JsonArray([.. Targets.Select(t => (JsonNode)new JsonObject
        {
            ["name"] = t.Name,
            ["measured"] = double.IsFinite(t.Measured) ? t.Measured : null,
            ["requirement"] = t.Requirement,
            ["met"] = t.Met,
        })]);

        File.WriteAllText(path, root.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
    }

    private static JsonObject Json(CaseMeasurement m) => new()
    {
        ["msgPerSec"] = m.MessagesPerSecond,
        ["publishP50Us"] = Finite(m.PublishP50Microseconds),
        ["publishP99Us"] = Finite(m.PublishP99Microseconds),
        ["endToEndP50Us"] = Finite(m.EndToEndP50Microseconds),
        ["endToEndP99Us"] = Finite(m.EndToEndP99Microseconds),
        ["sent"] = m.Sent,
        ["lost"] = m.Lost < 0 ? null : m.Lost,
        ["duplicates"] = m.Duplicates,
        ["failed"] = m.Failed,
        ["peakResidentBytes"] = m.PeakResidentBytes,
        ["heapPerDeviceBytes"] = m.HeapPerDeviceBytes,
        ["allocatedBytesPerMessage"] = m.AllocatedBytesPerMessage,
        ["threadPoolWorkItemsPerMessage"] = m.WorkItemsPerMessage,
        ["connectMs"] = m.ConnectMilliseconds,
    };

    private static string Rounds(List<CaseMeasurement> rounds) =>
        string.Join(" ", rounds.Select(m => m.MessagesPerSecond.ToString("N0", CultureInfo.InvariantCulture)));

    /// <summary>The bare socket client's rounds (<c>--bare</c>): how far this broker lets any client go here.</summary>
    private void PrintBare(TextWriter output)
    {
        var cases = Cases.Where(c => c.BestBare is not null).ToList();
        if (cases.Count == 0)
        {
            return;
        }

        output.WriteLine();
        output.WriteLine("bare socket client (MQTT by hand on a socket, the broker's ceiling for this window; not a product):");
        output.WriteLine("| case | bare msg/s, every round | lost | bare/raw | library/bare |");
        output.WriteLine("|---|---:|---:|---:|---:|");
        foreach (var result in cases)
        {
            var bare = result.BestBare!.MessagesPerSecond;
            var lost = result.BareLost < 0 ? "n/a" : result.BareLost.ToString(CultureInfo.InvariantCulture);
            output.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"| {result.Spec.Name} | {Rounds(result.Bare)} | {lost} | {bare / result.BestRaw.MessagesPerSecond:F2} | {result.BestLibrary.MessagesPerSecond / bare:F2} |"));
        }
    }

    private static double? Finite(double value) => double.IsFinite(value) ? value : null;

    private static string Row(CaseSpec spec, CaseMeasurement m, string ratio) => string.Create(
        CultureInfo.InvariantCulture,
        $"| {spec.Name} | {(m.Kind == ClientKind.Library ? "Octopus.Mqtt" : "raw MQTTnet")} | {m.MessagesPerSecond:N0} | {m.PublishP50Microseconds:N0} / {m.PublishP99Microseconds:N0} | {(double.IsNaN(m.EndToEndP50Microseconds) ? "n/a" : $"{m.EndToEndP50Microseconds:N0} / {m.EndToEndP99Microseconds:N0}")} | {(m.Lost < 0 ? "n/a" : m.Lost)} | {m.PeakResidentBytes / 1048576.0:F0} | {m.HeapPerDeviceBytes / 1024.0:F1} | {m.AllocatedBytesPerMessage:F0} | {m.WorkItemsPerMessage:F1} | {ratio} |");
}
