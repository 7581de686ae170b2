using static Octopus.Mqtt.Tests.Testing.FakeSetup;

namespace Octopus.Mqtt.Tests.Testing;

public sealed partial class FakeMqttDeviceClientTests
{
    private const string OperatorTemplate = "cattle.io/octopus/:operator/device/:namespace/:name/:path";

    private static void StatusAndSet(MqttOptions options) =>
        options.Message.Operator = new MqttTopicOperator { Read = "status", Write = "set" };

    private static MqttDeviceSubscription Path(string path, MqttQos? qos = null) =>
        new() { RenderMap = new Dictionary<string, string> { ["path"] = path }, Qos = qos };

    [Fact]
    public async Task SubscribeAsync_ReadOperator_RendersTheSubscribeTopics()
    {
        var client = await ConnectAsync(StatusAndSet, topic: OperatorTemplate);

        await client.SubscribeAsync([new MqttDeviceSubscription(), Path("gear")], new HandlerRecorder().Handler, Ct);

        client.SubscribedTopics.Should().Equal("cattle.io/octopus/status/device/default/fan", "cattle.io/octopus/status/device/default/fan/gear");
    }

    [Fact]
    public async Task SubscribeAsync_RetainedMessage_HandledBeforeItReturns()
    {
        await _broker.PublishAsync("devices/fan/gear", Bytes("fast"), retain: true, cancellationToken: Ct);
        await _broker.PublishAsync("devices/fan/other", Bytes("x"), retain: true, cancellationToken: Ct);
        var client = await ConnectAsync(topic: "devices/:name/:path");
        var recorder = new HandlerRecorder();

        await client.SubscribeAsync([Path("on"), Path("gear")], recorder.Handler, Ct);

        recorder.Calls.Should().Equal("1:devices/fan/gear:fast");
    }

    [Fact]
    public async Task SubscribeAsync_RetainedMatchingTwoFilters_ArrivesOnceForEachIndex()
    {
        await _broker.PublishAsync("devices/fan/gear", Bytes("fast"), retain: true, cancellationToken: Ct);
        var client = await ConnectAsync(topic: "devices/:name/#");
        var recorder = new HandlerRecorder();

        await client.SubscribeAsync([new MqttDeviceSubscription(), new MqttDeviceSubscription { Qos = MqttQos.AtMostOnce }], recorder.Handler, Ct);

        recorder.Calls.Should().Equal("0:devices/fan/gear:fast", "1:devices/fan/gear:fast");
    }

    [Fact]
    public async Task SubscribeAsync_SameSetAgain_RetainedNotSentAgain()
    {
        await _broker.PublishAsync("devices/fan", Bytes("on"), retain: true, cancellationToken: Ct);
        var client = await ConnectAsync(topic: "devices/:name");
        var recorder = new HandlerRecorder();
        await client.SubscribeAsync([new MqttDeviceSubscription()], recorder.Handler, Ct);

        await client.SubscribeAsync([new MqttDeviceSubscription()], recorder.Handler, Ct);
        await client.SubscribeAsync([new MqttDeviceSubscription { Qos = MqttQos.ExactlyOnce }], recorder.Handler, Ct);

        recorder.Calls.Should().Equal("0:devices/fan:on", "0:devices/fan:on");
    }

    [Fact]
    public async Task SubscribeAsync_NewSet_ReplacesTheStaleTopicsAndTheHandler()
    {
        var client = await ConnectAsync(topic: "devices/:name/:path");
        var old = new HandlerRecorder();
        var recorder = new HandlerRecorder();
        await client.SubscribeAsync([Path("a"), Path("b")], old.Handler, Ct);

        await client.SubscribeAsync([Path("b"), Path("c")], recorder.Handler, Ct);

        (await _broker.PublishAsync("devices/fan/a", Bytes("1"), cancellationToken: Ct)).Should().Be(0);
        (await _broker.PublishAsync("devices/fan/b", Bytes("2"), cancellationToken: Ct)).Should().Be(1);
        (await _broker.PublishAsync("devices/fan/c", Bytes("3"), cancellationToken: Ct)).Should().Be(1);
        recorder.Calls.Should().Equal("0:devices/fan/b:2", "1:devices/fan/c:3");
        old.Calls.Should().BeEmpty();
    }

