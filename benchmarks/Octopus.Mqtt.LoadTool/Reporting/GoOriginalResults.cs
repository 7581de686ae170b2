using System.Globalization;
using System.Text.Json.Nodes;
using Octopus.Mqtt.LoadTool.Workload;

namespace Octopus.Mqtt.LoadTool.Reporting;

/// <summary>
/// The Go original's rounds of each case, measured in this run by <see cref="GoOriginalRunner"/> (<c>--go-driver</c>),
/// and how they are reported beside the library's; without a driver, the report says so and shows
/// <see cref="GoFigures"/>, labelled as fixed reference figures.
/// </summary>
internal sealed class GoOriginalResults
{
    private readonly List<(CaseSpec Spec, List<GoMeasurement> Rounds)> _cases = [];

    /// <summary>Gets or sets the driver's path, or <see langword="null"/> when the Go original is not measured in this run.</summary>
    public string? DriverPath { get; set; }

    public void Add(CaseSpec spec, GoMeasurement measurement)
    {
        var index = _cases.FindIndex(c => c.Spec == spec);
        if (index < 0)
        {
            _cases.Add((spec, [measurement]));
        }
        else
        {
            _cases[index].Rounds.Add(measurement);
        }
    }

    public void Print(TextWriter output, IReadOnlyList<CaseResult> cases)
    {
        output.WriteLine();
        if (DriverPath is null || _cases.Count == 0)
        {
            output.WriteLine("Go original: not measured in this run (build benchmarks/go-original and pass --go-driver PATH).");
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  reference figures, fixed (an earlier run on this class of machine, awaiting each; NOT from this run): QoS 0 {GoFigures.Qos0:N0}, QoS 1 {GoFigures.Qos1:N0}, QoS 2 {GoFigures.Qos2:N0} msg/s"));
            return;
        }

        output.WriteLine($"Go original (Octopus pkg/mqtt on paho.mqtt.golang), measured in this run: {DriverPath}");
        output.WriteLine("| case | Go msg/s | publish p50 / p99 (µs) | end-to-end p50 / p99 (µs) | lost | failed | peak RSS (MB) | library msg/s | library/Go | raw/Go |");
        output.WriteLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var (spec, rounds) in _cases)
        {
            var go = Best(rounds);
            var result = cases.FirstOrDefault(c => c.Spec == spec);
            output.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"| {spec.Name} | {go.MessagesPerSecond:N0} | {go.PublishP50Microseconds:N0} / {go.PublishP99Microseconds:N0} | {(double.IsNaN(go.EndToEndP50Microseconds) ? "n/a" : $"{go.EndToEndP50Microseconds:N0} / {go.EndToEndP99Microseconds:N0}")} | {(rounds.Any(r => r.Lost < 0) ? "n/a" : rounds.Sum(r => r.Lost))} | {rounds.Sum(r => r.Failed)} | {go.PeakResidentBytes / 1048576.0:F0} | {(result is null ? "n/a" : $"{result.BestLibrary.MessagesPerSecond:N0}")} | {Ratio(result?.BestLibrary.MessagesPerSecond, go)} | {Ratio(result?.BestRaw.MessagesPerSecond, go)} |"));
        }

        output.WriteLine("Go msg/s of every round:");
        foreach (var (spec, rounds) in _cases)
        {
            output.WriteLine($"  {spec.Name}: {string.Join(" ", rounds.Select(r => r.MessagesPerSecond.ToString("N0", CultureInfo.InvariantCulture)))}");
        }
    }

    /// <summary>The issue's target against the Go original measured beside the library: QoS 0, awaiting each.</summary>
    public IEnumerable<Target> Targets(IReadOnlyList<CaseResult> cases)
    {
        foreach (var (spec, rounds) in _cases)
        {
            var result = cases.FirstOrDefault(c => c.Spec == spec);
            if (spec.Qos == 0 && spec.Order && result is not null)
            {
                var ratio = result.BestLibrary.MessagesPerSecond / Best(rounds).MessagesPerSecond;
                yield return new Target($"{spec.Key}: library/Go msg/s (Go measured in this run)", ratio, ">= 1.0", ratio >= 1.0);
            }
        }
    }

    public JsonObject ToJson(IReadOnlyList<CaseResult> cases)
    {
        var json = new JsonObject
        {
            ["measured"] = DriverPath is not null && _cases.Count > 0,
            ["driver"] = DriverPath,
            ["referenceFigures"] = new JsonObject
            {
                ["note"] = "fixed figures of an earlier run, awaiting each; not measured in this run",
                ["qos0"] = GoFigures.Qos0,
                ["qos1"] = GoFigures.Qos1,
                ["qos2"] = GoFigures.Qos2,
            },
        };
        var measured = new JsonObject();
        foreach (var (spec, rounds) in _cases)
        {
            var go = Best(rounds);
            var result = cases.FirstOrDefault(c => c.Spec == spec);
            measured[spec.Key] = new JsonObject
            {
                ["name"] = spec.Name,
                ["msgPerSec"] = go.MessagesPerSecond,
                ["publishP50Us"] = go.PublishP50Microseconds,
                ["publishP99Us"] = go.PublishP99Microseconds,
                ["endToEndP50Us"] = Finite(go.EndToEndP50Microseconds),
                ["endToEndP99Us"] = Finite(go.EndToEndP99Microseconds),
                ["sent"] = go.Sent,
                ["lost"] = rounds.Any(r => r.Lost < 0) ? null : rounds.Sum(r => r.Lost),
                ["duplicates"] = rounds.Sum(r => r.Duplicates),
                ["failed"] = rounds.Sum(r => r.Failed),
                ["peakResidentBytes"] = go.PeakResidentBytes,
                ["payloadBytes"] = go.PayloadBytes,
                ["connectMs"] = go.ConnectMilliseconds,
                ["rounds"] = new JsonArray([.. rounds.Select(r => (JsonNode)r.MessagesPerSecond)]),
                ["libraryToGoMsgPerSecRatio"] = result is null ? null : Finite(result.BestLibrary.MessagesPerSecond / go.MessagesPerSecond),
                ["rawToGoMsgPerSecRatio"] = result is null ? null : Finite(result.BestRaw.MessagesPerSecond / go.MessagesPerSecond),
            };
        }

        json["cases"] = measured;
        return json;
    }

    private static GoMeasurement Best(List<GoMeasurement> rounds) => rounds.MaxBy(r => r.MessagesPerSecond)!;

    private static string Ratio(double? numerator, GoMeasurement go) =>
        numerator is { } value ? (value / go.MessagesPerSecond).ToString("F2", CultureInfo.InvariantCulture) : "n/a";

    private static double? Finite(double value) => double.IsFinite(value) ? value : null;
}
