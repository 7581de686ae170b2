using MQTTnet;
using MQTTnet.Formatter;
using MQTTnet.LowLevelClient;
using MQTTnet.Packets;
using MQTTnet.Protocol;
using static Octopus.Mqtt.IntegrationTests.Brokers.ScriptedBrokerTests;

namespace Octopus.Mqtt.IntegrationTests.Brokers;

/// <summary>The scripted answers of <see cref="ScriptedBroker"/>, seen by MQTTnet clients.</summary>
public sealed class ScriptedBrokerScriptTests
{
    private const BrokerPacketDirection In = BrokerPacketDirection.Received;
    private const BrokerPacketDirection Out = BrokerPacketDirection.Sent;

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task CutAfterSending_PubRecThenDuplicateOnPersistentSession_DeliveredOnce()
    {
        await using var broker = ScriptedBroker.Start();
        var clientId = TestMqttClient.NewClientId();
        broker.CutAfterSending(MqttControlPacketType.PubRec);
        using (var first = await ConnectRawAsync(broker, clientId, expectSessionPresent: false))
        {
            await first.SendAsync(new MqttPublishPacket { Topic = "up/once", PayloadSegment = "x"u8.ToArray(), QualityOfServiceLevel = MqttQualityOfServiceLevel.ExactlyOnce, PacketIdentifier = 5 }, Token);
            await (await broker.WaitForConnectionAsync(clientId)).Closed.WaitAsync(TestTimeouts.Arrival, Token);
        }

        broker.AwaitingPubRel(clientId).Should().Equal((ushort)5);
        using var second = await ConnectRawAsync(broker, clientId, expectSessionPresent: true);
        await second.SendAsync(new MqttPublishPacket { Topic = "up/once", PayloadSegment = "x"u8.ToArray(), QualityOfServiceLevel = MqttQualityOfServiceLevel.ExactlyOnce, PacketIdentifier = 5, Dup = true }, Token);
        (await ReceiveAsync<MqttPubRecPacket>(second)).PacketIdentifier.Should().Be(5);
        await second.SendAsync(new MqttPubRelPacket { PacketIdentifier = 5 }, Token);
        (await ReceiveAsync<MqttPubCompPacket>(second)).PacketIdentifier.Should().Be(5);
        broker.AwaitingPubRel(clientId).Should().BeEmpty();
        await second.SendAsync(new MqttPublishPacket { Topic = "up/next", PayloadSegment = "y"u8.ToArray(), QualityOfServiceLevel = MqttQualityOfServiceLevel.ExactlyOnce, PacketIdentifier = 5 }, Token);
        (await ReceiveAsync<MqttPubRecPacket>(second)).PacketIdentifier.Should().Be(5);

        broker.Delivered.GetSnapshot().Select(d => (d.Connection, d.Topic)).Should().Equal((1, "up/once"), (2, "up/next"));
        Flow(broker.Packets.GetSnapshot()).Should().Equal(
            (In, MqttControlPacketType.Publish, (ushort)5),
            (Out, MqttControlPacketType.PubRec, (ushort)5),
            (In, MqttControlPacketType.Publish, (ushort)5),
            (Out, MqttControlPacketType.PubRec, (ushort)5),
            (In, MqttControlPacketType.PubRel, (ushort)5),
            (Out, MqttControlPacketType.PubComp, (ushort)5),
            (In, MqttControlPacketType.Publish, (ushort)5),
            (Out, MqttControlPacketType.PubRec, (ushort)5));
        broker.Packets.GetSnapshot().Where(p => p.Type == MqttControlPacketType.Publish).Select(p => (p.Connection, p.Dup)).Should().Equal((1, false), (2, true), (2, false));
    }

