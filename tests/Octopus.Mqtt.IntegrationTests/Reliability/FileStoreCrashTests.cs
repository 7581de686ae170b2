using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using Octopus.Mqtt.IntegrationTests.Brokers;
using Octopus.Mqtt.IntegrationTests.Publishing;

namespace Octopus.Mqtt.IntegrationTests.Reliability;

/// <summary>
/// A process publishing with the File store is killed (SIGKILL) while its broker is down; the next client with the
/// same UID delivers every message the killed one had accepted.
/// </summary>
public sealed class FileStoreCrashTests
{
    private const int Published = 1000;
    private const int KillAfter = 30;

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task PublishAsync_ProcessKilledWhileBrokerDown_NextClientWithTheSameUidDeliversEveryAcceptedMessage()
    {
        await using var broker = await InProcessBroker.StartAsync();
        await broker.StopAsync();
        var store = Directory.CreateTempSubdirectory("octopus-mqtt-crash-").FullName;
        try
        {
            await using var devices = new DeviceClientBuilder(broker.Server);
            devices.Options.Client.Store = new MqttStoreSettings { Type = MqttStoreType.File, DirectoryPrefix = store };
            devices.Options.Message.Topic = devices.Topic;

            // Recovered messages count against the depth: room for all the child may have stored, and the end marker.
            devices.Options.Client.MessageChannelDepth = Published + 1;

            var accepted = await RunAndKillChildAsync(broker.Server, devices.Topic, devices.Device.Uid, store);

            accepted.Should().HaveCountGreaterThanOrEqualTo(KillAfter).And.HaveCountLessThan(Published, "the child is killed mid-stream");
            await broker.StartAsync();
            var client = await devices.ConnectAsync();
            (await client.PublishAsync("end"u8.ToArray(), null, Token)).Should().BeSameAs(MqttPublishResult.Delivered);
            var arrived = (await broker.Messages.WaitUntilAsync(m => m.Any(x => x.PayloadText == "end"), "the end marker"))
                .Select(m => m.PayloadText).TakeWhile(text => text != "end").ToList();
            arrived.Take(accepted.Count).Should().Equal(accepted, "every accepted message, in publish order");
            arrived.Should().HaveCountLessThanOrEqualTo(accepted.Count + 1, "at most the publish cut short by the kill was stored but not reported");
            Directory.EnumerateFiles(Path.Combine(store, devices.Device.Uid)).Should().BeEmpty("acknowledged messages leave the store");
        }
        finally
        {
            Directory.Delete(store, recursive: true);
        }
    }

    /// <summary>Runs the child until it reported <see cref="KillAfter"/> accepted messages, kills it, and returns every message it reported accepted.</summary>
    private static async Task<List<string>> RunAndKillChildAsync(string server, string topic, string uid, string store)
    {
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            ArgumentList = { ChildPath(), server, topic, uid, store, Published.ToString(CultureInfo.InvariantCulture) },
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        using var child = Process.Start(start)!;
        var lines = new ConditionRecorder<string>();
        child.OutputDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                lines.Add(e.Data);
            }
        };
        child.BeginOutputReadLine();
        var errors = child.StandardError.ReadToEndAsync(Token);

        try
        {
            await lines.WaitForCountAsync(KillAfter, TestTimeouts.Startup);
        }
        catch (TimeoutException timeout)
        {
            child.Kill();
            throw new TimeoutException($"{timeout.Message}\nchild stderr:\n{await errors}", timeout);
        }

        child.Kill();
        await child.WaitForExitAsync(Token);
        child.ExitCode.Should().Be(137, "SIGKILL");

        var reported = lines.GetSnapshot();
        reported.Should().OnlyContain(line => line.StartsWith("queued ", StringComparison.Ordinal));
        return [.. reported.Select(line => "m" + line["queued ".Length..])];
    }

    private static string ChildPath()
    {
        var path = typeof(FileStoreCrashTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "CrashChildPath").Value!;
        return File.Exists(path) ? path : throw new FileNotFoundException($"the crash child is not built at {path}", path);
    }
}
