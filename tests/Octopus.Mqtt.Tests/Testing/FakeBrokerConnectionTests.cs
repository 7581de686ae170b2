using System.Buffers;
using System.Text;
using MQTTnet;
using MQTTnet.Exceptions;
using MQTTnet.Formatter;
using MQTTnet.Packets;
using MQTTnet.Protocol;
using Octopus.Mqtt.Testing;
using Octopus.Mqtt.Tests.Connection;
using static Octopus.Mqtt.Tests.Testing.FakeSetup;

namespace Octopus.Mqtt.Tests.Testing;

public sealed partial class FakeBrokerConnectionTests
{
    private const MqttProtocolVersion V311 = MqttProtocolVersion.V311;
    private const MqttProtocolVersion V5 = MqttProtocolVersion.V500;

    private readonly FakeMqttBroker _broker = new();

    [Theory]
    [InlineData(V311)]
    [InlineData(V5)]
    public async Task Connect_CleanSession_IsAcceptedWithoutSessionPresent(MqttProtocolVersion version)
    {
        var connection = await OpenAsync(Options("a", version));

        var ack = await NextAsync<MqttConnAckPacket>(connection);

        ack.ReturnCode.Should().Be(MqttConnectReturnCode.ConnectionAccepted);
        ack.ReasonCode.Should().Be(MqttConnectReasonCode.Success);
        ack.IsSessionPresent.Should().BeFalse();
        connection.IsConnected.Should().BeTrue();
    }

    [Fact]
    public async Task Connect_Refused311_AnswersTheReturnCodeAndCloses()
    {
        _broker.RefuseNextConnect("a", MqttConnectReasonCode.BadUserNameOrPassword);
        var connection = await OpenAsync(Options("a", V311));

        (await NextAsync<MqttConnAckPacket>(connection)).ReturnCode.Should().Be(MqttConnectReturnCode.ConnectionRefusedBadUsernameOrPassword);

        (await connection.ReceiveAsync(Ct)).Should().BeNull("the broker closes a refused connection");
        connection.IsConnected.Should().BeFalse();
    }

    [Fact]
    public async Task Connect_Refused5_AnswersTheReasonCodeOnceThenAccepts()
    {
        _broker.RefuseNextConnect("a", MqttConnectReasonCode.ServerBusy);
        var refused = await OpenAsync(Options("a", V5));

        (await NextAsync<MqttConnAckPacket>(refused)).ReasonCode.Should().Be(MqttConnectReasonCode.ServerBusy);
        (await refused.ReceiveAsync(Ct)).Should().BeNull();
        (await ConnectAsync(Options("a", V5))).IsConnected.Should().BeTrue("each refusal is armed once");
    }

    [Fact]
    public async Task OpenAsync_FailNextOpen_ThrowsItOnce()
    {
        var failure = new MqttCommunicationException("unreachable");
        _broker.FailNextOpen("a", failure);
        var connection = _broker.CreateWire(Options("a", V311));

        (await FluentActions.Awaiting(() => connection.OpenAsync(Ct)).Should().ThrowAsync<MqttCommunicationException>()).Which.Should().BeSameAs(failure);
        await connection.OpenAsync(Ct);
    }

    [Fact]
    public async Task OpenAsync_Blocked_FailsUntilAllowedAgain()
    {
        _broker.BlockConnections("a");
        var blocked = _broker.CreateWire(Options("a", V311));

        await FluentActions.Awaiting(() => blocked.OpenAsync(Ct)).Should().ThrowAsync<MqttCommunicationException>();
        await FluentActions.Awaiting(() => blocked.OpenAsync(Ct)).Should().ThrowAsync<MqttCommunicationException>();
        await _broker.CreateWire(Options("b", V311)).OpenAsync(Ct);

        _broker.AllowConnections("a");

        (await ConnectAsync(Options("a", V311))).IsConnected.Should().BeTrue();
    }

    [Fact]
    public async Task SendAsync_PacketBeforeConnect_ClosesTheConnection()
    {
        var connection = _broker.CreateWire(Options("a", V311));
        await connection.OpenAsync(Ct);

        await connection.SendAsync(MqttPingReqPacket.Instance, Ct);

        await FluentActions.Awaiting(() => connection.ReceiveAsync(Ct).AsTask()).Should().ThrowAsync<MqttCommunicationException>();
    }

