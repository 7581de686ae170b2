using System.Buffers;
using System.Text;
using MQTTnet;
using MQTTnet.Exceptions;
using MQTTnet.Formatter;
using MQTTnet.Packets;
using MQTTnet.Protocol;

namespace Octopus.Mqtt.Tests.Connection;

public sealed class FakeWireTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private readonly FakeBroker _broker = new();

    [Fact]
    public async Task Connect_Accepted311_AnswersReturnCodeWithSessionPresentAndRecordsTheAttempt()
    {
        _broker.SessionPresent = true;
        var options = Options(MqttProtocolVersion.V311);
        var wire = _broker.CreateWire(options);
        await wire.OpenAsync(Ct);
        await wire.SendAsync(MqttConnectPacketFactory.Create(options), Ct);

        var ack = await NextAsync<MqttConnAckPacket>(wire);

        ack.ReturnCode.Should().Be(MqttConnectReturnCode.ConnectionAccepted);
        ack.IsSessionPresent.Should().BeTrue();
        wire.IsConnected.Should().BeTrue();
        _broker.ConnectOptions.Should().ContainSingle().Which.Should().BeSameAs(options);
        _broker.ConnectPackets.Should().ContainSingle().Which.ClientId.Should().Be("fake-client");
        _broker.ConnectAttempts.Should().Be(1);
        _broker.Current.Should().BeSameAs(wire);
    }

    [Fact]
    public async Task Connect_Refused311_AnswersTheReturnCodeAndCloses()
    {
        _broker.ConnectResults.Enqueue(MqttClientConnectResultCode.NotAuthorized);
        var wire = await OpenAsync(MqttProtocolVersion.V311);

        var ack = await NextAsync<MqttConnAckPacket>(wire);

        ack.ReturnCode.Should().Be(MqttConnectReturnCode.ConnectionRefusedNotAuthorized);
        ack.IsSessionPresent.Should().BeFalse();
        (await wire.ReceiveAsync(Ct)).Should().BeNull("the broker closes a refused connection");
        wire.IsConnected.Should().BeFalse();
    }

    [Fact]
    public async Task Connect_Refused5_AnswersTheReasonCode()
    {
        _broker.ConnectResults.Enqueue(MqttClientConnectResultCode.ServerBusy);
        _broker.SessionPresent = true;
        var wire = await OpenAsync(MqttProtocolVersion.V500);

        var ack = await NextAsync<MqttConnAckPacket>(wire);

        ack.ReasonCode.Should().Be(MqttConnectReasonCode.ServerBusy);
        ack.ReturnCode.Should().Be(MqttConnectReturnCode.ConnectionRefusedServerUnavailable, "MQTTnet's MQTT 5 decoder derives it");
        ack.IsSessionPresent.Should().BeFalse();
        (await wire.ReceiveAsync(Ct)).Should().BeNull();
    }

    [Fact]
    public async Task OpenAsync_FailureQueued_ThrowsIt()
    {
        var failure = new MqttCommunicationException("refused");
        _broker.OpenFailures.Enqueue(failure);
        var wire = _broker.CreateWire(Options(MqttProtocolVersion.V311));

        await FluentActions.Awaiting(() => wire.OpenAsync(Ct)).Should().ThrowAsync<MqttCommunicationException>().WithMessage("refused");
        _broker.ConnectAttempts.Should().Be(1);
    }

    [Fact]
    public async Task SendAsync_PacketBeforeConnect_ClosesTheConnection()
    {
        var wire = _broker.CreateWire(Options(MqttProtocolVersion.V311));
        await wire.OpenAsync(Ct);

        await wire.SendAsync(MqttPingReqPacket.Instance, Ct);

        (await wire.ReceiveAsync(Ct)).Should().BeNull();
        _broker.Pings.Should().Be(0);
    }

    [Fact]
    public async Task Publish_Qos1_AnswersPubAckWithTheIdAndRecordsIt()
    {
        var wire = await ConnectedAsync(MqttProtocolVersion.V311);

        await wire.SendAsync(Publish("a/b", "x", MqttQualityOfServiceLevel.AtLeastOnce, 7), Ct);

        (await NextAsync<MqttPubAckPacket>(wire)).PacketIdentifier.Should().Be(7);
        var published = _broker.Published.Should().ContainSingle().Subject;
        published.Should().BeEquivalentTo(new { Topic = "a/b", Text = "x", Qos = MqttQualityOfServiceLevel.AtLeastOnce, PacketId = (ushort)7, Connection = 0 });
        _broker.Attempts.Should().ContainSingle();
    }

    [Fact]
    public async Task Publish_Qos0_IsPublishedWithoutAnswer()
    {
        var wire = await ConnectedAsync(MqttProtocolVersion.V311);

        await wire.SendAsync(Publish("a", "x", MqttQualityOfServiceLevel.AtMostOnce, 0), Ct);
        await wire.SendAsync(MqttPingReqPacket.Instance, Ct);

        await NextAsync<MqttPingRespPacket>(wire);
        _broker.Published.Should().ContainSingle().Which.Text.Should().Be("x");
    }

    [Fact]
    public async Task Publish_Qos2_PubRecThenPubRelIsAnsweredWithPubComp()
    {
        var wire = await ConnectedAsync(MqttProtocolVersion.V311);

        await wire.SendAsync(Publish("a", "x", MqttQualityOfServiceLevel.ExactlyOnce, 3), Ct);
        (await NextAsync<MqttPubRecPacket>(wire)).PacketIdentifier.Should().Be(3);
        _broker.Published.Should().ContainSingle("a QoS 2 message counts as published when PUBREC is sent");

        await wire.SendAsync(new MqttPubRelPacket { PacketIdentifier = 3 }, Ct);

        (await NextAsync<MqttPubCompPacket>(wire)).PacketIdentifier.Should().Be(3);
        _broker.Released.Should().Equal((ushort)3);
    }

    [Fact]
    public async Task Publish_Qos2AnsweredWithPubAck_AnswersPubAck()
    {
        _broker.Qos2AnsweredWithPubAck = true;
        var wire = await ConnectedAsync(MqttProtocolVersion.V311);

        await wire.SendAsync(Publish("a", "x", MqttQualityOfServiceLevel.ExactlyOnce, 4), Ct);

        (await NextAsync<MqttPubAckPacket>(wire)).PacketIdentifier.Should().Be(4);
        _broker.Published.Should().ContainSingle();
    }

    [Fact]
    public async Task Publish_Held_IsAcknowledgedAndPublishedOnlyOnRelease()
    {
        _broker.HoldPublishes = true;
        var wire = await ConnectedAsync(MqttProtocolVersion.V311);

        await wire.SendAsync(Publish("a", "1", MqttQualityOfServiceLevel.AtLeastOnce, 1), Ct);
        await wire.SendAsync(Publish("a", "2", MqttQualityOfServiceLevel.ExactlyOnce, 2), Ct);
        await wire.SendAsync(MqttPingReqPacket.Instance, Ct);

        await NextAsync<MqttPingRespPacket>(wire);
        _broker.Attempts.Should().HaveCount(2);
        _broker.Published.Should().BeEmpty();

        _broker.ReleasePublishes();

        (await NextAsync<MqttPubAckPacket>(wire)).PacketIdentifier.Should().Be(1);
        (await NextAsync<MqttPubRecPacket>(wire)).PacketIdentifier.Should().Be(2);
        _broker.Published.Select(m => m.Text).Should().Equal("1", "2");
    }

    [Fact]
    public async Task Publish_HeldThenDropped_IsNeverPublished()
    {
        _broker.HoldPublishes = true;
        var wire = await ConnectedAsync(MqttProtocolVersion.V311);
        await wire.SendAsync(Publish("a", "1", MqttQualityOfServiceLevel.AtLeastOnce, 1), Ct);

        await wire.DropAsync();
        _broker.ReleasePublishes();

        _broker.Attempts.Should().ContainSingle();
        _broker.Published.Should().BeEmpty();
    }

    [Theory]
    [InlineData(MqttProtocolVersion.V500, MqttPubAckReasonCode.NotAuthorized)]
    [InlineData(MqttProtocolVersion.V311, MqttPubAckReasonCode.Success)]
    public async Task Publish_PublishReason_IsCarriedOnMqtt5Only(MqttProtocolVersion version, MqttPubAckReasonCode expected)
    {
        _broker.PublishReason = MqttClientPublishReasonCode.NotAuthorized;
        var wire = await ConnectedAsync(version);

        await wire.SendAsync(Publish("a", "x", MqttQualityOfServiceLevel.AtLeastOnce, 1), Ct);
        await wire.SendAsync(Publish("a", "y", MqttQualityOfServiceLevel.ExactlyOnce, 2), Ct);

        (await NextAsync<MqttPubAckPacket>(wire)).ReasonCode.Should().Be(expected);
        ((int)(await NextAsync<MqttPubRecPacket>(wire)).ReasonCode).Should().Be((int)expected);
    }

    [Fact]
    public async Task DropAsync_Connected_ReceiveAndSendThrowAndUnreadPacketsAreLost()
    {
        var wire = await ConnectedAsync(MqttProtocolVersion.V311);
        await wire.SendAsync(MqttPingReqPacket.Instance, Ct);

        await wire.DropAsync();

        await FluentActions.Awaiting(() => wire.ReceiveAsync(Ct).AsTask()).Should().ThrowAsync<MqttCommunicationException>();
        await FluentActions.Awaiting(() => wire.SendAsync(MqttPingReqPacket.Instance, Ct).AsTask()).Should().ThrowAsync<MqttCommunicationException>();
        wire.IsConnected.Should().BeFalse();
    }

    [Fact]
    public async Task DropAsync_ReceivePending_WakesTheReaderWithAnError()
    {
        var wire = await ConnectedAsync(MqttProtocolVersion.V311);
        var receiving = wire.ReceiveAsync(Ct).AsTask();

        await wire.DropAsync();

        await FluentActions.Awaiting(() => receiving.WaitAsync(Eventually.DefaultTimeout, Ct)).Should().ThrowAsync<MqttCommunicationException>();
    }

    [Fact]
    public async Task Subscribe_RefusedFilter311_AnswersGrantedQosAndUnspecifiedError()
    {
        _broker.RefusedFilters["no/#"] = MqttClientSubscribeResultCode.NotAuthorized;
        var wire = await ConnectedAsync(MqttProtocolVersion.V311);

        await wire.SendAsync(Subscribe(9, ("ok/+", MqttQualityOfServiceLevel.AtLeastOnce), ("no/#", MqttQualityOfServiceLevel.AtMostOnce)), Ct);

        var ack = await NextAsync<MqttSubAckPacket>(wire);
        ack.PacketIdentifier.Should().Be(9);
        ack.ReasonCodes.Should().Equal(MqttSubscribeReasonCode.GrantedQoS1, MqttSubscribeReasonCode.UnspecifiedError);
        _broker.SubscriptionLog.Should().Equal("+ok/+@1", "+no/#@0");
    }

    [Fact]
    public async Task Subscribe_RefusedFilter5_AnswersTheCode()
    {
        _broker.RefusedFilters["no/#"] = MqttClientSubscribeResultCode.NotAuthorized;
        var wire = await ConnectedAsync(MqttProtocolVersion.V500);

        await wire.SendAsync(Subscribe(2, ("no/#", MqttQualityOfServiceLevel.ExactlyOnce), ("ok", MqttQualityOfServiceLevel.ExactlyOnce)), Ct);

        (await NextAsync<MqttSubAckPacket>(wire)).ReasonCodes.Should().Equal(MqttSubscribeReasonCode.NotAuthorized, MqttSubscribeReasonCode.GrantedQoS2);
    }

    [Fact]
    public async Task Unsubscribe_Mqtt5_AnswersACodePerFilter()
    {
        _broker.RefusedUnsubscribes["b"] = MqttClientUnsubscribeResultCode.NotAuthorized;
        var wire = await ConnectedAsync(MqttProtocolVersion.V500);

        await wire.SendAsync(new MqttUnsubscribePacket { PacketIdentifier = 5, TopicFilters = ["a", "b"] }, Ct);

        var ack = await NextAsync<MqttUnsubAckPacket>(wire);
        ack.PacketIdentifier.Should().Be(5);
        ack.ReasonCodes.Should().Equal(MqttUnsubscribeReasonCode.Success, MqttUnsubscribeReasonCode.NotAuthorized);
        _broker.SubscriptionLog.Should().Equal("-a", "-b");
    }

    [Fact]
    public async Task Unsubscribe_Mqtt311_AnswersWithoutCodes()
    {
        _broker.RefusedUnsubscribes["a"] = MqttClientUnsubscribeResultCode.NotAuthorized;
        var wire = await ConnectedAsync(MqttProtocolVersion.V311);

        await wire.SendAsync(new MqttUnsubscribePacket { PacketIdentifier = 5, TopicFilters = ["a"] }, Ct);

        (await NextAsync<MqttUnsubAckPacket>(wire)).ReasonCodes.Should().BeNull();
    }

    [Fact]
    public async Task Ping_Held_IsCountedButNotAnswered()
    {
        _broker.HoldPings = true;
        var wire = await ConnectedAsync(MqttProtocolVersion.V311);

        await wire.SendAsync(MqttPingReqPacket.Instance, Ct);
        await wire.SendAsync(Subscribe(1, ("a", MqttQualityOfServiceLevel.AtMostOnce)), Ct);

        await NextAsync<MqttSubAckPacket>(wire);
        _broker.Pings.Should().Be(1);
    }

    [Fact]
    public async Task DeliverAsync_Qos2_ClientAnswersAreRecordedAndPubRecGetsPubRel()
    {
        var wire = await ConnectedAsync(MqttProtocolVersion.V311);

        await wire.DeliverAsync("in/x", "hello", MqttQualityOfServiceLevel.ExactlyOnce, 11, dup: true);

        var publish = await NextAsync<MqttPublishPacket>(wire);
        publish.Should().BeEquivalentTo(new { Topic = "in/x", PacketIdentifier = (ushort)11, Dup = true, QualityOfServiceLevel = MqttQualityOfServiceLevel.ExactlyOnce });
        Encoding.UTF8.GetString(publish.Payload.ToArray()).Should().Be("hello");

        await wire.SendAsync(new MqttPubRecPacket { PacketIdentifier = 11 }, Ct);
        (await NextAsync<MqttPubRelPacket>(wire)).PacketIdentifier.Should().Be(11);
        await wire.SendAsync(new MqttPubCompPacket { PacketIdentifier = 11 }, Ct);
        await wire.SendAsync(new MqttPubAckPacket { PacketIdentifier = 12 }, Ct);

        wire.DeliveryAcks.Should().Equal("PUBREC 11", "PUBCOMP 11", "PUBACK 12");
        _broker.Published.Should().BeEmpty("a delivered message is not one the client published");
    }

    [Fact]
    public async Task Disconnect_Sent_IsRecordedAndTheBrokerCloses()
    {
        var wire = await ConnectedAsync(MqttProtocolVersion.V500);
        var disconnect = new MqttDisconnectPacket { ReasonCode = MqttDisconnectReasonCode.DisconnectWithWillMessage };

        await wire.SendAsync(disconnect, Ct);

        wire.DisconnectedWith.Should().BeSameAs(disconnect);
        (await wire.ReceiveAsync(Ct)).Should().BeNull();
        await FluentActions.Awaiting(() => wire.SendAsync(MqttPingReqPacket.Instance, Ct).AsTask()).Should().ThrowAsync<MqttCommunicationException>();
        wire.ReceivedPackets.Select(p => p.GetType()).Should().Equal(typeof(MqttConnectPacket), typeof(MqttDisconnectPacket));
    }

    [Fact]
    public async Task Dispose_Open_MarksDisposedAndRefusesSends()
    {
        var wire = await ConnectedAsync(MqttProtocolVersion.V311);

        wire.Dispose();

        wire.IsDisposed.Should().BeTrue();
        wire.DisconnectedWith.Should().BeNull();
        await FluentActions.Awaiting(() => wire.SendAsync(MqttPingReqPacket.Instance, Ct).AsTask()).Should().ThrowAsync<ObjectDisposedException>();
    }

    [Fact]
    public async Task SendAsync_SeveralThreadsAtOnce_EveryPublishIsAnsweredOnce()
    {
        var wire = await ConnectedAsync(MqttProtocolVersion.V311);

        await Task.WhenAll(Enumerable.Range(1, 200).Select(i => Task.Run(() => wire.SendAsync(Publish("a", "m", MqttQualityOfServiceLevel.AtLeastOnce, (ushort)i), Ct).AsTask(), Ct)));

        var ids = new List<ushort>();
        for (var i = 0; i < 200; i++)
        {
            ids.Add((await NextAsync<MqttPubAckPacket>(wire)).PacketIdentifier);
        }

        ids.Should().BeEquivalentTo(Enumerable.Range(1, 200).Select(i => (ushort)i));
        _broker.Published.Should().HaveCount(200);
    }

    private static MqttClientOptions Options(MqttProtocolVersion version) =>
        new MqttClientOptionsBuilder().WithTcpServer("broker").WithClientId("fake-client").WithProtocolVersion(version).Build();

    private static MqttPublishPacket Publish(string topic, string payload, MqttQualityOfServiceLevel qos, ushort packetId) => new()
    {
        Topic = topic,
        Payload = new ReadOnlySequence<byte>(Encoding.UTF8.GetBytes(payload)),
        QualityOfServiceLevel = qos,
        PacketIdentifier = packetId,
    };

    private static MqttSubscribePacket Subscribe(ushort packetId, params (string Filter, MqttQualityOfServiceLevel Qos)[] filters) => new()
    {
        PacketIdentifier = packetId,
        TopicFilters = [.. filters.Select(f => new MqttTopicFilter { Topic = f.Filter, QualityOfServiceLevel = f.Qos })],
    };

    private static async Task<T> NextAsync<T>(FakeWire wire)
        where T : MqttPacket
    {
        var packet = await wire.ReceiveAsync(Ct).AsTask().WaitAsync(Eventually.DefaultTimeout, Ct);
        return packet.Should().BeOfType<T>().Subject;
    }

    private async Task<FakeWire> OpenAsync(MqttProtocolVersion version)
    {
        var options = Options(version);
        var wire = _broker.CreateWire(options);
        await wire.OpenAsync(Ct);
        await wire.SendAsync(MqttConnectPacketFactory.Create(options), Ct);
        return wire;
    }

    private async Task<FakeWire> ConnectedAsync(MqttProtocolVersion version)
    {
        var wire = await OpenAsync(version);
        (await NextAsync<MqttConnAckPacket>(wire)).IsSessionPresent.Should().BeFalse();
        return wire;
    }
}
