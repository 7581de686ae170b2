using System.Diagnostics;
using System.Reflection;
using System.Text.Json;

namespace Octopus.Mqtt.LoadTool.Workload;

/// <summary>
/// The end-to-end subscriber, run in a process of its own (the load tool started with
/// <see cref="SubscriberChild.Argument"/>): it counts and times the messages of every publisher alike, and its
/// receiving (MQTTnet's client, its allocations, its thread-pool work) never shares a process, a heap or a thread pool
/// with the publisher being measured, whether that is the library, raw MQTTnet or the Go original.
/// </summary>
internal sealed class SubscriberProcess : IAsyncDisposable
{
    private static readonly TimeSpan AnswerTimeout = TimeSpan.FromSeconds(30);

    private readonly Process _process;

    private SubscriberProcess(Process process) => _process = process;

    public static async Task<SubscriberProcess> StartAsync(Uri server)
    {
        var self = Environment.ProcessPath ?? throw new InvalidOperationException("the load tool's own executable is unknown");
        var start = new ProcessStartInfo(self)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        if (Path.GetFileNameWithoutExtension(self) == "dotnet")
        {
            // Run as `dotnet Octopus.Mqtt.LoadTool.dll`: the child is the same assembly.
            start.ArgumentList.Add(Assembly.GetEntryAssembly()!.Location);
        }

        start.ArgumentList.Add(SubscriberChild.Argument);
        start.ArgumentList.Add(server.ToString());
        var subscriber = new SubscriberProcess(Process.Start(start) ?? throw new InvalidOperationException($"could not start {self}"));
        await subscriber.ExpectAsync("ready", AnswerTimeout);
        return subscriber;
    }

    /// <summary>Starts counting a case's messages; returns once the subscriber counts them.</summary>
    public async Task BeginAsync(int caseId, int devices, int messages)
    {
        await SendAsync($"begin {caseId} {devices} {messages}");
        await ExpectAsync("ok", AnswerTimeout);
    }

    /// <summary>Waits until every message of the case arrived, or <paramref name="drainTimeout"/> passed without progress, and ends the case.</summary>
    public async Task<Arrivals> FinishAsync(TimeSpan drainTimeout)
    {
        await SendAsync($"finish {(int)drainTimeout.TotalMilliseconds}");
        var line = await ReadLineAsync(drainTimeout + AnswerTimeout);
        return JsonSerializer.Deserialize(line, ArrivalsJsonContext.Default.Arrivals)
            ?? throw new InvalidOperationException($"the subscriber process answered \"{line}\"");
    }

    public async ValueTask DisposeAsync()
    {
        _process.StandardInput.Close();
        using var timeout = new CancellationTokenSource(AnswerTimeout);
        try
        {
            await _process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            _process.Kill();
        }

        _process.Dispose();
    }

    private async Task SendAsync(string command)
    {
        await _process.StandardInput.WriteLineAsync(command);
        await _process.StandardInput.FlushAsync();
    }

    private async Task ExpectAsync(string expected, TimeSpan timeout)
    {
        var line = await ReadLineAsync(timeout);
        if (line != expected)
        {
            throw new InvalidOperationException($"the subscriber process answered \"{line}\" instead of \"{expected}\"");
        }
    }

    private async Task<string> ReadLineAsync(TimeSpan timeout)
    {
        using var cancellation = new CancellationTokenSource(timeout);
        try
        {
            return await _process.StandardOutput.ReadLineAsync(cancellation.Token)
                ?? throw new InvalidOperationException($"the subscriber process ended (exit code {(_process.HasExited ? _process.ExitCode : -1)})");
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"the subscriber process did not answer within {timeout.TotalSeconds:N0} s");
        }
    }
}