    [Fact]
    public async Task SubscribeAsync_EmptySet_UnsubscribesEverything()
    {
        var client = await ConnectAsync(topic: "devices/:name");
        var recorder = new HandlerRecorder();
        await client.SubscribeAsync([new MqttDeviceSubscription()], recorder.Handler, Ct);

        await client.SubscribeAsync([], recorder.Handler, Ct);

        (await _broker.PublishAsync("devices/fan", Bytes("1"), cancellationToken: Ct)).Should().Be(0);
        client.SubscribedTopics.Should().BeEmpty();
    }

    [Fact]
    public async Task SubscribeAsync_Offline_AppliedOnConnect()
    {
        await _broker.PublishAsync("devices/fan", Bytes("retained"), retain: true, cancellationToken: Ct);
        var client = Create(topic: "devices/:name");
        var recorder = new HandlerRecorder();

        await client.SubscribeAsync([new MqttDeviceSubscription()], recorder.Handler, Ct);
        recorder.Calls.Should().BeEmpty();
        await client.ConnectAsync(Ct);

        recorder.Calls.Should().Equal("0:devices/fan:retained");
    }

    [Fact]
    public async Task SubscribeAsync_CleanSessionReconnect_RestoredWithTheRetainedMessagesAgain()
    {
        await _broker.PublishAsync("devices/fan", Bytes("retained"), retain: true, cancellationToken: Ct);
        var client = await ConnectAsync(topic: "devices/:name");
        var recorder = new HandlerRecorder();
        await client.SubscribeAsync([new MqttDeviceSubscription()], recorder.Handler, Ct);

        client.SimulateDisconnect();
        await client.SimulateReconnectAsync();
        await _broker.PublishAsync("devices/fan", Bytes("after"), cancellationToken: Ct);

        recorder.Calls.Should().Equal("0:devices/fan:retained", "0:devices/fan:retained", "0:devices/fan:after");
    }

    [Fact]
    public async Task SubscribeAsync_PersistentSessionReconnect_NotSubscribedAgain()
    {
        await _broker.PublishAsync("devices/fan", Bytes("retained"), retain: true, cancellationToken: Ct);
        var client = await ConnectAsync(o => o.Client.CleanSession = false, topic: "devices/:name");
        var recorder = new HandlerRecorder();
        await client.SubscribeAsync([new MqttDeviceSubscription()], recorder.Handler, Ct);

        client.SimulateDisconnect();
        await client.SimulateReconnectAsync();
        await _broker.PublishAsync("devices/fan", Bytes("after"), cancellationToken: Ct);

        recorder.Calls.Should().Equal("0:devices/fan:retained", "0:devices/fan:after");
    }

    [Fact]
    public async Task SubscribeAsync_OwnPublish_ReachesTheHandler()
    {
        var client = await ConnectAsync(topic: "devices/:name");
        var recorder = new HandlerRecorder();
        await client.SubscribeAsync([new MqttDeviceSubscription()], recorder.Handler, Ct);

        await client.PublishAsync(Bytes("echo"), new MqttPublishOptions { Retained = false }, Ct);

        (await recorder.WaitForCountAsync(1)).Should().Equal("0:devices/fan:echo");
    }

    [Fact]
    public async Task SubscribeAsync_CalledFromTheHandler_DoesNotWaitForItself()
    {
        await _broker.PublishAsync("devices/fan/b", Bytes("retained b"), retain: true, cancellationToken: Ct);
        var client = await ConnectAsync(topic: "devices/:name/:path");
        var recorder = new HandlerRecorder();
        MqttMessageHandler handler = null!;
        handler = async (index, topic, payload, cancellationToken) =>
        {
            await recorder.Handler(index, topic, payload, cancellationToken);
            if (topic.EndsWith("/a", StringComparison.Ordinal))
            {
                await client.SubscribeAsync([Path("a"), Path("b")], handler, cancellationToken);
            }
        };
        await client.SubscribeAsync([Path("a")], handler, Ct);

        await _broker.PublishAsync("devices/fan/a", Bytes("switch"), cancellationToken: Ct);

        (await recorder.WaitForCountAsync(2)).Should().Equal("0:devices/fan/a:switch", "1:devices/fan/b:retained b");
    }

