using System.Text;
using MQTTnet.Protocol;
using Octopus.Mqtt.IntegrationTests.Brokers;
using Octopus.Mqtt.IntegrationTests.Engine;

namespace Octopus.Mqtt.IntegrationTests.Session;

/// <summary>
/// The inbound side of the session against a <see cref="ScriptedBroker"/> that publishes to the device: ordered
/// acknowledgements sent after the handler returned, QoS 2 handed over once until PUBREL, a throwing handler logged
/// and acknowledged, a refused UNSUBSCRIBE surfaced and tried again.
/// </summary>
public sealed class InboundSessionTests
{
    private const int HandlerFailedEvent = 1104;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Inbound_HandlerWaitsOnAGate_AcknowledgementsOnlyAfterItReturnedInReceiveOrder()
    {
        await using var broker = ScriptedBroker.Start();
        var builder = new EngineBuilder(broker.Port);
        await using var client = builder.Build();
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var handled = new ConditionRecorder<string>();
        await client.ConnectAsync(Ct);
        await client.SubscribeAsync([new MqttDeviceSubscription { Qos = MqttQos.ExactlyOnce }], async (_, _, payload, _) =>
        {
            handled.Add(Encoding.UTF8.GetString(payload.Span));
            await gate.Task;
        }, Ct);
        var connection = await broker.WaitForConnectionAsync(builder.ClientId);
        var topic = builder.Topic + "/cmd";

        await connection.PublishAsync(topic, "one", MqttQualityOfServiceLevel.AtLeastOnce, packetId: 11);
        await connection.PublishAsync(topic, "two", MqttQualityOfServiceLevel.ExactlyOnce, packetId: 12);
        await connection.PublishAsync(topic, "three", MqttQualityOfServiceLevel.AtLeastOnce, packetId: 13);
        await handled.WaitForCountAsync(1);
        var opened = broker.Packets.Count;
        Acknowledgements(broker).Should().BeEmpty("the handler has not returned");
        gate.SetResult();

        await broker.Packets.WaitUntilAsync(all => Acknowledgements(all).Count == 3, "three acknowledgements");
        Acknowledgements(broker).Select(p => (p.Type, p.PacketId)).Should().Equal(
            (MqttControlPacketType.PubAck, (ushort)11), (MqttControlPacketType.PubRec, (ushort)12), (MqttControlPacketType.PubAck, (ushort)13));
        broker.Packets.GetSnapshot().Select((p, i) => (p, i)).Where(x => IsAcknowledgement(x.p)).Should().OnlyContain(x => x.i >= opened, "no acknowledgement before the gate opened");
        handled.GetSnapshot().Should().Equal("one", "two", "three");
    }

    [Fact]
    public async Task Inbound_Qos2ResentWithDupBeforePubRel_HandlerSeesItOnce()
    {
        await using var broker = ScriptedBroker.Start();
        broker.Behavior.AnswerPubRec = false;
        var builder = new EngineBuilder(broker.Port);
        await using var client = builder.Build();
        var handled = new ConditionRecorder<string>();
        await client.ConnectAsync(Ct);
        await client.SubscribeAsync([new MqttDeviceSubscription { Qos = MqttQos.ExactlyOnce }], (_, _, payload, _) =>
        {
            handled.Add(Encoding.UTF8.GetString(payload.Span));
            return ValueTask.CompletedTask;
        }, Ct);
        var connection = await broker.WaitForConnectionAsync(builder.ClientId);
        var topic = builder.Topic + "/cmd";

        await connection.PublishAsync(topic, "once", MqttQualityOfServiceLevel.ExactlyOnce, packetId: 7);
        await connection.PublishAsync(topic, "once", MqttQualityOfServiceLevel.ExactlyOnce, packetId: 7, dup: true);
        await broker.Packets.WaitUntilAsync(all => all.Count(p => p.Type == MqttControlPacketType.PubRec) == 2, "a PUBREC for each copy");
        await connection.SendPubRelAsync(7);
        await broker.Packets.WaitForAsync(p => p.Type == MqttControlPacketType.PubComp && p.PacketId == 7);
        await connection.PublishAsync(topic, "again", MqttQualityOfServiceLevel.ExactlyOnce, packetId: 7);
        await handled.WaitForCountAsync(2);

        handled.GetSnapshot().Should().Equal(["once", "again"], "the copy before PUBREL is only acknowledged; after PUBREL the id is a new message");
    }