    [Theory]
    [InlineData(V311)]
    [InlineData(V5)]
    public async Task Publish_Qos1_IsRecordedWithTheClientIdAndAcknowledged(MqttProtocolVersion version)
    {
        var sender = new FakeMqttMessageCollector();
        var connection = await ConnectAsync(Options("dev-1", version), sender);

        await connection.SendAsync(Publish("devices/fan", "on", MqttQualityOfServiceLevel.AtLeastOnce, 5), Ct);

        var ack = await NextAsync<MqttPubAckPacket>(connection);
        ack.PacketIdentifier.Should().Be(5);
        ack.ReasonCode.Should().Be(MqttPubAckReasonCode.Success);
        var message = _broker.Published.GetSnapshot().Should().ContainSingle().Subject;
        message.Should().BeEquivalentTo(new { Topic = "devices/fan", PayloadText = "on", Qos = MqttQos.AtLeastOnce, Retained = false, ClientId = "dev-1" });
        sender.GetSnapshot().Should().ContainSingle().Which.Should().BeSameAs(message);
    }

    [Fact]
    public async Task Publish_Qos2_AnswersPubRecRoutesOnceAndPubRelGetsPubComp()
    {
        var subscriber = await SubscribedAsync("sub", V311, ("devices/#", MqttQualityOfServiceLevel.AtMostOnce));
        var connection = await ConnectAsync(Options("pub", V311));

        await connection.SendAsync(Publish("devices/fan", "x", MqttQualityOfServiceLevel.ExactlyOnce, 8), Ct);
        (await NextAsync<MqttPubRecPacket>(connection)).PacketIdentifier.Should().Be(8);
        var again = Publish("devices/fan", "x", MqttQualityOfServiceLevel.ExactlyOnce, 8);
        again.Dup = true;
        await connection.SendAsync(again, Ct);
        (await NextAsync<MqttPubRecPacket>(connection)).PacketIdentifier.Should().Be(8);
        await connection.SendAsync(new MqttPubRelPacket { PacketIdentifier = 8 }, Ct);

        (await NextAsync<MqttPubCompPacket>(connection)).PacketIdentifier.Should().Be(8);
        _broker.Published.Count.Should().Be(1, "a duplicate before PUBREL is the same message");
        (await NextAsync<MqttPublishPacket>(subscriber)).QualityOfServiceLevel.Should().Be(MqttQualityOfServiceLevel.AtMostOnce, "the subscription's QoS caps the delivery");
        await AssertNothingMoreAsync(subscriber);
    }

    [Fact]
    public async Task Publish_Retained_ReplacesThePreviousAndAnEmptyPayloadRemovesIt()
    {
        var connection = await ConnectAsync(Options("a", V311));

        await connection.SendAsync(Publish("s/1", "old", MqttQualityOfServiceLevel.AtMostOnce, 0, retain: true), Ct);
        await connection.SendAsync(Publish("s/1", "new", MqttQualityOfServiceLevel.AtMostOnce, 0, retain: true), Ct);
        await connection.SendAsync(Publish("s/2", "gone", MqttQualityOfServiceLevel.AtMostOnce, 0, retain: true), Ct);
        await connection.SendAsync(Publish("s/2", string.Empty, MqttQualityOfServiceLevel.AtMostOnce, 0, retain: true), Ct);

        _broker.GetRetainedMessages().Should().ContainSingle().Which.PayloadText.Should().Be("new");
        _broker.GetRetainedMessage("s/2").Should().BeNull();
    }

    [Fact]
    public async Task Publish_SeveralMatchingSubscriptions_ReachesTheSubscriberOnceWithTheHighestQos()
    {
        var subscriber = await SubscribedAsync("sub", V5, ("devices/+", MqttQualityOfServiceLevel.AtMostOnce), ("devices/#", MqttQualityOfServiceLevel.AtLeastOnce));
        var publisher = await ConnectAsync(Options("pub", V5));

        await publisher.SendAsync(Publish("devices/fan", "x", MqttQualityOfServiceLevel.ExactlyOnce, 1, retain: true), Ct);
        await publisher.SendAsync(Publish("elsewhere", "y", MqttQualityOfServiceLevel.AtLeastOnce, 2), Ct);

        var delivered = await NextAsync<MqttPublishPacket>(subscriber);
        delivered.Should().BeEquivalentTo(new { Topic = "devices/fan", QualityOfServiceLevel = MqttQualityOfServiceLevel.AtLeastOnce, Retain = false });
        delivered.PacketIdentifier.Should().NotBe(0);
        Encoding.UTF8.GetString(delivered.Payload.ToArray()).Should().Be("x");
        await AssertNothingMoreAsync(subscriber);
    }