    [Fact]
    public async Task PublishToClient_ResendWithDupThenPubRelByTest_RecordsEachClientAnswer()
    {
        await using var broker = ScriptedBroker.Start();
        broker.Behavior.AnswerPubRec = false;
        var clientId = TestMqttClient.NewClientId();
        using var client = await TestMqttClient.ConnectAsync(Options(broker, MqttProtocolVersion.V311, clientId), Token);
        await client.SubscribeAsync("down/#", MqttQualityOfServiceLevel.ExactlyOnce, Token);
        var connection = await broker.WaitForConnectionAsync(clientId);

        await connection.PublishAsync("down/x", "1", MqttQualityOfServiceLevel.ExactlyOnce, packetId: 9);
        await broker.Packets.WaitForAsync(p => p.Type == MqttControlPacketType.PubRec);
        await connection.PublishAsync("down/x", "1", MqttQualityOfServiceLevel.ExactlyOnce, packetId: 9, dup: true);
        await broker.Packets.WaitUntilAsync(all => all.Count(p => p.Type == MqttControlPacketType.PubRec) == 2, "a second PUBREC");
        await connection.SendPubRelAsync(9);
        await broker.Packets.WaitForAsync(p => p.Type == MqttControlPacketType.PubComp);

        Flow(broker.Packets.GetSnapshot()).Should().Equal(
            (Out, MqttControlPacketType.Publish, (ushort)9),
            (In, MqttControlPacketType.PubRec, (ushort)9),
            (Out, MqttControlPacketType.Publish, (ushort)9),
            (In, MqttControlPacketType.PubRec, (ushort)9),
            (Out, MqttControlPacketType.PubRel, (ushort)9),
            (In, MqttControlPacketType.PubComp, (ushort)9));
        broker.Packets.GetSnapshot().Where(p => p.Type == MqttControlPacketType.Publish).Select(p => p.Dup).Should().Equal(false, true);
    }

    [Fact]
    public async Task CutAfterReceiving_SecondPubRel_ClosesBeforePubComp()
    {
        await using var broker = ScriptedBroker.Start();
        broker.CutAfterReceiving(MqttControlPacketType.PubRel, nth: 2);
        using var client = await TestMqttClient.ConnectAsync(Options(broker, MqttProtocolVersion.V311), Token);
        var lost = Lost(client);

        await client.PublishAsync(Message("up/a", "1", MqttQualityOfServiceLevel.ExactlyOnce).Build(), Token);
        var second = () => client.PublishAsync(Message("up/b", "2", MqttQualityOfServiceLevel.ExactlyOnce).Build(), Token);

        await second.Should().ThrowAsync<Exception>();
        await lost.WaitAsync(TestTimeouts.Arrival, Token);
        broker.Packets.GetSnapshot().Count(p => p.Type == MqttControlPacketType.PubComp).Should().Be(1);
        broker.Packets.GetSnapshot()[^1].Type.Should().Be(MqttControlPacketType.PubRel);
    }

    [Fact]
    public async Task HoldAcknowledgements_ThenRelease_AnswersInReceiveOrder()
    {
        await using var broker = ScriptedBroker.Start();
        broker.HoldAcknowledgements();
        using var client = await TestMqttClient.ConnectAsync(Options(broker, MqttProtocolVersion.V500), Token);

        var a = client.PublishAsync(Message("up/a", "1", MqttQualityOfServiceLevel.AtLeastOnce).Build(), Token);
        var b = client.PublishAsync(Message("up/b", "2", MqttQualityOfServiceLevel.AtLeastOnce).Build(), Token);
        var received = await broker.Packets.WaitUntilAsync(all => all.Count(p => p.Type == MqttControlPacketType.Publish) == 2, "two PUBLISH");
        received.Should().NotContain(p => p.Type == MqttControlPacketType.PubAck);
        (a.IsCompleted || b.IsCompleted).Should().BeFalse();
        await broker.ReleaseAcknowledgementsAsync();
        await Task.WhenAll(a, b).WaitAsync(TestTimeouts.Arrival, Token);

        var publishes = broker.Packets.GetSnapshot().Where(p => p.Type == MqttControlPacketType.Publish).Select(p => p.PacketId);
        broker.Packets.GetSnapshot().Where(p => p.Type == MqttControlPacketType.PubAck).Select(p => p.PacketId).Should().Equal(publishes);
    }

