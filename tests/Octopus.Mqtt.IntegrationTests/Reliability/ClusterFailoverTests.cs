using System.Diagnostics;
using System.Globalization;
using System.Text;
using Octopus.Mqtt.IntegrationTests.Brokers;
using Octopus.Mqtt.IntegrationTests.Publishing;

namespace Octopus.Mqtt.IntegrationTests.Reliability;

/// <summary>
/// Three mosquitto brokers (separate processes, no bridge: the worst kind of cluster, sharing nothing) on one
/// <c>client.server</c> + <c>client.servers</c> list. Devices publish numbered QoS 1 sequences with the File store
/// while the first broker, then the second, is SIGKILLed: every message reaches a broker that was alive to take it, in
/// publish order; the subscriber of the surviving broker sees every message it took.
/// </summary>
public sealed class ClusterFailoverTests
{
    private const int Devices = 3;
    private const int PerDevice = 300;

    /// <summary>How far past the message that triggers a kill a device may publish before the kill.</summary>
    private const int Ahead = 20;

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task PublishAsync_FirstThenSecondBrokerKilled_EveryMessageReachesALiveBrokerInOrder()
    {
        var output = TestContext.Current.TestOutputHelper!;
        await using var a = await MosquittoBroker.StartAsync(cancellationToken: Token);
        await using var b = await MosquittoBroker.StartAsync(cancellationToken: Token);
        await using var c = await MosquittoBroker.StartAsync(cancellationToken: Token);
        var brokers = new[] { a, b, c };
        var subscribers = new List<MqttTestSubscriber>();
        foreach (var broker in brokers)
        {
            subscribers.Add(await MqttTestSubscriber.ConnectAsync(broker.TcpServer, "octopus/test/#"));
        }

        var store = Directory.CreateTempSubdirectory("octopus-mqtt-cluster-").FullName;
        var builders = Enumerable.Range(0, Devices).Select(_ => Publisher(a, [b.TcpServer, c.TcpServer], store)).ToArray();
        try
        {
            var clients = await Task.WhenAll(builders.Select(d => d.ConnectAsync()));
            clients.Select(d => d.ConnectedServer).Should().AllBe(a.TcpServer);
            // Each kill comes when device 0's message number `index` reached the victim; no device gets more than
            // Ahead messages past it before the kill (a gate), so every device still publishes after each kill,
            // however this machine schedules the test.
            var kills = new[] { (Victim: a, Next: b, Index: PerDevice / 3), (Victim: b, Next: c, Index: 2 * PerDevice / 3) };
            var gates = kills.Select(_ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).ToArray();
            var gateAt = kills.Select(k => k.Index + Ahead).ToArray();
            var streams = clients.Select(d => Task.Run(() => PublishSequenceAsync(d, gateAt, gates), Token)).ToArray();

            var failovers = new List<TimeSpan>();
            for (var k = 0; k < kills.Length; k++)
            {
                var (victim, next, index) = kills[k];
                await victim.WaitForLogAsync(IndexedPayloads.Received(builders[0].Topic, index), TimeSpan.FromSeconds(20));
                var connectedBefore = builders.Select(d => d.States.CountOf(MqttConnectionState.Connected)).ToArray();
                var clock = Stopwatch.StartNew();
                await victim.KillAsync();
                await Task.WhenAll(builders.Select((d, i) => d.WaitForStateAsync(MqttConnectionState.Connected, connectedBefore[i] + 1)));
                failovers.Add(clock.Elapsed);
                clients.Select(d => d.ConnectedServer).Should().AllBe(next.TcpServer, "the next server of the list takes over");
                gates[k].SetResult();
            }

            var results = (await Task.WhenAll(streams)).SelectMany(r => r).ToList();
            results.Should().NotContain(r => r.Status == MqttPublishStatus.Dropped);
            foreach (var builder in builders)
            {
                await c.WaitForLogAsync(IndexedPayloads.Received(builder.Topic, PerDevice - 1), TimeSpan.FromSeconds(20));
            }

            var duplicates = 0;
            var lostWithKilledBrokers = 0;
            foreach (var builder in builders)
            {
                var perBroker = brokers.Select(broker => IndexedPayloads.ArrivalsAt(broker, builder.ClientId, builder.Topic, PerDevice)).ToArray();
                var arrived = perBroker.SelectMany(x => x).ToList();
                arrived.Distinct().Should().Equal(Enumerable.Range(0, PerDevice), $"every message of {builder.Topic} reaches a broker at least once, first arrivals in publish order");
                duplicates += arrived.Count - PerDevice;

                // What the survivor took, its subscriber sees; a killed broker can die between acknowledging a
                // message and forwarding it, so the union of the three subscribers may miss those (counted below).
                // The broker logs a PUBLISH as it reads it and forwards it after: the subscriber is given the time to get them.
                var tookOnSurvivor = perBroker[^1].ToHashSet();
                await subscribers[^1].Messages.WaitUntilAsync(
                    all => tookOnSurvivor.IsSubsetOf(Seen(all, builder)),
                    $"the surviving broker's subscriber to see the {tookOnSurvivor.Count} messages of {builder.Topic} the broker took",
                    TimeSpan.FromSeconds(20));
                var seenOnSurvivor = Seen(subscribers[^1], builder).ToHashSet();
                seenOnSurvivor.Should().BeEquivalentTo(tookOnSurvivor, $"the subscriber of the surviving broker sees every message of {builder.Topic} it took");
                lostWithKilledBrokers += PerDevice - subscribers.SelectMany(s => Seen(s, builder)).Distinct().Count();
                foreach (var subscriber in subscribers)
                {
                    Seen(subscriber, builder).Distinct().Should().BeInAscendingOrder("each subscriber sees the messages of its broker in publish order");
                }
            }

            WritePerBrokerCounts(output, brokers, builders);
            output.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"failover (kill to every device connected to the next server): {string.Join(", ", failovers.Select(f => $"{f.TotalMilliseconds:F0} ms"))}; {Devices * PerDevice} messages, {duplicates} duplicates at the brokers; the subscribers together missed {lostWithKilledBrokers} (taken by a broker killed before it forwarded them)"));
        }
        finally
        {
            foreach (var builder in builders)
            {
                await builder.DisposeAsync();
            }

            foreach (var subscriber in subscribers)
            {
                await subscriber.DisposeAsync();
            }

            Directory.Delete(store, recursive: true);
        }
    }

    private static void WritePerBrokerCounts(ITestOutputHelper output, MosquittoBroker[] brokers, DeviceClientBuilder[] builders) =>
        output.WriteLine("arrivals per broker: " + string.Join(", ", brokers.Select((broker, i) =>
            $"{(char)('a' + i)} {builders.Sum(d => IndexedPayloads.ArrivalsAt(broker, d.ClientId, d.Topic, PerDevice).Count).ToString(CultureInfo.InvariantCulture)}")));

    private static IEnumerable<int> Seen(MqttTestSubscriber subscriber, DeviceClientBuilder device) => Seen(subscriber.Messages.GetSnapshot(), device);

    private static IEnumerable<int> Seen(IEnumerable<ReceivedMessage> messages, DeviceClientBuilder device) =>
        messages.Where(m => m.Topic == device.Topic).Select(m => m.Payload.Length - 1);

    private static DeviceClientBuilder Publisher(MosquittoBroker first, string[] others, string store)
    {
        var builder = new DeviceClientBuilder(first.TcpServer);
        builder.Options.Client.Servers = others;
        builder.Options.Client.Store = new MqttStoreSettings { Type = MqttStoreType.File, DirectoryPrefix = store };
        builder.Options.Client.MessageChannelDepth = PerDevice + 1;
        builder.Options.Message.Qos = MqttQos.AtLeastOnce;
        builder.Options.Message.Retained = false;
        return builder;
    }

    private static async Task<List<MqttPublishResult>> PublishSequenceAsync(IMqttDeviceClient client, int[] gateAt, TaskCompletionSource[] gates)
    {
        var results = new List<MqttPublishResult>(PerDevice);
        for (var i = 0; i < PerDevice; i++)
        {
            var gate = Array.IndexOf(gateAt, i);
            if (gate >= 0)
            {
                await gates[gate].Task.WaitAsync(Token);
            }

            results.Add(await client.PublishAsync(Encoding.UTF8.GetBytes(IndexedPayloads.Payload(i)), null, Token));
        }

        return results;
    }
}