    [Theory]
    [InlineData(V311)]
    [InlineData(V5)]
    public async Task Subscribe_RetainedMessages_AreSentAfterSubAckWithTheRetainFlag(MqttProtocolVersion version)
    {
        await _broker.PublishAsync("devices/fan", Bytes("on"), MqttQos.AtLeastOnce, retain: true, cancellationToken: Ct);
        await _broker.PublishAsync("devices/lamp", Bytes("off"), MqttQos.AtMostOnce, retain: true, cancellationToken: Ct);
        await _broker.PublishAsync("other", Bytes("no"), retain: true, cancellationToken: Ct);
        var connection = await ConnectAsync(Options("a", version));

        await connection.SendAsync(Subscribe(3, ("devices/+", MqttQualityOfServiceLevel.ExactlyOnce), ("devices/fan", MqttQualityOfServiceLevel.AtMostOnce)), Ct);

        var ack = await NextAsync<MqttSubAckPacket>(connection);
        ack.PacketIdentifier.Should().Be(3);
        ack.ReasonCodes.Should().Equal(MqttSubscribeReasonCode.GrantedQoS2, MqttSubscribeReasonCode.GrantedQoS0);
        var retained = new[] { await NextAsync<MqttPublishPacket>(connection), await NextAsync<MqttPublishPacket>(connection) };
        retained.Select(p => (p.Topic, p.QualityOfServiceLevel, p.Retain)).Should().BeEquivalentTo(
            [("devices/fan", MqttQualityOfServiceLevel.AtLeastOnce, true), ("devices/lamp", MqttQualityOfServiceLevel.AtMostOnce, true)]);
        await AssertNothingMoreAsync(connection);
    }

    [Fact]
    public async Task Subscribe_RetainHandlingDoNotSend_SendsNoRetainedMessage()
    {
        await _broker.PublishAsync("devices/fan", Bytes("on"), retain: true, cancellationToken: Ct);
        var connection = await ConnectAsync(Options("a", V5));
        var subscribe = Subscribe(1, ("devices/fan", MqttQualityOfServiceLevel.AtLeastOnce));
        subscribe.TopicFilters[0].RetainHandling = MqttRetainHandling.DoNotSendOnSubscribe;

        await connection.SendAsync(subscribe, Ct);

        await NextAsync<MqttSubAckPacket>(connection);
        await AssertNothingMoreAsync(connection);
    }

    [Theory]
    [InlineData(V311, MqttSubscribeReasonCode.UnspecifiedError)]
    [InlineData(V5, MqttSubscribeReasonCode.NotAuthorized)]
    public async Task Subscribe_RefuseNextSubscribe_RefusesEveryFilterOnce(MqttProtocolVersion version, MqttSubscribeReasonCode expected)
    {
        await _broker.PublishAsync("devices/fan", Bytes("on"), retain: true, cancellationToken: Ct);
        _broker.RefuseNextSubscribe("a");
        var connection = await ConnectAsync(Options("a", version));

        await connection.SendAsync(Subscribe(1, ("devices/fan", MqttQualityOfServiceLevel.AtLeastOnce), ("x", MqttQualityOfServiceLevel.AtMostOnce)), Ct);

        (await NextAsync<MqttSubAckPacket>(connection)).ReasonCodes.Should().Equal(expected, expected);
        await _broker.PublishAsync("devices/fan", Bytes("later"), cancellationToken: Ct);
        await connection.SendAsync(Subscribe(2, ("x", MqttQualityOfServiceLevel.AtMostOnce)), Ct);
        (await NextAsync<MqttSubAckPacket>(connection)).ReasonCodes.Should().Equal(MqttSubscribeReasonCode.GrantedQoS0);
        await AssertNothingMoreAsync(connection);
    }

    [Theory]
    [InlineData(V311, null)]
    [InlineData(V5, new[] { MqttUnsubscribeReasonCode.Success, MqttUnsubscribeReasonCode.NoSubscriptionExisted })]
    public async Task Unsubscribe_AnswersInTheVersionsShapeAndStopsDeliveries(MqttProtocolVersion version, MqttUnsubscribeReasonCode[]? expected)
    {
        var connection = await SubscribedAsync("a", version, ("devices/#", MqttQualityOfServiceLevel.AtLeastOnce));

        await connection.SendAsync(new MqttUnsubscribePacket { PacketIdentifier = 4, TopicFilters = ["devices/#", "never"] }, Ct);

        var ack = await NextAsync<MqttUnsubAckPacket>(connection);
        ack.PacketIdentifier.Should().Be(4);
        if (expected is null)
        {
            ack.ReasonCodes.Should().BeNull("a 3.1.1 UNSUBACK carries no codes");
        }
        else
        {
            ack.ReasonCodes.Should().Equal(expected);
        }

        await _broker.PublishAsync("devices/fan", Bytes("x"), cancellationToken: Ct);
        await AssertNothingMoreAsync(connection);
    }

