using System.Diagnostics;
using Octopus.Mqtt.LoadTool;
using Octopus.Mqtt.LoadTool.Brokers;
using Octopus.Mqtt.LoadTool.Fleet;
using Octopus.Mqtt.LoadTool.Reporting;
using Octopus.Mqtt.LoadTool.Workload;

// Octopus.Mqtt beside raw MQTTnet, same workload, same run. See docs/benchmarks.md and --help.
if (args is [SubscriberChild.Argument, var subscribeTo])
{
    // The end-to-end subscriber's own process, started by the tool itself (SubscriberProcess).
    return await SubscriberChild.RunAsync(new Uri(subscribeTo));
}

LoadOptions options;
try
{
    options = LoadOptions.Parse(args);
}
catch (Exception exception) when (exception is ArgumentException or FormatException or UriFormatException)
{
    Console.Error.WriteLine(exception.Message);
    return 2;
}

if (options.Help)
{
    Console.WriteLine(LoadOptions.Usage);
    return 0;
}

var total = Stopwatch.StartNew();
var log = Console.Out;
await using var broker = await BrokerLauncher.StartAsync(options.Server);
log.WriteLine($"broker: {broker.Description}");
var report = new RunReport
{
    Broker = broker.Description,
    Command = "Octopus.Mqtt.LoadTool " + string.Join(' ', args),
    LoadAverageBefore = RunReport.ReadLoadAverage(),
};

if (options.Cases)
{
    await using var subscriber = options.Subscriber ? await SubscriberProcess.StartAsync(broker.Server) : null;
    var runner = new CaseRunner(broker.Server, subscriber, TimeSpan.FromSeconds(options.Quick ? 3 : 10));
    var goRunner = options.GoDriver is { } driver ? new GoOriginalRunner(driver, broker.Server, subscriber, TimeSpan.FromSeconds(options.Quick ? 3 : 10)) : null;
    report.Go.DriverPath = goRunner?.DriverPath;
    var specs = new List<CaseSpec>();
    var modes = options.WithoutSubscriberToo ? new[] { true, false } : [options.Subscriber];
    foreach (var withSubscriber in modes)
    {
        foreach (var qos in options.QosLevels)
        {
            specs.Add(new CaseSpec(qos, Order: true, options.Devices, options.Messages, options.InFlight, options.Retain, withSubscriber));
            specs.Add(new CaseSpec(qos, Order: false, options.Devices, options.Messages, options.InFlight, options.Retain, withSubscriber));
        }
    }

    if (options.LatencyMessages > 0)
    {
        // Paced, awaiting each: a lone packet must go out at once, so latency at low rates shows any added wait.
        foreach (var qos in options.QosLevels)
        {
            specs.Add(new CaseSpec(qos, Order: true, options.Devices, options.LatencyMessages, 1, options.Retain, options.Subscriber, Rate: 1));
            specs.Add(new CaseSpec(qos, Order: true, options.Devices, 3000, 1, options.Retain, options.Subscriber, Rate: 1000));
        }
    }

    var kinds = options.Kinds.Select(k => k == "raw" ? ClientKind.Raw : ClientKind.Library).ToArray();

    // The bare client (--bare) cannot pace its publishes: it runs in the unpaced cases only, like the Go driver.
    var unpacedKinds = options.Bare ? [.. kinds, ClientKind.Bare] : kinds;

    // Warm-up: every path once with a few messages, so the measured rounds run tiered-up code.
    foreach (var spec in specs.Where(s => s.Rate == 0))
    {
        var warm = spec with { Messages = Math.Min(spec.Messages, options.Quick ? 1000 : 3000) };
        foreach (var kind in unpacedKinds)
        {
            await runner.RunAsync(warm, kind, 0);
        }
    }

    log.WriteLine($"warm-up done in {total.Elapsed.TotalSeconds:F1} s");
    foreach (var spec in specs)
    {
        var result = new CaseResult(spec);
        for (var round = 1; round <= options.Rounds; round++)
        {
            // Alternate which kind goes first, so neither always runs on a warmer (or busier) machine; the Go original
            // (--go-driver) runs last in odd rounds and first in even ones.
            // The driver cannot pace its publishes: the paced cases (1 and 1,000 msg/s) are the library's and raw's only.
            var go = spec.Rate == 0 ? goRunner : null;
            if (go is not null && round % 2 == 0)
            {
                await go.RunAsync(spec, round, report.Go, log);
            }

            var roundKinds = spec.Rate == 0 ? unpacedKinds : kinds;
            foreach (var kind in round % 2 == 1 ? roundKinds : roundKinds.AsEnumerable().Reverse())
            {
                var measurement = await runner.RunAsync(spec, kind, round);
                result.Add(measurement);
                log.WriteLine($"{spec.Name}, {kind}, round {round}: {measurement.MessagesPerSecond:N0} msg/s, publish p50 {measurement.PublishP50Microseconds:N0} µs, lost {measurement.Lost}, failed {measurement.Failed}");
            }

            if (go is not null && round % 2 == 1)
            {
                await go.RunAsync(spec, round, report.Go, log);
            }
        }

        if (result.Library.Count > 0 && result.Raw.Count > 0)
        {
            report.Cases.Add(result);
        }
    }
}

if (options.Receive)
{
    var receive = new ReceiveRunner(broker.Server, log);
    foreach (var qos in options.QosLevels)
    {
        foreach (var kind in new[] { ClientKind.Raw, ClientKind.Library })
        {
            await receive.RunAsync(kind, qos, Math.Min(options.Messages, 1000));
        }

        for (var round = 1; round <= options.Rounds; round++)
        {
            foreach (var kind in round % 2 == 1 ? [ClientKind.Raw, ClientKind.Library] : new[] { ClientKind.Library, ClientKind.Raw })
            {
                var rate = await receive.RunAsync(kind, qos, options.Messages);
                log.WriteLine($"receive qos {qos}, {kind}, round {round}: {rate:N0} msg/s into the handler");
            }
        }
    }
}

if (options.Fleet > 0)
{
    report.Fleet = await new FleetRunner(broker, options.Fleet, options.MaxReconnectInterval, log).RunAsync();
}

report.LoadAverageAfter = RunReport.ReadLoadAverage();
report.Targets.AddRange(Targets.Evaluate(report.Cases, report.Fleet, options.MaxReconnectInterval, options.GoDriver is not null));
report.Targets.AddRange(report.Go.Targets(report.Cases));
report.Print(log);
if (options.JsonPath is not null)
{
    report.WriteJson(options.JsonPath);
    log.WriteLine($"figures written to {options.JsonPath}");
}

log.WriteLine($"finished in {total.Elapsed.TotalSeconds:F1} s");
return 0;
