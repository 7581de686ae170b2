using MQTTnet.Protocol;
using Octopus.Mqtt.IntegrationTests.Brokers;
using Octopus.Mqtt.IntegrationTests.Engine;

namespace Octopus.Mqtt.IntegrationTests.Session;

/// <summary>
/// The connection is cut at each step of the QoS 1 and QoS 2 handshakes with <c>cleanSession: false</c>: on the
/// reconnect with session present the same packet identifier is sent again (PUBLISH with DUP before PUBREC, PUBREL
/// after it) and the broker delivers the message once. Without a session the message goes again as a new one.
/// </summary>
public sealed class HandshakeCutTests
{
    private const int SessionLostEvent = 1501;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData(MqttQos.AtLeastOnce)]
    [InlineData(MqttQos.ExactlyOnce)]
    public async Task PublishAsync_CutAfterBrokerReceivedPublish_SameIdResentWithDupAndDeliveredOnce(MqttQos qos)
    {
        await using var broker = ScriptedBroker.Start();
        var builder = Persistent(broker);
        broker.CutAfterReceiving(MqttControlPacketType.Publish);
        await using var client = builder.Build();
        await client.ConnectAsync(Ct);

        (await client.PublishAsync("m"u8.ToArray(), new MqttPublishOptions { Qos = qos }, Ct)).Should().BeSameAs(MqttPublishResult.Delivered);

        var publishes = Publishes(broker, builder.ClientId);
        publishes.Select(p => (p.Connection, p.Dup)).Should().Equal((1, false), (2, true));
        publishes[1].PacketId.Should().Be(publishes[0].PacketId, "MQTT-4.4.0-1: the resend keeps its packet identifier");
        SessionPresentOf(broker, 2).Should().BeTrue();
        broker.Delivered.GetSnapshot().Where(d => d.ClientId == builder.ClientId).Should().ContainSingle();
        builder.Logger.Collector.GetSnapshot().Should().NotContain(r => r.Id.Id == SessionLostEvent);
    }

    [Fact]
    public async Task PublishAsync_Qos2CutAfterBrokerSentPubRec_ResentAsPubRelOrDupPublishAndDeliveredOnce()
    {
        await using var broker = ScriptedBroker.Start();
        var builder = Persistent(broker);
        broker.CutAfterSending(MqttControlPacketType.PubRec);
        await using var client = builder.Build();
        await client.ConnectAsync(Ct);

        (await client.PublishAsync("m"u8.ToArray(), new MqttPublishOptions { Qos = MqttQos.ExactlyOnce }, Ct)).Should().BeSameAs(MqttPublishResult.Delivered);

        var first = Publishes(broker, builder.ClientId)[0];
        var second = broker.PacketsOf(2).Where(p => p.Direction == BrokerPacketDirection.Received && p.Type is MqttControlPacketType.Publish or MqttControlPacketType.PubRel).ToList();
        TestContext.Current.TestOutputHelper?.WriteLine("second connection: " + string.Join(" | ", second));

        // Whether the PUBREC reached the client before the reset is up to the sockets: either way the same id comes
        // back, and once the client has answered PUBREC with PUBREL it never sends that PUBLISH again.
        second.Should().NotBeEmpty().And.OnlyContain(p => p.PacketId == first.PacketId);
        if (second[0].Type == MqttControlPacketType.Publish)
        {
            second[0].Dup.Should().BeTrue();
        }

        second.SkipWhile(p => p.Type == MqttControlPacketType.Publish).Should().OnlyContain(p => p.Type == MqttControlPacketType.PubRel, "no PUBLISH after the PUBREL");
        broker.Delivered.GetSnapshot().Where(d => d.ClientId == builder.ClientId).Should().ContainSingle("the broker kept the message's id awaiting PUBREL");
    }

    [Fact]
    public async Task PublishAsync_Qos2CutAfterBrokerReceivedPubRel_PubRelResentNeverThePublish()
    {
        await using var broker = ScriptedBroker.Start();
        var builder = Persistent(broker);
        broker.CutAfterReceiving(MqttControlPacketType.PubRel);
        await using var client = builder.Build();
        await client.ConnectAsync(Ct);

        (await client.PublishAsync("m"u8.ToArray(), new MqttPublishOptions { Qos = MqttQos.ExactlyOnce }, Ct)).Should().BeSameAs(MqttPublishResult.Delivered);

        var id = Publishes(broker, builder.ClientId).Should().ContainSingle("the client got PUBREC: the PUBLISH is never sent again").Subject.PacketId;
        broker.PacketsOf(2).Where(p => p.Direction == BrokerPacketDirection.Received && p.PacketId != 0).Select(p => (p.Type, p.PacketId))
            .Should().Equal((MqttControlPacketType.PubRel, id));
        broker.PacketsOf(2).Should().Contain(p => p.Type == MqttControlPacketType.PubComp && p.PacketId == id);
        SessionPresentOf(broker, 2).Should().BeTrue();
        broker.Delivered.GetSnapshot().Where(d => d.ClientId == builder.ClientId).Should().ContainSingle();
    }

    [Theory]
    [InlineData(MqttQos.AtLeastOnce)]
    [InlineData(MqttQos.ExactlyOnce)]
    public async Task PublishAsync_CutAndBrokerLostTheSession_ResentAsNewMessageAndSessionLostLogged(MqttQos qos)
    {
        await using var broker = ScriptedBroker.Start();
        broker.Behavior.ConnAck = connAck => connAck.IsSessionPresent = false;
        var builder = Persistent(broker);
        broker.CutAfterReceiving(MqttControlPacketType.Publish);
        await using var client = builder.Build();
        await client.ConnectAsync(Ct);

        (await client.PublishAsync("m"u8.ToArray(), new MqttPublishOptions { Qos = qos }, Ct)).Should().BeSameAs(MqttPublishResult.Delivered);

        Publishes(broker, builder.ClientId).Select(p => (p.Connection, p.Dup)).Should().Equal((1, false), (2, false));
        SessionPresentOf(broker, 2).Should().BeFalse();
        broker.Delivered.GetSnapshot().Where(d => d.ClientId == builder.ClientId).Should().ContainSingle();
        builder.Logger.Collector.GetSnapshot().Where(r => r.Id.Id == SessionLostEvent).Should().ContainSingle()
            .Which.Level.Should().Be(Microsoft.Extensions.Logging.LogLevel.Warning);
    }

    [Fact]
    public async Task PublishAsync_CleanSessionCut_ResentAsNewMessageWithoutSessionLostWarning()
    {
        await using var broker = ScriptedBroker.Start();
        var builder = new EngineBuilder(broker.Port);
        builder.Client.CleanSession = true;
        broker.CutAfterReceiving(MqttControlPacketType.Publish);
        await using var client = builder.Build();
        await client.ConnectAsync(Ct);

        (await client.PublishAsync("m"u8.ToArray(), new MqttPublishOptions { Qos = MqttQos.ExactlyOnce }, Ct)).Should().BeSameAs(MqttPublishResult.Delivered);

        Publishes(broker, builder.ClientId).Select(p => (p.Connection, p.Dup)).Should().Equal((1, false), (2, false));
        broker.Delivered.GetSnapshot().Where(d => d.ClientId == builder.ClientId).Should().ContainSingle();
        builder.Logger.Collector.GetSnapshot().Should().NotContain(r => r.Id.Id == SessionLostEvent, "a clean session is expected to start empty");
    }

    private static EngineBuilder Persistent(ScriptedBroker broker)
    {
        var builder = new EngineBuilder(broker.Port);
        builder.Client.CleanSession = false;
        return builder;
    }

    private static List<ScriptedPacket> Publishes(ScriptedBroker broker, string clientId) =>
        [.. broker.Packets.GetSnapshot().Where(p => p.ClientId == clientId && p.Direction == BrokerPacketDirection.Received && p.Type == MqttControlPacketType.Publish)];

    private static bool SessionPresentOf(ScriptedBroker broker, int connection) =>
        broker.PacketsOf(connection).Single(p => p.Type == MqttControlPacketType.ConnAck).SessionPresent;
}
