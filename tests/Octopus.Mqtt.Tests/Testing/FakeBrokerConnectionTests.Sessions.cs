using MQTTnet;
using MQTTnet.Exceptions;
using MQTTnet.Formatter;
using MQTTnet.Packets;
using MQTTnet.Protocol;
using Octopus.Mqtt.Testing;
using Octopus.Mqtt.Tests.Connection;
using static Octopus.Mqtt.Tests.Testing.FakeSetup;

namespace Octopus.Mqtt.Tests.Testing;

/// <summary>Sessions, wills, and the failures a test arms.</summary>
public sealed partial class FakeBrokerConnectionTests
{
    [Theory]
    [InlineData(V311)]
    [InlineData(V5)]
    public async Task Connect_PersistentSession_KeepsSubscriptionsAndSendsMissedQos1And2Messages(MqttProtocolVersion version)
    {
        var options = Options("a", version, cleanSession: false);
        var first = await OpenAsync(options);
        await NextAsync<MqttConnAckPacket>(first);
        await first.SendAsync(Subscribe(1, ("cmd/#", MqttQualityOfServiceLevel.ExactlyOnce)), Ct);
        await NextAsync<MqttSubAckPacket>(first);
        await first.SendAsync(new MqttDisconnectPacket(), Ct);

        await _broker.PublishAsync("cmd/1", Bytes("q1"), MqttQos.AtLeastOnce, cancellationToken: Ct);
        await _broker.PublishAsync("cmd/0", Bytes("q0"), MqttQos.AtMostOnce, cancellationToken: Ct);
        await _broker.PublishAsync("cmd/2", Bytes("q2"), MqttQos.ExactlyOnce, cancellationToken: Ct);
        var second = await OpenAsync(options);

        (await NextAsync<MqttConnAckPacket>(second)).IsSessionPresent.Should().BeTrue();
        (await NextAsync<MqttPublishPacket>(second)).Topic.Should().Be("cmd/1");
        (await NextAsync<MqttPublishPacket>(second)).Topic.Should().Be("cmd/2");
        await AssertNothingMoreAsync(second);
        await _broker.PublishAsync("cmd/0", Bytes("again"), MqttQos.AtMostOnce, cancellationToken: Ct);
        (await NextAsync<MqttPublishPacket>(second)).Topic.Should().Be("cmd/0", "the subscription was kept");
    }

    [Fact]
    public async Task Connect_Mqtt5WithoutSessionExpiry_DoesNotKeepTheSession()
    {
        var options = new MqttClientOptionsBuilder().WithTcpServer("broker.example").WithClientId("a").WithProtocolVersion(V5).WithCleanSession(false).Build();
        var first = await ConnectAsync(options);
        await first.SendAsync(Subscribe(1, ("cmd/#", MqttQualityOfServiceLevel.AtLeastOnce)), Ct);
        await NextAsync<MqttSubAckPacket>(first);
        await first.SendAsync(new MqttDisconnectPacket(), Ct);
        await _broker.PublishAsync("cmd/1", Bytes("q1"), MqttQos.AtLeastOnce, cancellationToken: Ct);

        var second = await OpenAsync(options);

        (await NextAsync<MqttConnAckPacket>(second)).IsSessionPresent.Should().BeFalse("an MQTT 5 session ends with its connection when its expiry interval is 0");
        await AssertNothingMoreAsync(second);
    }

    [Fact]
    public async Task Connect_CleanSession_ForgetsTheSubscriptions()
    {
        var first = await SubscribedAsync("a", V311, ("cmd/#", MqttQualityOfServiceLevel.AtLeastOnce));
        await first.SendAsync(new MqttDisconnectPacket(), Ct);

        var second = await ConnectAsync(Options("a", V311));
        await _broker.PublishAsync("cmd/1", Bytes("x"), cancellationToken: Ct);

        await AssertNothingMoreAsync(second);
    }