    [Fact]
    public async Task ConnAck_Mqtt5Properties_ReachTheClient()
    {
        await using var broker = ScriptedBroker.Start();
        broker.Behavior.ConnAck = ack =>
        {
            ack.ReceiveMaximum = 3;
            ack.MaximumQoS = MqttQualityOfServiceLevel.AtLeastOnce;
            ack.RetainAvailable = false;
            ack.MaximumPacketSize = 2048;
            ack.ServerKeepAlive = 12;
            ack.AssignedClientIdentifier = "given";
            ack.ServerReference = "elsewhere:1883";
        };
        using var client = new MqttClientFactory().CreateMqttClient();

        var result = await client.ConnectAsync(Options(broker, MqttProtocolVersion.V500), Token);

        result.Should().BeEquivalentTo(new
        {
            ReceiveMaximum = (ushort?)3,
            MaximumQoS = MqttQualityOfServiceLevel.AtLeastOnce,
            RetainAvailable = false,
            MaximumPacketSize = (uint?)2048,
            ServerKeepAlive = (ushort)12,
            AssignedClientIdentifier = "given",
            ServerReference = "elsewhere:1883",
        });
    }

    [Theory]
    [InlineData(MqttProtocolVersion.V311, MqttClientConnectResultCode.NotAuthorized, 5)]
    [InlineData(MqttProtocolVersion.V500, MqttClientConnectResultCode.NotAuthorized, 135)]
    public async Task ConnAck_RefusedReason_ClientRefusedAndConnectionClosed(MqttProtocolVersion version, MqttClientConnectResultCode expected, int recordedCode)
    {
        await using var broker = ScriptedBroker.Start();
        broker.Behavior.ConnectReasonCode = MqttConnectReasonCode.NotAuthorized;
        var clientId = TestMqttClient.NewClientId();
        using var client = new MqttClientFactory().CreateMqttClient();

        var result = await client.ConnectAsync(Options(broker, version, clientId), Token);

        result.ResultCode.Should().Be(expected);
        await (await broker.WaitForConnectionAsync(clientId)).Closed.WaitAsync(TestTimeouts.Arrival, Token);
        broker.Packets.GetSnapshot().Single(p => p.Type == MqttControlPacketType.ConnAck).ReasonCode.Should().Be(recordedCode);
        broker.HasSession(clientId).Should().BeFalse();
    }

    [Fact]
    public async Task Disconnect_ReasonAndServerReference_ReachTheClient()
    {
        await using var broker = ScriptedBroker.Start();
        var clientId = TestMqttClient.NewClientId();
        using var client = await TestMqttClient.ConnectAsync(Options(broker, MqttProtocolVersion.V500, clientId), Token);
        var reason = new TaskCompletionSource<MqttClientDisconnectReason>(TaskCreationOptions.RunContinuationsAsynchronously);
        client.DisconnectedAsync += e =>
        {
            reason.TrySetResult(e.Reason);
            return Task.CompletedTask;
        };

        await (await broker.WaitForConnectionAsync(clientId)).DisconnectAsync(MqttDisconnectReasonCode.ServerMoved, "elsewhere:1883");

        (await reason.Task.WaitAsync(TestTimeouts.Arrival, Token)).Should().Be(MqttClientDisconnectReason.ServerMoved);
        var sent = broker.Packets.GetSnapshot().Single(p => p.Type == MqttControlPacketType.Disconnect);
        sent.ReasonCode.Should().Be((int)MqttDisconnectReasonCode.ServerMoved);
        ((MqttDisconnectPacket)sent.Raw).ServerReference.Should().Be("elsewhere:1883");
    }

