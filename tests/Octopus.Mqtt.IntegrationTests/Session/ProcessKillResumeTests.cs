using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using MQTTnet.Protocol;
using Octopus.Mqtt.IntegrationTests.Brokers;
using Octopus.Mqtt.IntegrationTests.Publishing;

namespace Octopus.Mqtt.IntegrationTests.Session;

/// <summary>
/// A process publishing QoS 2 with the File store and <c>cleanSession: false</c> is SIGKILLed mid-handshake (the
/// broker holds its acknowledgements); the next process with the same UID and store resumes the session with the
/// original packet identifiers: PUBREL for the messages past PUBREC, PUBLISH with DUP for the others.
/// </summary>
public sealed class ProcessKillResumeTests
{
    private const int Half = 5;

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task PublishAsync_Qos2ProcessKilledMidHandshake_NextProcessResumesWithOriginalIdsDeliveredOnceStoreEmptied()
    {
        await using var broker = ScriptedBroker.Start();
        broker.HoldAcknowledgements();
        var store = Directory.CreateTempSubdirectory("octopus-mqtt-resume-").FullName;
        try
        {
            await using var devices = new DeviceClientBuilder(broker.Server);
            devices.Options.Client.Store = new MqttStoreSettings { Type = MqttStoreType.File, DirectoryPrefix = store };
            devices.Options.Client.CleanSession = false;
            devices.Options.Message.Topic = devices.Topic;
            devices.Options.Message.Qos = MqttQos.ExactlyOnce;
            var clientId = devices.ClientId;
            var directory = Path.Combine(store, devices.Device.Uid);

            // First half: PUBREC released, the child answers PUBREL, whose PUBCOMP is held. Second half: PUBLISH unanswered.
            using (var child = StartChild(broker.Server, devices.Topic, devices.Device.Uid, store, out var lines))
            {
                try
                {
                    await lines.WaitForAsync(l => l == "half", TestTimeouts.Startup);
                    await broker.Packets.WaitUntilAsync(all => Count(all, MqttControlPacketType.Publish) == Half, "the first half's PUBLISH");
                    await broker.ReleaseAcknowledgementsAsync();
                    broker.HoldAcknowledgements();
                    await broker.Packets.WaitUntilAsync(all => Count(all, MqttControlPacketType.PubRel) == Half, "the first half's PUBREL");
                    await child.StandardInput.WriteLineAsync();
                    await child.StandardInput.FlushAsync(Token);
                    await lines.WaitForAsync(l => l == "done");
                    await broker.Packets.WaitUntilAsync(all => Count(all, MqttControlPacketType.Publish) == 2 * Half, "the second half's PUBLISH");
                }
                finally
                {
                    child.Kill();
                }

                await child.WaitForExitAsync(Token);
                child.ExitCode.Should().Be(137, "SIGKILL");
            }

            var killed = broker.PacketsOf(1);
            var idOf = killed.Where(p => p.Type == MqttControlPacketType.Publish).ToDictionary(p => p.PayloadText, p => p.PacketId);
            var pastPubRec = killed.Where(p => p.Type == MqttControlPacketType.PubRel).Select(p => p.PacketId).ToHashSet();
            killed.Should().NotContain(p => p.Type == MqttControlPacketType.PubComp, "the broker held every PUBCOMP");
            Directory.EnumerateFiles(directory, "*.msg").Should().HaveCount(2 * Half, "every message is in the store at the kill");
            await broker.ReleaseAcknowledgementsAsync();

            var client = devices.Build();
            await client.ConnectAsync(Token);
            var next = await broker.WaitForConnectionAsync(clientId, 2);
            await broker.Packets.WaitUntilAsync(all => all.Count(p => p.Connection == next.Id && p.Direction == BrokerPacketDirection.Sent && p.Type == MqttControlPacketType.PubComp) == 2 * Half, "every PUBCOMP");
            await Poll.UntilAsync(() => !Directory.EnumerateFiles(directory, "*.msg").Any(), "the store emptied");

            var resumed = broker.PacketsOf(next.Id).Where(p => p.Direction == BrokerPacketDirection.Received && p.Type is MqttControlPacketType.Publish or MqttControlPacketType.PubRel).ToList();
            TestContext.Current.TestOutputHelper?.WriteLine(string.Join("\n", resumed));
            broker.PacketsOf(next.Id).Single(p => p.Type == MqttControlPacketType.ConnAck).SessionPresent.Should().BeTrue();
            var expected = Enumerable.Range(0, 2 * Half).Select(i => "m" + i.ToString(CultureInfo.InvariantCulture)).ToList();
            pastPubRec.Should().BeEquivalentTo(expected.Take(Half).Select(m => idOf[m]));
            resumed.Select(p => (p.Type, p.PacketId, p.Dup)).Should().Equal(
                expected.Select(m => pastPubRec.Contains(idOf[m]) ? (MqttControlPacketType.PubRel, idOf[m], false) : (MqttControlPacketType.Publish, idOf[m], true))
                    .Concat(expected.Skip(Half).Select(m => (MqttControlPacketType.PubRel, idOf[m], false))),
                "the original ids, in the original order: PUBREL past PUBREC, PUBLISH with DUP before it (then its PUBREL), never a PUBLISH after PUBREC");
            resumed.Where(p => p.Type == MqttControlPacketType.Publish).Select(p => p.PayloadText).Should().Equal(expected.Skip(Half));
            broker.Delivered.GetSnapshot().Select(d => d.PayloadText).Should().Equal(expected, "each message delivered exactly once");
            Directory.EnumerateFiles(directory).Select(Path.GetFileName).Should().Equal([".lock"], "only the lock while the client is open");

            await client.DisposeAsync();
            Directory.EnumerateFiles(directory).Select(Path.GetFileName).Should().NotContain(name => name != ".lock", "nothing left to send after the client closed");
        }
        finally
        {
            Directory.Delete(store, recursive: true);
        }
    }

    private static int Count(IReadOnlyList<ScriptedPacket> packets, MqttControlPacketType type) =>
        packets.Count(p => p.Connection == 1 && p.Direction == BrokerPacketDirection.Received && p.Type == type);

    private static Process StartChild(string server, string topic, string uid, string store, out ConditionRecorder<string> lines)
    {
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            ArgumentList = { ChildPath(), server, topic, uid, store, Half.ToString(CultureInfo.InvariantCulture), "qos2-halves" },
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        var child = Process.Start(start)!;
        var recorded = new ConditionRecorder<string>();
        child.OutputDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                recorded.Add(e.Data);
            }
        };
        child.BeginOutputReadLine();
        child.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                recorded.Add("stderr: " + e.Data);
            }
        };
        child.BeginErrorReadLine();
        lines = recorded;
        return child;
    }

    private static string ChildPath()
    {
        var path = typeof(ProcessKillResumeTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "CrashChildPath").Value!;
        return File.Exists(path) ? path : throw new FileNotFoundException($"the crash child is not built at {path}", path);
    }
}
