namespace Octopus.Mqtt.IntegrationTests.Contract;

public abstract partial class DeviceClientContract
{
    [Fact]
    public async Task ConnectAsync_Refused_ThrowsWithTheReasonThenConnectsNextTime()
    {
        var client = Create();
        var states = StatesOf(client);
        RefuseNextConnect(client);

        var failure = await FluentActions.Awaiting(() => client.ConnectAsync(Ct)).Should().ThrowAsync<MqttDeviceClientException>()
            .WithMessage($"The MQTT broker refused the connection of {FanClientId}: NotAuthorized (135). No username or password was sent: client.basicAuth is not set.");
        failure.Which.ReasonCode.Should().Be(135);
        client.State.Should().Be(MqttConnectionState.Disconnected);
        await client.ConnectAsync(Ct);

        states.Transitions.Should().Equal("Disconnected->Connecting", "Connecting->Disconnected", "Disconnected->Connecting", "Connecting->Connected");
        states.Changes[1].Error.Should().BeSameAs(failure.Which);
    }

    [Theory]
    [InlineData(4, "UnspecifiedError (128)", 128)]
    [InlineData(5, "NotAuthorized (135)", 135)]
    public async Task SubscribeAsync_Refused_ThrowsAndTheTopicIsRequestedAgainOnReconnect(int protocolVersion, string reason, int reasonCode)
    {
        var client = await ConnectAsync(Options(configure: o => o.Client.ProtocolVersion = protocolVersion));
        var log = new HandlerLog();
        RefuseNextSubscribe(client);

        var failure = await FluentActions.Awaiting(() => client.SubscribeAsync([new MqttDeviceSubscription()], log.Handler, Ct))
            .Should().ThrowAsync<MqttDeviceClientException>()
            .WithMessage($"The MQTT broker refused the subscription to \"{FanTopic}\": {reason}.");
        failure.Which.ReasonCode.Should().Be(reasonCode);
        await GoOfflineAsync(client);
        await ComeBackAsync(client);
        await InjectAsync(FanTopic, "granted");

        (await log.WaitForCountAsync(1)).Should().Equal($"0:{FanTopic}:granted");
    }

    [Fact]
    public async Task PublishAsync_RefusedByAnMqtt5Broker_DroppedWithTheReasonCode()
    {
        var client = await ConnectAsync(Options(configure: o => o.Client.ProtocolVersion = 5));
        RefuseNextPublish(client);

        var refused = await client.PublishAsync("refused", Ct);
        var next = await client.PublishAsync("accepted", Ct);

        refused.ToString().Should().Be("Dropped (RefusedByBroker, reason code 135)");
        next.Should().BeSameAs(MqttPublishResult.Delivered);
        (await WaitUntilPublishedAsync(all => all.Any(m => m.PayloadText == "\"accepted\""), "the accepted message"))
            .Should().ContainSingle(m => m.PayloadText == "\"accepted\"");
    }

    [Fact]
    public async Task SubscribeAsync_QosChanged_RetainedSentAgain()
    {
        await InjectAsync(FanTopic, "retained", retain: true);
        var client = await ConnectAsync();
        var log = new HandlerLog();
        await client.SubscribeAsync([new MqttDeviceSubscription()], log.Handler, Ct);
        await log.WaitForCountAsync(1);

        await client.SubscribeAsync([new MqttDeviceSubscription { Qos = MqttQos.ExactlyOnce }], log.Handler, Ct);

        (await log.WaitForCountAsync(2)).Should().Equal($"0:{FanTopic}:retained", $"0:{FanTopic}:retained");
    }
}
