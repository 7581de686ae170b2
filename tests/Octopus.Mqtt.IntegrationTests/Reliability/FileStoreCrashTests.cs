using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using Octopus.Mqtt.IntegrationTests.Brokers;
using Octopus.Mqtt.IntegrationTests.Publishing;

namespace Octopus.Mqtt.IntegrationTests.Reliability;

/// <summary>
/// A process publishing with the File store is killed (SIGKILL) while its broker is down, or up; the next client with
/// the same UID delivers every message the killed one had accepted. A damaged entry in the store is set aside and the
/// rest are delivered. While the process lives, its store's lock refuses a second client of the same UID.
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
            await using var devices = FileStoreDevices(broker, store);

            var accepted = await RunAndKillChildAsync(broker.Server, devices.Topic, devices.Device.Uid, store, KillAfter);

            accepted.Should().HaveCountGreaterThanOrEqualTo(KillAfter).And.HaveCountLessThan(Published, "the child is killed mid-stream");
            await broker.StartAsync();
            var arrived = await ArrivalsBeforeEndMarkerAsync(broker, devices);
            arrived.Take(accepted.Count).Should().Equal(accepted, "every accepted message, in publish order");
            arrived.Should().HaveCountLessThanOrEqualTo(accepted.Count + 1, "at most the publish cut short by the kill was stored but not reported");
            Directory.EnumerateFiles(Path.Combine(store, devices.Device.Uid)).Select(Path.GetFileName).Should().Equal([".lock"], "acknowledged messages leave the store (its lock file stays)");
        }
        finally
        {
            Directory.Delete(store, recursive: true);
        }
    }

    [Fact]
    public async Task PublishAsync_ProcessKilledWhileBrokerUp_EveryAcceptedMessageArrivesInOrder()
    {
        var seed = Environment.TickCount;
        var killAfter = new Random(seed).Next(5, 300);
        TestContext.Current.TestOutputHelper?.WriteLine($"seed {seed}: kill after {killAfter} accepted messages");
        await using var broker = await InProcessBroker.StartAsync();
        var store = Directory.CreateTempSubdirectory("octopus-mqtt-crash-").FullName;
        try
        {
            await using var devices = FileStoreDevices(broker, store);

            var accepted = await RunAndKillChildAsync(broker.Server, devices.Topic, devices.Device.Uid, store, killAfter);

            var firstArrivals = (await ArrivalsBeforeEndMarkerAsync(broker, devices)).Distinct().ToList();
            firstArrivals.Should().StartWith(accepted, "every accepted message arrived, delivered before the kill or recovered after it, in publish order");
            firstArrivals.Should().HaveCountLessThanOrEqualTo(accepted.Count + 1, "at most the publish cut short by the kill was stored but not reported");
        }
        finally
        {
            Directory.Delete(store, recursive: true);
        }
    }

    [Fact]
    public async Task Recover_GarbageAndTruncatedEntries_SetAsideAndTheRestDelivered()
    {
        await using var broker = await InProcessBroker.StartAsync();
        await broker.StopAsync();
        var store = Directory.CreateTempSubdirectory("octopus-mqtt-crash-").FullName;
        try
        {
            await using var devices = FileStoreDevices(broker, store);
            var accepted = await RunAndKillChildAsync(broker.Server, devices.Topic, devices.Device.Uid, store, KillAfter);
            var entries = Directory.EnumerateFiles(Path.Combine(store, devices.Device.Uid), "*.msg").Order(StringComparer.Ordinal).ToList();
            await File.WriteAllBytesAsync(entries[1], "not a stored message"u8.ToArray(), Token);
            var truncated = await File.ReadAllBytesAsync(entries[3], Token);
            await File.WriteAllBytesAsync(entries[3], truncated[..(truncated.Length / 2)], Token);

            await broker.StartAsync();
            var arrived = await ArrivalsBeforeEndMarkerAsync(broker, devices);

            arrived.Take(accepted.Count - 2).Should().Equal(accepted.Where((_, i) => i != 1 && i != 3), "every intact entry, in order");
            Directory.EnumerateFiles(Path.Combine(store, devices.Device.Uid), "*.corrupt").Should().HaveCount(2, "the damaged entries are set aside, not deleted");
        }
        finally
        {
            Directory.Delete(store, recursive: true);
        }
    }

    [Fact]
    public async Task Create_StoreHeldByALiveProcess_IsRefusedUntilThatProcessIsKilled()
    {
        await using var broker = await InProcessBroker.StartAsync();
        await broker.StopAsync();
        var store = Directory.CreateTempSubdirectory("octopus-mqtt-crash-").FullName;
        try
        {
            await using var devices = FileStoreDevices(broker, store);
            var directory = Path.Combine(store, devices.Device.Uid);
            var lockFile = Path.Combine(directory, ".lock");

            var accepted = await RunAndKillChildAsync(broker.Server, devices.Topic, devices.Device.Uid, store, KillAfter, whileAlive: () =>
                FluentActions.Invoking(devices.Build).Should().Throw<MqttDeviceClientException>().WithMessage(
                    $"client.store: the File store directory \"{directory}\" is in use by another client (its lock file \"{lockFile}\" is held); two clients must not share one DeviceLink UID and client.store.directoryPrefix."));

            await broker.StartAsync();
            var arrived = await ArrivalsBeforeEndMarkerAsync(broker, devices);
            arrived.Take(accepted.Count).Should().Equal(accepted, "the kill released the lock: the next client opens the store and delivers every accepted message");
        }
        finally
        {
            Directory.Delete(store, recursive: true);
        }
    }

    /// <summary>Clients of one device with the File store under <paramref name="store"/>.</summary>
    private static DeviceClientBuilder FileStoreDevices(InProcessBroker broker, string store)
    {
        var devices = new DeviceClientBuilder(broker.Server);
        devices.Options.Client.Store = new MqttStoreSettings { Type = MqttStoreType.File, DirectoryPrefix = store };
        devices.Options.Message.Topic = devices.Topic;

        // Recovered messages count against the depth: room for all the child may have stored, and the end marker.
        devices.Options.Client.MessageChannelDepth = Published + 1;
        return devices;
    }

    /// <summary>Connects a new client of the device, publishes an end marker, and returns the payloads that arrived before it.</summary>
    private static async Task<List<string>> ArrivalsBeforeEndMarkerAsync(InProcessBroker broker, DeviceClientBuilder devices)
    {
        var client = await devices.ConnectAsync();
        (await client.PublishAsync("end"u8.ToArray(), null, Token)).Should().BeSameAs(MqttPublishResult.Delivered);
        return [.. (await broker.Messages.WaitUntilAsync(m => m.Any(x => x.PayloadText == "end"), "the end marker"))
            .Select(m => m.PayloadText).TakeWhile(text => text != "end")];
    }

    /// <summary>
    /// Runs the child until it reported <paramref name="killAfter"/> accepted messages, runs <paramref name="whileAlive"/>,
    /// kills it, and returns every message it reported accepted.
    /// </summary>
    private static async Task<List<string>> RunAndKillChildAsync(string server, string topic, string uid, string store, int killAfter, Action? whileAlive = null)
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
            await lines.WaitForCountAsync(killAfter, TestTimeouts.Startup);
        }
        catch (TimeoutException timeout)
        {
            child.Kill();
            throw new TimeoutException($"{timeout.Message}\nchild stderr:\n{await errors}", timeout);
        }

        try
        {
            whileAlive?.Invoke();
        }
        finally
        {
            child.Kill();
        }

        await child.WaitForExitAsync(Token);
        child.ExitCode.Should().Be(137, "SIGKILL");

        var reported = lines.GetSnapshot();
        reported.Should().OnlyContain(line => line.StartsWith("queued ", StringComparison.Ordinal) || line.StartsWith("delivered ", StringComparison.Ordinal));
        return [.. reported.Select(line => "m" + line[(line.IndexOf(' ', StringComparison.Ordinal) + 1)..])];
    }

    private static string ChildPath()
    {
        var path = typeof(FileStoreCrashTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "CrashChildPath").Value!;
        return File.Exists(path) ? path : throw new FileNotFoundException($"the crash child is not built at {path}", path);
    }
}
