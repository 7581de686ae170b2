namespace Octopus.Mqtt.IntegrationTests.Contract;

public abstract partial class DeviceClientContract
{
    private const string PathTemplate = "cattle.io/octopus/:namespace/device/:name/:path";

    private static MqttDeviceSubscription OnPath(string path, MqttQos? qos = null) => new() { RenderMap = Map("path", path), Qos = qos };

    [Fact]
    public async Task SubscribeAsync_RenderMaps_HandlerGetsIndexTopicAndPayload()
    {
        var client = await ConnectAsync(Options(OperatorTemplate, StatusAndSet));
        var log = new HandlerLog();
        await client.SubscribeAsync([OnPath("gear"), OnPath("on")], log.Handler, Ct);

        await InjectAsync("cattle.io/octopus/status/device/default/fan/on", "true");
        await InjectAsync("cattle.io/octopus/set/device/default/fan/gear", "ignored");
        await InjectAsync("cattle.io/octopus/status/device/default/fan/gear", "fast");

        (await log.WaitForCountAsync(2)).Should().Equal(
            "1:cattle.io/octopus/status/device/default/fan/on:true",
            "0:cattle.io/octopus/status/device/default/fan/gear:fast");
    }

    [Fact]
    public async Task SubscribeAsync_RetainedMessage_DeliveredOnSubscribe()
    {
        await InjectAsync(FanTopic + "/gear", "middle", retain: true);
        var client = await ConnectAsync(Options(PathTemplate));
        var log = new HandlerLog();

        await client.SubscribeAsync([OnPath("gear")], log.Handler, Ct);

        (await log.WaitForCountAsync(1)).Should().Equal($"0:{FanTopic}/gear:middle");
    }

    [Fact]
    public async Task SubscribeAsync_RetainedStatusOfAnotherDevice_DeliveredToAWildcardSubscriber()
    {
        var fan = await ConnectAsync(role: ClientRole.Observer);
        await fan.PublishAsync(Bytes("status"), Ct);
        await WaitForPayloadsAsync(FanClientId, 1);

        var log = await WatchAsync("cattle.io/octopus/+/device/#");

        (await log.WaitForCountAsync(1)).Should().Equal($"0:{FanTopic}:status");
    }

    [Fact]
    public async Task SubscribeAsync_OverlappingWildcards_EachMatchingIndexOnce()
    {
        var client = await ConnectAsync(Options("cattle.io/octopus/:name/:path/#"));
        var log = new HandlerLog();
        await client.SubscribeAsync([OnPath("gear"), new MqttDeviceSubscription(), OnPath("on")], log.Handler, Ct);

        await InjectAsync("cattle.io/octopus/fan/gear/set", "fast");
        await InjectAsync("cattle.io/octopus/fan/on", "true");

        (await log.WaitForCountAsync(4)).Should().Equal(
            "0:cattle.io/octopus/fan/gear/set:fast",
            "1:cattle.io/octopus/fan/gear/set:fast",
            "1:cattle.io/octopus/fan/on:true",
            "2:cattle.io/octopus/fan/on:true");
    }

    [Fact]
    public async Task SubscribeAsync_NewSet_StaleTopicsUnsubscribedAndHandlerReplaced()
    {
        var client = await ConnectAsync(Options(PathTemplate));
        var old = new HandlerLog();
        var log = new HandlerLog();
        await client.SubscribeAsync([OnPath("a"), OnPath("b")], old.Handler, Ct);

        await client.SubscribeAsync([OnPath("b"), OnPath("c")], log.Handler, Ct);
        await InjectAsync(FanTopic + "/a", "1");
        await InjectAsync(FanTopic + "/b", "2");
        await InjectAsync(FanTopic + "/c", "3");

        (await log.WaitForCountAsync(2)).Should().Equal($"0:{FanTopic}/b:2", $"1:{FanTopic}/c:3");
        old.Calls.Should().BeEmpty();
    }