    [Fact]
    public async Task Connect_PersistentSession_SendsAgainTheDeliveriesTheClientDidNotAcknowledge()
    {
        var options = Options("a", V311, cleanSession: false);
        var first = await OpenAsync(options);
        await NextAsync<MqttConnAckPacket>(first);
        await first.SendAsync(Subscribe(1, ("cmd/#", MqttQualityOfServiceLevel.AtLeastOnce)), Ct);
        await NextAsync<MqttSubAckPacket>(first);
        var publishing = _broker.PublishAsync("cmd/1", Bytes("x"), MqttQos.AtLeastOnce, cancellationToken: Ct);
        await NextAsync<MqttPublishPacket>(first);

        first.Dispose();
        await publishing.WaitAsync(Eventually.DefaultTimeout, Ct);
        var second = await OpenAsync(options);

        (await NextAsync<MqttConnAckPacket>(second)).IsSessionPresent.Should().BeTrue();
        (await NextAsync<MqttPublishPacket>(second)).Topic.Should().Be("cmd/1");
    }

    [Fact]
    public async Task Connect_SameClientIdAgain_TakesOverAndTheOldConnectionIsDroppedWithItsWill()
    {
        var old = await ConnectAsync(Options("a", V311, willTopic: "status/a"));

        var fresh = await ConnectAsync(Options("a", V311));

        await FluentActions.Awaiting(() => old.ReceiveAsync(Ct).AsTask()).Should().ThrowAsync<MqttCommunicationException>();
        fresh.IsConnected.Should().BeTrue();
        _broker.Published.LatestRecord.Should().BeEquivalentTo(new { Topic = "status/a", PayloadText = "offline", ClientId = "a" });
    }

    [Fact]
    public async Task Dispose_WithoutDisconnect_PublishesTheWill()
    {
        var sender = new FakeMqttMessageCollector();
        var connection = await ConnectAsync(Options("a", V311, willTopic: "status/a"), sender);

        connection.Dispose();

        var will = _broker.Published.GetSnapshot().Should().ContainSingle().Subject;
        will.Should().BeEquivalentTo(new { Topic = "status/a", PayloadText = "offline", Qos = MqttQos.AtLeastOnce, Retained = true, ClientId = "a" });
        _broker.GetRetainedMessage("status/a").Should().BeSameAs(will);
        sender.GetSnapshot().Should().ContainSingle().Which.Should().BeSameAs(will);
        await FluentActions.Awaiting(() => connection.SendAsync(MqttPingReqPacket.Instance, Ct).AsTask()).Should().ThrowAsync<ObjectDisposedException>();
    }

    [Theory]
    [InlineData(V311, MqttDisconnectReasonCode.NormalDisconnection, false)]
    [InlineData(V5, MqttDisconnectReasonCode.NormalDisconnection, false)]
    [InlineData(V5, MqttDisconnectReasonCode.DisconnectWithWillMessage, true)]
    public async Task Disconnect_Sent_PublishesTheWillOnlyWhenAsked(MqttProtocolVersion version, MqttDisconnectReasonCode reason, bool will)
    {
        var connection = await ConnectAsync(Options("a", version, willTopic: "status/a"));

        await connection.SendAsync(new MqttDisconnectPacket { ReasonCode = reason }, Ct);
        connection.Dispose();

        (await connection.ReceiveAsync(Ct)).Should().BeNull("the broker closes the connection after DISCONNECT");
        _broker.Published.Count.Should().Be(will ? 1 : 0);
    }

    [Fact]
    public async Task DropConnectionAsync_Connected_PublishesTheWillAndFailsTheClientsReadsAndWrites()
    {
        var connection = await ConnectAsync(Options("a", V5, willTopic: "status/a"));
        var receiving = connection.ReceiveAsync(Ct).AsTask();

        (await _broker.DropConnectionAsync("a")).Should().BeTrue();

        await FluentActions.Awaiting(() => receiving.WaitAsync(Eventually.DefaultTimeout, Ct)).Should().ThrowAsync<MqttCommunicationException>();
        await FluentActions.Awaiting(() => connection.SendAsync(MqttPingReqPacket.Instance, Ct).AsTask()).Should().ThrowAsync<MqttCommunicationException>();
        _broker.Published.LatestRecord.Topic.Should().Be("status/a");
        (await _broker.DropConnectionAsync("a")).Should().BeFalse("nothing is connected any more");
    }

    [Fact]
    public async Task DropConnectionAsync_WillSubscriber_ReceivesTheWill()
    {
        var subscriber = await SubscribedAsync("watcher", V311, ("status/#", MqttQualityOfServiceLevel.AtMostOnce));
        await ConnectAsync(Options("a", V311, willTopic: "status/a"));

        await _broker.DropConnectionAsync("a");

        var will = await NextAsync<MqttPublishPacket>(subscriber);
        will.Topic.Should().Be("status/a");
    }