    [Fact]
    public async Task PublishAsync_Qos1ToAConnection_CompletesWhenTheClientAcknowledges()
    {
        var connection = await SubscribedAsync("a", V311, ("cmd/#", MqttQualityOfServiceLevel.AtLeastOnce));

        var publishing = _broker.PublishAsync("cmd/fan", Bytes("go"), MqttQos.AtLeastOnce, cancellationToken: Ct);
        var delivered = await NextAsync<MqttPublishPacket>(connection);

        publishing.IsCompleted.Should().BeFalse("the delivery is not acknowledged yet");
        await connection.SendAsync(new MqttPubAckPacket { PacketIdentifier = delivered.PacketIdentifier }, Ct);
        await publishing.WaitAsync(Eventually.DefaultTimeout, Ct);
        _broker.Published.LatestRecord.ClientId.Should().Be(FakeMqttBroker.TestPublisherClientId);
    }

    [Fact]
    public async Task PublishAsync_FromTheSubscribersOwnDeliveryScope_DoesNotWaitForItsAcknowledgement()
    {
        var sender = new FakeMqttMessageCollector();
        var other = await SubscribedAsync("other", V311, ("cmd/#", MqttQualityOfServiceLevel.AtLeastOnce));
        var connection = await ConnectAsync(Options("a", V311), sender);
        await connection.SendAsync(Subscribe(1, ("cmd/#", MqttQualityOfServiceLevel.AtLeastOnce)), Ct);
        await NextAsync<MqttSubAckPacket>(connection);

        DeliveryScope.Current = sender;
        var publishing = _broker.PublishAsync("cmd/fan", Bytes("go"), MqttQos.AtLeastOnce, cancellationToken: Ct);
        DeliveryScope.Current = null;

        await NextAsync<MqttPublishPacket>(connection);
        var toOther = await NextAsync<MqttPublishPacket>(other);
        publishing.IsCompleted.Should().BeFalse("another subscriber's acknowledgement is still awaited");
        await other.SendAsync(new MqttPubAckPacket { PacketIdentifier = toOther.PacketIdentifier }, Ct);
        await publishing.WaitAsync(Eventually.DefaultTimeout, Ct);
    }

    [Fact]
    public async Task PublishAsync_Qos2ToAConnection_CompletesOnPubCompAfterPubRel()
    {
        var connection = await SubscribedAsync("a", V5, ("cmd/#", MqttQualityOfServiceLevel.ExactlyOnce));

        var publishing = _broker.PublishAsync("cmd/fan", Bytes("go"), MqttQos.ExactlyOnce, cancellationToken: Ct);
        var delivered = await NextAsync<MqttPublishPacket>(connection);
        await connection.SendAsync(new MqttPubRecPacket { PacketIdentifier = delivered.PacketIdentifier }, Ct);

        (await NextAsync<MqttPubRelPacket>(connection)).PacketIdentifier.Should().Be(delivered.PacketIdentifier);
        publishing.IsCompleted.Should().BeFalse("PUBCOMP is not sent yet");
        await connection.SendAsync(new MqttPubCompPacket { PacketIdentifier = delivered.PacketIdentifier }, Ct);
        await publishing.WaitAsync(Eventually.DefaultTimeout, Ct);
    }