    [Fact]
    public async Task SubscribeAsync_Invalid_ThrowsNamingTheSubscription()
    {
        var client = await ConnectAsync(topic: "devices/:name/:path");
        var handler = new HandlerRecorder().Handler;

        await FluentActions.Awaiting(() => client.SubscribeAsync([new MqttDeviceSubscription(), null!], handler, Ct))
            .Should().ThrowAsync<ArgumentException>().WithMessage("subscriptions[1] is null. (Parameter 'subscriptions')");
        await FluentActions.Awaiting(() => client.SubscribeAsync([Path("a", (MqttQos)3)], handler, Ct))
            .Should().ThrowAsync<ArgumentException>().WithMessage("subscriptions[0]: the QoS 3 is not 0, 1 or 2. (Parameter 'subscriptions')");
        await FluentActions.Awaiting(() => client.SubscribeAsync([Path("+")], handler, Ct))
            .Should().ThrowAsync<MqttTopicException>().WithMessage("The value \"+\" of :path would put the wildcard \"+\" into the topic; a value cannot contain \"+\", \"#\" or U+0000.");
        client.SubscribedTopics.Should().BeEmpty();
    }

    [Fact]
    public async Task SubscribeAsync_HandlerToken_CancelledOnDispose()
    {
        var client = await ConnectAsync(topic: "devices/:name");
        var recorder = new HandlerRecorder();
        await client.SubscribeAsync([new MqttDeviceSubscription()], recorder.Handler, Ct);
        await _broker.PublishAsync("devices/fan", Bytes("1"), cancellationToken: Ct);

        await client.DisposeAsync();

        recorder.LastToken.IsCancellationRequested.Should().BeTrue();
        (await _broker.PublishAsync("devices/fan", Bytes("2"), cancellationToken: Ct)).Should().Be(0);
    }

    [Fact]
    public async Task FailNextSubscribe_Default_ThrowsKeepsTheSetAndRetriesOnReconnect()
    {
        var client = await ConnectAsync(topic: "devices/:name");
        var recorder = new HandlerRecorder();
        client.FailNextSubscribe();

        var subscribe = () => client.SubscribeAsync([new MqttDeviceSubscription()], recorder.Handler, Ct);

        var failure = await subscribe.Should().ThrowAsync<MqttDeviceClientException>()
            .WithMessage("The MQTT broker refused the subscription to \"devices/fan\": UnspecifiedError (128).");
        failure.Which.ReasonCode.Should().Be(128);
        client.SubscribedTopics.Should().Equal("devices/fan");
        (await _broker.PublishAsync("devices/fan", Bytes("refused"), cancellationToken: Ct)).Should().Be(0);
        client.SimulateDisconnect();
        await client.SimulateReconnectAsync();
        (await _broker.PublishAsync("devices/fan", Bytes("granted"), cancellationToken: Ct)).Should().Be(1);
        recorder.Calls.Should().Equal("0:devices/fan:granted");
    }

    [Fact]
    public async Task FailNextSubscribe_Mqtt5_NotAuthorized()
    {
        var client = await ConnectAsync(o => o.Client.ProtocolVersion = 5, topic: "devices/:name");
        client.FailNextSubscribe();

        var failure = await FluentActions.Awaiting(() => client.SubscribeAsync([new MqttDeviceSubscription()], new HandlerRecorder().Handler, Ct))
            .Should().ThrowAsync<MqttDeviceClientException>()
            .WithMessage("The MQTT broker refused the subscription to \"devices/fan\": NotAuthorized (135).");
        failure.Which.ReasonCode.Should().Be(135);
    }

    [Fact]
    public async Task FailNextSubscribe_Exception_ThrownAndTheNextSubscribeWorks()
    {
        var client = await ConnectAsync(topic: "devices/:name/:path");
        client.FailNextSubscribe(new TimeoutException("no SUBACK"));

        await FluentActions.Awaiting(() => client.SubscribeAsync([Path("a")], new HandlerRecorder().Handler, Ct))
            .Should().ThrowAsync<TimeoutException>().WithMessage("no SUBACK");
        await client.SubscribeAsync([Path("a")], new HandlerRecorder().Handler, Ct);

        (await _broker.PublishAsync("devices/fan/a", Bytes("1"), cancellationToken: Ct)).Should().Be(1);
    }

    [Fact]
    public async Task FailNextSubscribe_Offline_RefusedOnConnectWithoutAnException()
    {
        var client = Create(topic: "devices/:name");
        await client.SubscribeAsync([new MqttDeviceSubscription()], new HandlerRecorder().Handler, Ct);
        client.FailNextSubscribe();

        await client.ConnectAsync(Ct);

        client.State.Should().Be(MqttConnectionState.Connected);
        (await _broker.PublishAsync("devices/fan", Bytes("1"), cancellationToken: Ct)).Should().Be(0);
    }
}