    [Fact]
    public async Task Publish_RefuseNextPublish5_AnswersTheReasonCodeAndTheMessageDoesNotReachTheBroker()
    {
        _broker.RefuseNextPublish("a", MqttPubAckReasonCode.QuotaExceeded);
        _broker.RefuseNextPublish("a");
        var connection = await ConnectAsync(Options("a", V5));

        await connection.SendAsync(Publish("t", "1", MqttQualityOfServiceLevel.AtLeastOnce, 1), Ct);
        await connection.SendAsync(Publish("t", "2", MqttQualityOfServiceLevel.ExactlyOnce, 2), Ct);
        await connection.SendAsync(Publish("t", "3", MqttQualityOfServiceLevel.AtLeastOnce, 3), Ct);

        (await NextAsync<MqttPubAckPacket>(connection)).ReasonCode.Should().Be(MqttPubAckReasonCode.QuotaExceeded);
        (await NextAsync<MqttPubRecPacket>(connection)).ReasonCode.Should().Be(MqttPubRecReasonCode.NotAuthorized);
        (await NextAsync<MqttPubAckPacket>(connection)).ReasonCode.Should().Be(MqttPubAckReasonCode.Success);
        _broker.Published.GetSnapshot().Select(m => m.PayloadText).Should().Equal("3");
    }

    [Fact]
    public async Task Publish_RefuseNextPublish311_DropsTheConnectionWithItsWill()
    {
        _broker.RefuseNextPublish("a");
        var connection = await ConnectAsync(Options("a", V311, willTopic: "status/a"));

        await connection.SendAsync(Publish("t", "1", MqttQualityOfServiceLevel.AtLeastOnce, 1), Ct);

        await FluentActions.Awaiting(() => connection.ReceiveAsync(Ct).AsTask()).Should().ThrowAsync<MqttCommunicationException>();
        _broker.Published.GetSnapshot().Select(m => m.Topic).Should().Equal("status/a");
    }

    [Fact]
    public async Task Publish_DropOnNextPublish_DropsTheConnectionAndTheMessageDoesNotReachTheBroker()
    {
        _broker.DropOnNextPublish("a");
        var connection = await ConnectAsync(Options("a", V5));

        await connection.SendAsync(Publish("t", "1", MqttQualityOfServiceLevel.AtMostOnce, 0), Ct);

        await FluentActions.Awaiting(() => connection.ReceiveAsync(Ct).AsTask()).Should().ThrowAsync<MqttCommunicationException>();
        _broker.Published.Count.Should().Be(0);
    }

    [Fact]
    public void RefuseNextPublish_SuccessCode_Throws()
    {
        FluentActions.Invoking(() => _broker.RefuseNextPublish("a", MqttPubAckReasonCode.NoMatchingSubscribers))
            .Should().Throw<ArgumentOutOfRangeException>().WithMessage("A refusal's reason code is 0x80 or more.*");
    }

    [Fact]
    public async Task Route_FakeDeviceClientAndConnection_ReachEachOther()
    {
        await using var fan = new FakeMqttDeviceClient(_broker, Fan, CreateOptions());
        await fan.ConnectAsync(Ct);
        var recorder = new HandlerRecorder();
        await fan.SubscribeAsync([new MqttDeviceSubscription()], recorder.Handler, Ct);
        var connection = await SubscribedAsync("other", V5, ("cattle.io/#", MqttQualityOfServiceLevel.AtMostOnce));

        await fan.PublishAsync(Bytes("from fan"), null, Ct);
        await connection.SendAsync(Publish(FanTopic, "from packets", MqttQualityOfServiceLevel.AtLeastOnce, 1), Ct);

        var fromFan = await NextAsync<MqttPublishPacket>(connection);
        fromFan.Topic.Should().Be(FanTopic);
        (await NextAsync<MqttPublishPacket>(connection)).Topic.Should().Be(FanTopic, "the connection's own publish matches its subscription");
        await NextAsync<MqttPubAckPacket>(connection);
        (await recorder.WaitForCountAsync(2).WaitAsync(Eventually.DefaultTimeout, Ct)).Should().Contain(c => c.EndsWith("from packets", StringComparison.Ordinal));
    }
}