    [Fact]
    public async Task SendAsync_TwoConnectionsPublishingToEachOtherFromSeveralThreads_EveryMessageArrivesOnce()
    {
        const int Count = 200;
        var left = await SubscribedAsync("left", V311, ("to/left", MqttQualityOfServiceLevel.AtMostOnce));
        var right = await SubscribedAsync("right", V5, ("to/right", MqttQualityOfServiceLevel.AtMostOnce));
        var reading = new[] { CountAsync(left), CountAsync(right) };

        await Task.WhenAll(Enumerable.Range(1, Count).SelectMany(i => new[]
        {
            Task.Run(() => left.SendAsync(Publish("to/right", "m", MqttQualityOfServiceLevel.AtLeastOnce, (ushort)i), Ct).AsTask(), Ct),
            Task.Run(() => right.SendAsync(Publish("to/left", "m", MqttQualityOfServiceLevel.AtLeastOnce, (ushort)i), Ct).AsTask(), Ct),
        }));

        (await Task.WhenAll(reading).WaitAsync(Eventually.DefaultTimeout, Ct)).Should().AllBeEquivalentTo((Publishes: Count, Acks: Count));
        _broker.Published.Count.Should().Be(2 * Count);

        static async Task<(int Publishes, int Acks)> CountAsync(FakeBrokerConnection connection)
        {
            var (publishes, acks) = (0, 0);
            while (publishes < Count || acks < Count)
            {
                switch (await connection.ReceiveAsync(Ct))
                {
                    case MqttPublishPacket:
                        publishes++;
                        break;
                    case MqttPubAckPacket:
                        acks++;
                        break;
                    case null:
                        throw new InvalidOperationException($"{connection.ClientId}'s connection closed after {publishes} PUBLISH and {acks} PUBACK.");
                }
            }

            return (publishes, acks);
        }
    }

    [Fact]
    public async Task Ping_Connected_IsAnswered()
    {
        var connection = await ConnectAsync(Options("a", V311));

        await connection.SendAsync(MqttPingReqPacket.Instance, Ct);

        await NextAsync<MqttPingRespPacket>(connection);
    }

    private static MqttClientOptions Options(string clientId, MqttProtocolVersion version, bool cleanSession = true, string? willTopic = null)
    {
        var builder = new MqttClientOptionsBuilder()
            .WithTcpServer("broker.example")
            .WithClientId(clientId)
            .WithProtocolVersion(version)
            .WithCleanSession(cleanSession);
        if (version == V5 && !cleanSession)
        {
            builder.WithSessionExpiryInterval(uint.MaxValue);
        }

        if (willTopic is not null)
        {
            builder.WithWillTopic(willTopic).WithWillPayload(Bytes("offline")).WithWillQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).WithWillRetain();
        }

        return builder.Build();
    }

    private static MqttPublishPacket Publish(string topic, string payload, MqttQualityOfServiceLevel qos, ushort packetId, bool retain = false) => new()
    {
        Topic = topic,
        Payload = new ReadOnlySequence<byte>(Bytes(payload)),
        QualityOfServiceLevel = qos,
        PacketIdentifier = packetId,
        Retain = retain,
    };

    private static MqttSubscribePacket Subscribe(ushort packetId, params (string Filter, MqttQualityOfServiceLevel Qos)[] filters) => new()
    {
        PacketIdentifier = packetId,
        TopicFilters = [.. filters.Select(f => new MqttTopicFilter { Topic = f.Filter, QualityOfServiceLevel = f.Qos })],
    };

    private static async Task<T> NextAsync<T>(FakeBrokerConnection connection)
        where T : MqttPacket
    {
        var packet = await connection.ReceiveAsync(Ct).AsTask().WaitAsync(Eventually.DefaultTimeout, Ct);
        return packet.Should().BeOfType<T>().Subject;
    }

    /// <summary>Proves nothing else was written to the client: a ping's answer is the next packet.</summary>
    private static async Task AssertNothingMoreAsync(FakeBrokerConnection connection)
    {
        await connection.SendAsync(MqttPingReqPacket.Instance, Ct);
        await NextAsync<MqttPingRespPacket>(connection);
    }

    private async Task<FakeBrokerConnection> OpenAsync(MqttClientOptions options, FakeMqttMessageCollector? sender = null)
    {
        var connection = _broker.CreateWire(options, sender);
        await connection.OpenAsync(Ct);
        await connection.SendAsync(MqttConnectPacketFactory.Create(options), Ct);
        return connection;
    }

    private async Task<FakeBrokerConnection> ConnectAsync(MqttClientOptions options, FakeMqttMessageCollector? sender = null)
    {
        var connection = await OpenAsync(options, sender);
        (await NextAsync<MqttConnAckPacket>(connection)).IsSessionPresent.Should().BeFalse();
        return connection;
    }

    private async Task<FakeBrokerConnection> SubscribedAsync(string clientId, MqttProtocolVersion version, params (string Filter, MqttQualityOfServiceLevel Qos)[] filters)
    {
        var connection = await ConnectAsync(Options(clientId, version));
        await connection.SendAsync(Subscribe(1, filters), Ct);
        await NextAsync<MqttSubAckPacket>(connection);
        return connection;
    }
}