    [Fact]
    public async Task Inbound_HandlerThrows_LoggedAndStillAcknowledged()
    {
        await using var broker = ScriptedBroker.Start();
        var builder = new EngineBuilder(broker.Port);
        await using var client = builder.Build();
        await client.ConnectAsync(Ct);
        await client.SubscribeAsync([new MqttDeviceSubscription()], (_, _, _, _) => throw new InvalidOperationException("handler bug"), Ct);
        var connection = await broker.WaitForConnectionAsync(builder.ClientId);

        await connection.PublishAsync(builder.Topic + "/cmd", "poison", MqttQualityOfServiceLevel.AtLeastOnce, packetId: 3);
        await connection.PublishAsync(builder.Topic + "/cmd", "poison", MqttQualityOfServiceLevel.ExactlyOnce, packetId: 4);

        await broker.Packets.WaitUntilAsync(all => Acknowledgements(all).Count == 2, "both acknowledged");
        Acknowledgements(broker).Select(p => (p.Type, p.PacketId)).Should().Equal((MqttControlPacketType.PubAck, (ushort)3), (MqttControlPacketType.PubRec, (ushort)4));
        builder.Logger.Collector.GetSnapshot().Count(r => r.Id.Id == HandlerFailedEvent).Should().Be(2);
        client.State.Should().Be(MqttConnectionState.Connected);
        broker.Connections.Count.Should().Be(1);
    }

    [Fact]
    public async Task SubscribeAsync_Mqtt5UnsubscribeRefused_FailsNamingTheTopicAndTheNextCallUnsubscribesAgain()
    {
        await using var broker = ScriptedBroker.Start();
        var builder = new EngineBuilder(broker.Port);
        builder.Client.ProtocolVersion = 5;
        await using var client = builder.Build();
        await client.ConnectAsync(Ct);
        var old = new MqttDeviceSubscription { RenderMap = new Dictionary<string, string> { ["filter"] = builder.Topic + "/old" } };
        var next = new MqttDeviceSubscription { RenderMap = new Dictionary<string, string> { ["filter"] = builder.Topic + "/new" } };
        await client.SubscribeAsync([old], (_, _, _, _) => ValueTask.CompletedTask, Ct);
        broker.Behavior.UnsubscribeReasonCode = _ => MqttUnsubscribeReasonCode.NotAuthorized;

        var refused = () => client.SubscribeAsync([next], (_, _, _, _) => ValueTask.CompletedTask, Ct);

        (await refused.Should().ThrowAsync<MqttDeviceClientException>()).Which.Message.Should().Be(
            $"The MQTT broker refused to unsubscribe \"{builder.Topic}/old\": NotAuthorized (135); it is tried again on the next call.");
        broker.Behavior.UnsubscribeReasonCode = null;
        await client.SubscribeAsync([next], (_, _, _, _) => ValueTask.CompletedTask, Ct);

        broker.Packets.GetSnapshot().Where(p => p.Direction == BrokerPacketDirection.Received && p.Type == MqttControlPacketType.Unsubscribe).Select(p => p.Topic)
            .Should().Equal([builder.Topic + "/old", builder.Topic + "/old"], "the refused UNSUBSCRIBE is sent again by the next call");
        client.State.Should().Be(MqttConnectionState.Connected);
    }

    private static bool IsAcknowledgement(ScriptedPacket p) =>
        p.Direction == BrokerPacketDirection.Received && p.Type is MqttControlPacketType.PubAck or MqttControlPacketType.PubRec;

    private static List<ScriptedPacket> Acknowledgements(ScriptedBroker broker) => Acknowledgements(broker.Packets.GetSnapshot());

    private static List<ScriptedPacket> Acknowledgements(IReadOnlyList<ScriptedPacket> packets) => [.. packets.Where(IsAcknowledgement)];
}
