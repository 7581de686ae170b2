using System.Globalization;
using System.Text.Json;
using Octopus.Mqtt.LoadTool.Reporting;

namespace Octopus.Mqtt.LoadTool.Workload;

/// <summary>
/// The load tool started as the subscriber's own process (<see cref="SubscriberProcess"/>): one
/// <see cref="EndToEndSubscriber"/>, driven by lines on standard input, answering on standard output.
/// </summary>
/// <remarks>
/// Commands: <c>begin CASE DEVICES MESSAGES</c> (answer <c>ok</c>) starts counting a case; <c>finish MS</c> waits until
/// every message arrived or MS milliseconds pass without progress, ends the case and answers one JSON line of
/// <see cref="Arrivals"/>. End of input ends the process. <c>ready</c> is written once the subscription is in place.
/// </remarks>
internal static class SubscriberChild
{
    public const string Argument = "--subscriber-process";

    public static async Task<int> RunAsync(Uri server)
    {
        await using var subscriber = await EndToEndSubscriber.StartAsync(server);
        var output = Console.Out;
        await output.WriteLineAsync("ready");
        CaseTracker? tracker = null;
        while (await Console.In.ReadLineAsync() is { } line)
        {
            var words = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            switch (words)
            {
                case ["begin", var caseId, var devices, var messages]:
                    tracker = subscriber.Begin(Parse(caseId), Parse(devices), Parse(messages));
                    await output.WriteLineAsync("ok");
                    break;
                case ["finish", var milliseconds] when tracker is not null:
                    await tracker.WaitForAllAsync(TimeSpan.FromMilliseconds(Parse(milliseconds)));
                    subscriber.End();
                    var (p50, p99) = Percentiles.Of(tracker.ArrivedLatencies());
                    var arrivals = new Arrivals(tracker.Expected, tracker.Received, tracker.Duplicates, p50, p99);
                    tracker = null;
                    await output.WriteLineAsync(JsonSerializer.Serialize(arrivals, ArrivalsJsonContext.Default.Arrivals));
                    break;
                default:
                    await Console.Error.WriteLineAsync($"subscriber process: unknown command \"{line}\"");
                    return 2;
            }
        }

        return 0;
    }

    private static int Parse(string text) => int.Parse(text, NumberStyles.None, CultureInfo.InvariantCulture);
}
