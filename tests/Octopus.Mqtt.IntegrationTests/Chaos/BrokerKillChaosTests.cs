using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using Octopus.Mqtt.IntegrationTests.Brokers;
using Octopus.Mqtt.IntegrationTests.Publishing;

namespace Octopus.Mqtt.IntegrationTests.Chaos;

/// <summary>
/// Ten devices publish numbered QoS 1 sequences while mosquitto is SIGKILLed and started again ten times, each time
/// when a randomly chosen message of a randomly chosen device has arrived (seeded; the seed is in the output).
/// </summary>
/// <remarks>
/// What is asserted where, truthfully: the devices promise at-least-once, in-order delivery to the broker, so every
/// message is checked against mosquitto's own log of received PUBLISHes over all eleven runs. A subscriber cannot
/// prove that: mosquitto without persistence forgets its sessions on SIGKILL, so a message it acknowledged and died
/// before forwarding, or one that arrived before the subscriber had subscribed again, never reaches it. The
/// subscriber (itself a device client, which subscribes again after every reconnect) is checked for order of first
/// arrivals, and must receive the message every device sends after the last restart; its losses are reported.
/// </remarks>
public sealed class BrokerKillChaosTests
{
    private const int Devices = 10;
    private const int PerDevice = 120;
    private const int Restarts = 10;

    /// <summary>The last message of every device: longer than any numbered payload, so it is never taken for one.</summary>
    private static readonly string End = "end".PadRight(PerDevice + 1, '.');

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task PublishAsync_TenDevicesWhileMosquittoIsKilledTenTimes_EveryMessageArrivesInOrder()
    {
        var seed = Environment.GetEnvironmentVariable("OCTOPUS_MQTT_CHAOS_SEED") is { } text
            ? int.Parse(text, CultureInfo.InvariantCulture)
            : Random.Shared.Next();
        var output = TestContext.Current.TestOutputHelper!;
        output.WriteLine($"seed {seed} (set OCTOPUS_MQTT_CHAOS_SEED to repeat)");
        var random = new Random(seed);
        var clock = Stopwatch.StartNew();

        await using var broker = await MosquittoBroker.StartAsync(cancellationToken: Token);
        var received = new ConcurrentQueue<(string Topic, string Payload)>();
        await using var subscriberBuilder = new DeviceClientBuilder(broker.TcpServer);
        subscriberBuilder.Options.Message.Topic = "octopus/test/#";
        var subscriber = await subscriberBuilder.ConnectAsync();
        await subscriber.SubscribeAsync(
            [new MqttDeviceSubscription()],
            (_, topic, payload, _) =>
            {
                received.Enqueue((topic, Encoding.UTF8.GetString(payload.Span)));
                return ValueTask.CompletedTask;
            },
            Token);

        var builders = Enumerable.Range(0, Devices).Select(_ => Publisher(broker.TcpServer)).ToArray();
        try
        {
            var clients = await Task.WhenAll(builders.Select(b => b.ConnectAsync()));
            var streams = clients.Select(c => Task.Run(() => PublishSequenceAsync(c), Token)).ToArray();

            for (var restart = 0; restart < Restarts; restart++)
            {
                // A random moment: when a random device's message from this round's slice of the sequence arrives.
                var device = random.Next(Devices);
                var index = random.Next(restart * PerDevice / (Restarts + 1), (restart + 1) * PerDevice / (Restarts + 1));
                await broker.WaitForLogAsync(IndexedPayloads.Received(builders[device].Topic, index), TimeSpan.FromSeconds(20));
                var everyone = builders.Append(subscriberBuilder).ToArray();
                var connectedBefore = everyone.Select(b => b.States.CountOf(MqttConnectionState.Connected)).ToArray();
                await broker.KillAsync();
                await broker.StartAsync(Token);

                // Every client notices and is back before the next kill, so each kill is survived by all eleven.
                await Task.WhenAll(everyone.Select((b, i) => b.WaitForStateAsync(MqttConnectionState.Connected, connectedBefore[i] + 1)));
            }

            var results = (await Task.WhenAll(streams)).SelectMany(r => r).ToList();
            results.Should().NotContain(r => r.Status == MqttPublishStatus.Dropped);
            foreach (var builder in builders)
            {
                await broker.WaitForLogAsync(IndexedPayloads.Received(builder.Topic, PerDevice - 1), TimeSpan.FromSeconds(20));
            }

            // After the last restart, one more message from every device reaches the subscriber.
            await Task.WhenAll(clients.Select(c => c.PublishAsync(Encoding.UTF8.GetBytes(End), null, Token).AsTask()));
            await Poll.UntilAsync(() => received.Where(m => m.Payload == End).Select(m => m.Topic).Distinct().Count() == Devices, "every device's end message at the subscriber", TimeSpan.FromSeconds(20));

            var reconnects = builders.Sum(b => b.States.CountOf(MqttConnectionState.Connected) - 1);
            reconnects.Should().BeGreaterThanOrEqualTo(Devices * Restarts, "every device reconnects after every kill");
            var brokerArrivals = 0;
            var brokerDuplicates = 0;
            var subscriberFirst = 0;
            var subscriberDuplicates = 0;
            foreach (var builder in builders)
            {
                var arrived = IndexedPayloads.ArrivalsAt(broker, builder.ClientId, builder.Topic, PerDevice);
                arrived.Distinct().Should().Equal(Enumerable.Range(0, PerDevice), $"every message of {builder.Topic} reaches mosquitto at least once");
                arrived.Distinct().Should().BeInAscendingOrder("first arrivals keep the publish order");
                brokerArrivals += arrived.Count;
                brokerDuplicates += arrived.Count - PerDevice;

                var got = received.Where(m => m.Topic == builder.Topic && m.Payload != End).Select(m => m.Payload.Length - 1).ToList();
                got.Distinct().Should().BeInAscendingOrder("the subscriber's first arrivals keep the publish order");
                subscriberFirst += got.Distinct().Count();
                subscriberDuplicates += got.Count - got.Distinct().Count();
            }

            output.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"restarts survived {Restarts}; device reconnects {reconnects}; sent {Devices * PerDevice} (+{Devices} end); at mosquitto {brokerArrivals} arrivals, all {Devices * PerDevice} distinct, " +
                $"{brokerDuplicates} duplicates; subscriber {subscriberFirst} distinct ({Devices * PerDevice - subscriberFirst} lost with killed sessions), " +
                $"{subscriberDuplicates} duplicates; {clock.Elapsed.TotalSeconds:F1} s"));
        }
        finally
        {
            foreach (var builder in builders)
            {
                await builder.DisposeAsync();
            }
        }
    }

    private static DeviceClientBuilder Publisher(string server)
    {
        var builder = new DeviceClientBuilder(server);
        builder.Options.Client.MessageChannelDepth = PerDevice + 1;
        builder.Options.Message.Retained = false;
        return builder;
    }

    private static async Task<List<MqttPublishResult>> PublishSequenceAsync(IMqttDeviceClient client)
    {
        var results = new List<MqttPublishResult>(PerDevice);
        for (var i = 0; i < PerDevice; i++)
        {
            results.Add(await client.PublishAsync(Encoding.UTF8.GetBytes(IndexedPayloads.Payload(i)), null, Token));
        }

        return results;
    }
}