    [Fact]
    public async Task SubscribeAsync_SameSetAgain_RetainedNotSentAgain()
    {
        await InjectAsync(FanTopic, "retained", retain: true);
        var client = await ConnectAsync();
        var log = new HandlerLog();
        await client.SubscribeAsync([new MqttDeviceSubscription()], log.Handler, Ct);
        await log.WaitForCountAsync(1);

        await client.SubscribeAsync([new MqttDeviceSubscription()], log.Handler, Ct);
        await InjectAsync(FanTopic, "marker");

        (await log.WaitForCountAsync(2)).Should().Equal($"0:{FanTopic}:retained", $"0:{FanTopic}:marker");
    }

    [Fact]
    public async Task SubscribeAsync_AfterReconnect_SubscriptionsRestored()
    {
        var client = await ConnectAsync(Options(PathTemplate));
        var log = new HandlerLog();
        await client.SubscribeAsync([OnPath("gear")], log.Handler, Ct);

        await GoOfflineAsync(client);
        await ComeBackAsync(client);
        await InjectAsync(FanTopic + "/gear", "after");

        (await log.WaitForCountAsync(1)).Should().Equal($"0:{FanTopic}/gear:after");
    }

    [Fact]
    public async Task SubscribeAsync_Offline_AppliedOnConnect()
    {
        await InjectAsync(FanTopic, "retained", retain: true);
        var client = Create();
        var log = new HandlerLog();

        await client.SubscribeAsync([new MqttDeviceSubscription()], log.Handler, Ct);
        await client.ConnectAsync(Ct);

        (await log.WaitForCountAsync(1)).Should().Equal($"0:{FanTopic}:retained");
    }

    [Fact]
    public async Task SubscribeAsync_HandlerThrows_NextMessageStillArrives()
    {
        var client = await ConnectAsync();
        var log = new HandlerLog();
        await client.SubscribeAsync(
            [new MqttDeviceSubscription()],
            (index, topic, payload, cancellationToken) => payload.Span.SequenceEqual(Bytes("bad"))
                ? throw new InvalidOperationException("handler bug")
                : log.Handler(index, topic, payload, cancellationToken),
            Ct);

        await InjectAsync(FanTopic, "bad");
        await InjectAsync(FanTopic, "good");

        (await log.WaitForCountAsync(1)).Should().Equal($"0:{FanTopic}:good");
        client.State.Should().Be(MqttConnectionState.Connected);
    }

    [Fact]
    public async Task SubscribeAsync_OwnPublish_ReachesTheHandler()
    {
        var client = await ConnectAsync();
        var log = new HandlerLog();
        await client.SubscribeAsync([new MqttDeviceSubscription()], log.Handler, Ct);

        await client.PublishAsync("echo", new MqttPublishOptions { Retained = false }, Ct);

        (await log.WaitForCountAsync(1)).Should().Equal($"0:{FanTopic}:\"echo\"");
    }

    [Fact]
    public async Task SubscribeAsync_InvalidSubscriptions_ThrowNamingTheSubscription()
    {
        var client = await ConnectAsync(Options(PathTemplate));
        var handler = new HandlerLog().Handler;

        await FluentActions.Awaiting(() => client.SubscribeAsync([new MqttDeviceSubscription(), null!], handler, Ct))
            .Should().ThrowAsync<ArgumentException>().WithMessage("subscriptions[1] is null. (Parameter 'subscriptions')");
        await FluentActions.Awaiting(() => client.SubscribeAsync([OnPath("a", (MqttQos)3)], handler, Ct))
            .Should().ThrowAsync<ArgumentException>().WithMessage("subscriptions[0]: the QoS 3 is not 0, 1 or 2. (Parameter 'subscriptions')");
        await FluentActions.Awaiting(() => client.SubscribeAsync([OnPath("+")], handler, Ct))
            .Should().ThrowAsync<MqttTopicException>();
    }
}
