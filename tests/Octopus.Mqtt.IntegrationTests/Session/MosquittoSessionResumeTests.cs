using System.Text;
using MQTTnet.Protocol;
using Octopus.Mqtt.IntegrationTests.Brokers;
using Octopus.Mqtt.IntegrationTests.Engine;

namespace Octopus.Mqtt.IntegrationTests.Session;

/// <summary>
/// Debian's mosquitto as the oracle (its <c>log_type all</c> shows packet ids and DUP flags): a device with
/// <c>cleanSession: false</c> loses its connection mid QoS 2 handshake, cut by a proxy that kept mosquitto's answer
/// from it, or dropped its PUBREL; after the reconnect mosquitto sees the same ids again and a subscriber gets each
/// message once.
/// </summary>
public sealed class MosquittoSessionResumeTests
{
    private const int Messages = 3;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task PublishAsync_Qos2CutBeforeClientSawPubRec_MosquittoGetsSameMidsWithDupSubscriberGetsEachOnce()
    {
        await using var broker = await MosquittoBroker.StartAsync(cancellationToken: Ct);
        await using var proxy = new TcpProxy(broker.TcpPort);
        var builder = Persistent(proxy);
        builder.Client.Order = false; // all three in flight at once
        await using var subscriber = await MqttTestSubscriber.ConnectAsync(new MqttClientSettings { Server = broker.TcpServer }, MqttCredentials.None, MqttQos.ExactlyOnce, builder.Topic);
        await using var client = builder.Build();
        await client.ConnectAsync(Ct);

        proxy.HoldTowardClient(true);
        var calls = Enumerable.Range(0, Messages).Select(i => client.PublishAsync(Encoding.UTF8.GetBytes("m" + i), Qos2, Ct).AsTask()).ToList();
        await broker.Packets.WaitForCountAsync(e => e.ClientId == builder.ClientId && e.Direction == BrokerPacketDirection.Received && e.Type == MqttControlPacketType.Publish, Messages);
        proxy.CutAll();
        proxy.HoldTowardClient(false);

        (await Task.WhenAll(calls)).Should().OnlyContain(r => r == MqttPublishResult.Delivered);
        await EndMarkerAsync(client, subscriber);

        var (first, second) = Runs(broker, builder.ClientId);
        var sent = first.Where(e => e.Type == MqttControlPacketType.Publish).ToList();
        sent.Should().OnlyContain(e => !e.Dup).And.HaveCount(Messages);
        first.Should().NotContain(e => e.Type == MqttControlPacketType.PubRel, "the client never saw a PUBREC on the first connection");
        second.Single(e => e.Type == MqttControlPacketType.ConnAck).SessionPresent.Should().BeTrue();
        second.Where(e => e.Type == MqttControlPacketType.Publish && e.PayloadLength == 2).Select(e => (e.PacketId, e.Dup))
            .Should().Equal(sent.Select(e => (e.PacketId, true)), "mosquitto sees the same mids again, with d1, in order");
        TestContext.Current.TestOutputHelper?.WriteLine(string.Join("\n", broker.Packets.Of(builder.ClientId)));
        ExactlyOnce(subscriber, "m0", "m1", "m2");
    }

    [Fact]
    public async Task PublishAsync_Qos2PubRelLostThenCut_MosquittoGetsThePubRelAgainNeverThePublish()
    {
        await using var broker = await MosquittoBroker.StartAsync(cancellationToken: Ct);
        await using var proxy = new TcpProxy(broker.TcpPort);
        var builder = Persistent(proxy);
        await using var subscriber = await MqttTestSubscriber.ConnectAsync(new MqttClientSettings { Server = broker.TcpServer }, MqttCredentials.None, MqttQos.ExactlyOnce, builder.Topic);
        await using var client = builder.Build();
        await client.ConnectAsync(Ct);

        proxy.HoldTowardClient(true);
        var call = client.PublishAsync("m0"u8.ToArray(), Qos2, Ct).AsTask();
        var publish = await broker.Packets.WaitForAsync(e => e.ClientId == builder.ClientId && e.Direction == BrokerPacketDirection.Received && e.Type == MqttControlPacketType.Publish);
        await broker.Packets.WaitForAsync(e => e.ClientId == builder.ClientId && e.Type == MqttControlPacketType.PubRec);
        proxy.DropTowardBroker(true);
        proxy.HoldTowardClient(false);
        await Poll.UntilAsync(() => proxy.DroppedTowardBroker >= 4, "the client's PUBREL, dropped");
        proxy.CutAll();
        proxy.DropTowardBroker(false);

        (await call).Should().BeSameAs(MqttPublishResult.Delivered);
        await EndMarkerAsync(client, subscriber);

        var (first, second) = Runs(broker, builder.ClientId);
        first.Should().NotContain(e => e.Type == MqttControlPacketType.PubRel && e.Direction == BrokerPacketDirection.Received);
        second.Single(e => e.Type == MqttControlPacketType.ConnAck).SessionPresent.Should().BeTrue();
        second.Should().Contain(e => e.Direction == BrokerPacketDirection.Received && e.Type == MqttControlPacketType.PubRel && e.PacketId == publish.PacketId, "PUBREL is sent again with the original id");
        second.Should().NotContain(e => e.Type == MqttControlPacketType.Publish && e.PacketId == publish.PacketId && e.PayloadLength == 2, "never the PUBLISH again after PUBREC");
        ExactlyOnce(subscriber, "m0");
    }

    private static MqttPublishOptions Qos2 { get; } = new() { Qos = MqttQos.ExactlyOnce };

    private static EngineBuilder Persistent(TcpProxy proxy)
    {
        var builder = new EngineBuilder(proxy.Port);
        builder.Client.CleanSession = false;
        return builder;
    }

    private static async Task EndMarkerAsync(MqttDeviceClient client, MqttTestSubscriber subscriber)
    {
        (await client.PublishAsync("end"u8.ToArray(), Qos2, Ct)).Should().BeSameAs(MqttPublishResult.Delivered);
        await subscriber.Messages.WaitForAsync(m => m.PayloadText == "end");
    }

    private static void ExactlyOnce(MqttTestSubscriber subscriber, params string[] expected)
    {
        var got = subscriber.Messages.GetSnapshot().Where(m => m.PayloadText != "end").ToList();
        got.Select(m => m.PayloadText).Should().Equal(expected, "QoS 2 is exactly once end to end");
        got.Should().OnlyContain(m => m.Qos == MqttQos.ExactlyOnce);
    }

    /// <summary>The device's packets in mosquitto's log, split at its second CONNECT.</summary>
    private static (List<MosquittoPacketEntry> First, List<MosquittoPacketEntry> Second) Runs(MosquittoBroker broker, string clientId)
    {
        var all = broker.Packets.Of(clientId);
        var connects = all.Select((e, i) => (e, i)).Where(x => x.e.Type == MqttControlPacketType.Connect).Select(x => x.i).ToList();
        connects.Should().HaveCountGreaterThanOrEqualTo(2, "the device reconnected");
        return ([.. all.Take(connects[1])], [.. all.Skip(connects[1])]);
    }
}
