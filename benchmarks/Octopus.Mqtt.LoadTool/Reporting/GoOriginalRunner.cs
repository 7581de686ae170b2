using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Octopus.Mqtt.LoadTool.Workload;

namespace Octopus.Mqtt.LoadTool.Reporting;

/// <summary>
/// Runs one round of a case with the Go original: the driver built from benchmarks/go-original (Octopus's MQTT
/// extension on paho.mqtt.golang, one client per device made by its own NewClient) as a child process against the same
/// broker, same QoS, devices, messages and publishes in flight. The subscriber counts its messages like the others'
/// (the driver writes case, device, seq and a CLOCK_MONOTONIC send time into each status).
/// </summary>
internal sealed class GoOriginalRunner(string driverPath, Uri server, SubscriberProcess? subscriber, TimeSpan drainTimeout)
{
    /// <summary>Case numbers of the Go runs start here, far from the load tool's own, so the subscriber never mixes them.</summary>
    private const int FirstCaseId = 1_000_000;

    private static readonly TimeSpan RunTimeout = TimeSpan.FromMinutes(10);

    private int _nextCaseId = FirstCaseId;

    public string DriverPath { get; } = Path.GetFullPath(driverPath);

    /// <summary>Runs one round, adds it to <paramref name="results"/> and writes its line to <paramref name="log"/>.</summary>
    public async Task RunAsync(CaseSpec spec, int round, GoOriginalResults results, TextWriter log)
    {
        var go = await MeasureAsync(spec, round);
        results.Add(spec, go);
        log.WriteLine($"{spec.Name}, Go original, round {round}: {go.MessagesPerSecond:N0} msg/s, publish p50 {go.PublishP50Microseconds:N0} µs, lost {go.Lost}, failed {go.Failed}");
    }

    private async Task<GoMeasurement> MeasureAsync(CaseSpec spec, int round)
    {
        var caseId = Interlocked.Increment(ref _nextCaseId);
        var caseSubscriber = spec.Subscriber ? subscriber : null;
        if (caseSubscriber is not null)
        {
            await caseSubscriber.BeginAsync(caseId, spec.Devices, spec.Messages);
        }

        var line = await RunDriverAsync(spec, caseId);
        var arrivals = caseSubscriber is null ? null : await caseSubscriber.FinishAsync(drainTimeout);
        using var document = JsonDocument.Parse(line);
        var figures = document.RootElement;
        (double P50, double P99) endToEnd = StopwatchIsMonotonicNanoseconds && arrivals is not null ? (arrivals.P50, arrivals.P99) : (double.NaN, double.NaN);
        return new GoMeasurement(
            round,
            figures.GetProperty("msgPerSec").GetDouble(),
            figures.GetProperty("publishP50Us").GetDouble(),
            figures.GetProperty("publishP99Us").GetDouble(),
            endToEnd.P50,
            endToEnd.P99,
            figures.GetProperty("msgs").GetInt64(),
            arrivals?.Lost ?? -1,
            arrivals?.Duplicates ?? 0,
            figures.GetProperty("failed").GetInt64(),
            figures.GetProperty("peakRssKb").GetInt64() * 1024,
            figures.GetProperty("payloadBytes").GetInt32(),
            figures.GetProperty("connectMs").GetDouble());
    }

    /// <summary>
    /// Gets a value indicating whether <see cref="Stopwatch"/> reads CLOCK_MONOTONIC in nanoseconds (as on Linux), the
    /// clock of the send times the driver writes; otherwise the Go runs' end-to-end latencies are not reported.
    /// </summary>
    private static bool StopwatchIsMonotonicNanoseconds => OperatingSystem.IsLinux() && Stopwatch.Frequency == 1_000_000_000;

    private async Task<string> RunDriverAsync(CaseSpec spec, int caseId)
    {
        var start = new ProcessStartInfo(DriverPath)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        string[] arguments =
        [
            "-server", $"tcp://{server.Host}:{server.Port}",
            "-qos", spec.Qos.ToString(CultureInfo.InvariantCulture),
            "-devices", spec.Devices.ToString(CultureInfo.InvariantCulture),
            "-inflight", spec.Lanes.ToString(CultureInfo.InvariantCulture),
            "-messages", spec.Messages.ToString(CultureInfo.InvariantCulture),
            "-case", caseId.ToString(CultureInfo.InvariantCulture),
            "-name", $"go{caseId}",
            "-topic", spec.TopicRoot + "/:name",
        ];
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        if (spec.Retain)
        {
            start.ArgumentList.Add("-retain");
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {DriverPath}");
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(RunTimeout);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill();
            throw new TimeoutException($"{DriverPath} did not finish {spec.Name} within {RunTimeout.TotalMinutes:N0} minutes");
        }

        var lines = (await output).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (process.ExitCode != 0 || lines.Length == 0)
        {
            throw new InvalidOperationException($"{DriverPath} exited with {process.ExitCode} on {spec.Name}: {(await errors).Trim()}");
        }

        return lines[^1];
    }
}