    [Fact]
    public async Task Subscribe_ScriptedReasonCodesPerFilter_ReachTheClient()
    {
        await using var broker = ScriptedBroker.Start();
        broker.Behavior.SubscribeReasonCode = filter => filter == "deny/#" ? MqttSubscribeReasonCode.NotAuthorized : null;
        broker.Behavior.UnsubscribeReasonCode = filter => filter == "deny/#" ? MqttUnsubscribeReasonCode.NoSubscriptionExisted : MqttUnsubscribeReasonCode.Success;
        using var client = await TestMqttClient.ConnectAsync(Options(broker, MqttProtocolVersion.V500), Token);

        var subscribed = await client.SubscribeAsync(
            new MqttClientSubscribeOptionsBuilder().WithTopicFilter("ok/#", MqttQualityOfServiceLevel.AtLeastOnce).WithTopicFilter("deny/#").Build(), Token);
        var unsubscribed = await client.UnsubscribeAsync(new MqttClientUnsubscribeOptionsBuilder().WithTopicFilter("ok/#").WithTopicFilter("deny/#").Build(), Token);

        subscribed.Items.Select(i => i.ResultCode).Should().Equal(MqttClientSubscribeResultCode.GrantedQoS1, MqttClientSubscribeResultCode.NotAuthorized);
        unsubscribed.Items.Select(i => i.ResultCode).Should().Equal(MqttClientUnsubscribeResultCode.Success, MqttClientUnsubscribeResultCode.NoSubscriptionExisted);
        broker.Packets.GetSnapshot().Single(p => p.Type == MqttControlPacketType.SubAck).ReasonCodes.Should().Equal(1, 0x87);
    }

    [Fact]
    public async Task Ping_UnansweredThenAnswered_RecordsEachPingReq()
    {
        await using var broker = ScriptedBroker.Start();
        broker.Behavior.UnansweredPings = 1;
        using var client = await TestMqttClient.ConnectAsync(Options(broker, MqttProtocolVersion.V311), Token);

        using (var abandon = CancellationTokenSource.CreateLinkedTokenSource(Token))
        {
            var ping = client.PingAsync(abandon.Token);
            await broker.Packets.WaitForAsync(p => p.Type == MqttControlPacketType.PingReq);
            await abandon.CancelAsync();
            await FluentActions.Awaiting(() => ping).Should().ThrowAsync<Exception>("no PINGRESP comes");
        }

        await client.PingAsync(Token);

        broker.Packets.GetSnapshot().Select(p => p.Type).Where(t => t is MqttControlPacketType.PingReq or MqttControlPacketType.PingResp)
            .Should().Equal(MqttControlPacketType.PingReq, MqttControlPacketType.PingReq, MqttControlPacketType.PingResp);
    }

    [Fact]
    public async Task DisposeAsync_ConnectedClient_ClosesTheConnection()
    {
        var broker = ScriptedBroker.Start();
        using var client = await TestMqttClient.ConnectAsync(Options(broker, MqttProtocolVersion.V311), Token);
        var lost = Lost(client);

        await broker.DisposeAsync();

        await lost.WaitAsync(TestTimeouts.Arrival, Token);
        (await broker.Connections.WaitForCountAsync(1))[0].Closed.IsCompleted.Should().BeTrue();
    }

    private static async Task<ILowLevelMqttClient> ConnectRawAsync(ScriptedBroker broker, string clientId, bool expectSessionPresent)
    {
        var client = new MqttClientFactory().CreateLowLevelMqttClient();
        await client.ConnectAsync(new MqttClientOptionsBuilder().WithTcpServer("127.0.0.1", broker.Port).WithProtocolVersion(MqttProtocolVersion.V311).Build(), Token);
        await client.SendAsync(new MqttConnectPacket { ClientId = clientId, CleanSession = false, KeepAlivePeriod = 30 }, Token);
        (await ReceiveAsync<MqttConnAckPacket>(client)).IsSessionPresent.Should().Be(expectSessionPresent);
        return client;
    }

    private static async Task<T> ReceiveAsync<T>(ILowLevelMqttClient client)
        where T : MqttPacket
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(Token);
        deadline.CancelAfter(TestTimeouts.Arrival);
        return (await client.ReceiveAsync(deadline.Token)).Should().BeOfType<T>().Subject;
    }
}
