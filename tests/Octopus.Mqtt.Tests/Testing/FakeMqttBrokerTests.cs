using Octopus.Mqtt.Testing;
using static Octopus.Mqtt.Tests.Testing.FakeSetup;

namespace Octopus.Mqtt.Tests.Testing;

public sealed class FakeMqttBrokerTests : IAsyncDisposable
{
    private readonly FakeMqttBroker _broker = new();
    private readonly List<FakeMqttDeviceClient> _clients = [];

    public async ValueTask DisposeAsync()
    {
        foreach (var client in _clients)
        {
            await client.DisposeAsync();
        }
    }

    private async Task<FakeMqttDeviceClient> ConnectAsync(string topic, Action<MqttOptions>? configure = null, DeviceIdentity? device = null)
    {
        var client = new FakeMqttDeviceClient(_broker, device ?? Fan, CreateOptions(topic, configure));
        _clients.Add(client);
        await client.ConnectAsync(Ct);
        return client;
    }

    [Fact]
    public async Task PublishAsync_Retained_KeepsTheLatestPerTopic()
    {
        await _broker.PublishAsync("devices/fan", Bytes("1"), retain: true, cancellationToken: Ct);
        await _broker.PublishAsync("devices/fan", Bytes("2"), retain: true, cancellationToken: Ct);
        await _broker.PublishAsync("devices/lamp", Bytes("3"), retain: true, cancellationToken: Ct);
        await _broker.PublishAsync("devices/lamp", Bytes("not retained"), cancellationToken: Ct);

        _broker.GetRetainedMessage("devices/fan")!.PayloadText.Should().Be("2");
        _broker.GetRetainedMessages().Select(m => m.PayloadText).Should().BeEquivalentTo("2", "3");
        _broker.Published.Count.Should().Be(4);
    }

    [Fact]
    public async Task PublishAsync_RetainedEmptyPayload_RemovesTheRetainedMessage()
    {
        await _broker.PublishAsync("devices/fan", Bytes("1"), retain: true, cancellationToken: Ct);

        await _broker.PublishAsync("devices/fan", ReadOnlyMemory<byte>.Empty, retain: true, cancellationToken: Ct);

        _broker.GetRetainedMessage("devices/fan").Should().BeNull();
        _broker.GetRetainedMessages().Should().BeEmpty();
    }

    [Fact]
    public async Task PublishAsync_WildcardTopic_Throws()
    {
        var publish = () => _broker.PublishAsync("devices/+", Bytes("x"), cancellationToken: Ct);

        await publish.Should().ThrowAsync<ArgumentException>()
            .WithMessage("topic: \"devices/+\" is not a valid MQTT topic: The character '+' is not allowed in topics.");
        _broker.Published.Count.Should().Be(0);
    }

    [Fact]
    public async Task PublishAsync_BadQos_Throws()
    {
        var publish = () => _broker.PublishAsync("devices/fan", Bytes("x"), (MqttQos)3, cancellationToken: Ct);

        await publish.Should().ThrowAsync<ArgumentException>().WithMessage("The QoS 3 is not 0, 1 or 2. (Parameter 'qos')");
    }

    [Fact]
    public async Task PublishAsync_NoSubscriber_RecordedAndNoHandlerCalled()
    {
        var calls = await _broker.PublishAsync("devices/fan", Bytes("x"), cancellationToken: Ct);

        calls.Should().Be(0);
        _broker.Published.LatestRecord.ClientId.Should().Be(FakeMqttBroker.TestPublisherClientId);
    }

    [Fact]
    public async Task PublishAsync_WildcardSubscriptions_EachMatchingIndexIsCalled()
    {
        var client = await ConnectAsync("devices/:name/:path/#");
        var recorder = new HandlerRecorder();
        await client.SubscribeAsync(
            [
                new MqttDeviceSubscription { RenderMap = new Dictionary<string, string> { ["path"] = "gear" } },
                new MqttDeviceSubscription(),
                new MqttDeviceSubscription { RenderMap = new Dictionary<string, string> { ["path"] = "on" } },
            ],
            recorder.Handler,
            Ct);

        var calls = await _broker.PublishAsync("devices/fan/gear/set", Bytes("fast"), cancellationToken: Ct);

        calls.Should().Be(2);
        recorder.Calls.Should().Equal("0:devices/fan/gear/set:fast", "1:devices/fan/gear/set:fast");
        client.SubscribedTopics.Should().Equal("devices/fan/gear/#", "devices/fan/#", "devices/fan/on/#");
    }

    [Fact]
    public async Task PublishAsync_SeveralClients_EachSubscriberHandlesIt()
    {
        var fan = await ConnectAsync("devices/:name");
        var lamp = await ConnectAsync("devices/:name", device: Lamp);
        var fanRecorder = new HandlerRecorder();
        var lampRecorder = new HandlerRecorder();
        await fan.SubscribeAsync([new MqttDeviceSubscription()], fanRecorder.Handler, Ct);
        await lamp.SubscribeAsync([new MqttDeviceSubscription()], lampRecorder.Handler, Ct);

        var calls = await _broker.PublishAsync("devices/lamp", Bytes("on"), cancellationToken: Ct);

        calls.Should().Be(1);
        lampRecorder.Calls.Should().Equal("0:devices/lamp:on");
        fanRecorder.Calls.Should().BeEmpty();
    }

    [Fact]
    public async Task PublishAsync_HandlerThrows_ThrowsHereAndTheClientKeepsWorking()
    {
        var client = await ConnectAsync("devices/:name");
        var recorder = new HandlerRecorder();
        await client.SubscribeAsync(
            [new MqttDeviceSubscription()],
            async (index, topic, payload, cancellationToken) =>
            {
                if (payload.Span.SequenceEqual(Bytes("bad")))
                {
                    throw new InvalidOperationException("handler bug");
                }

                await recorder.Handler(index, topic, payload, cancellationToken);
            },
            Ct);

        var bad = () => _broker.PublishAsync("devices/fan", Bytes("bad"), cancellationToken: Ct);
        await bad.Should().ThrowAsync<InvalidOperationException>().WithMessage("handler bug");
        await _broker.PublishAsync("devices/fan", Bytes("good"), cancellationToken: Ct);

        recorder.Calls.Should().Equal("0:devices/fan:good");
        client.State.Should().Be(MqttConnectionState.Connected);
    }

    [Fact]
    public async Task PublishAsync_HandlerThrowsForTwoIndexes_ThrowsAnAggregate()
    {
        var client = await ConnectAsync("devices/:name/#");
        await client.SubscribeAsync(
            [new MqttDeviceSubscription(), new MqttDeviceSubscription { Qos = MqttQos.AtMostOnce, RenderMap = new Dictionary<string, string> { ["a"] = "b" } }],
            (index, _, _, _) => throw new InvalidOperationException($"bug {index}"),
            Ct);

        var publish = () => _broker.PublishAsync("devices/fan/x", Bytes("x"), cancellationToken: Ct);

        var thrown = await publish.Should().ThrowAsync<AggregateException>();
        thrown.Which.InnerExceptions.Select(e => e.Message).Should().Equal("bug 0", "bug 1");
    }

    [Fact]
    public async Task PublishAsync_PersistentSessionOffline_MissedQos1DeliveredOnReconnect()
    {
        var client = await ConnectAsync("devices/:name", o => o.Client.CleanSession = false);
        var recorder = new HandlerRecorder();
        await client.SubscribeAsync([new MqttDeviceSubscription()], recorder.Handler, Ct);
        client.SimulateDisconnect();

        (await _broker.PublishAsync("devices/fan", Bytes("missed q0"), MqttQos.AtMostOnce, cancellationToken: Ct)).Should().Be(0);
        (await _broker.PublishAsync("devices/fan", Bytes("missed q1"), MqttQos.AtLeastOnce, cancellationToken: Ct)).Should().Be(0);
        await client.SimulateReconnectAsync();

        recorder.Calls.Should().Equal("0:devices/fan:missed q1");
    }

    [Fact]
    public async Task PublishAsync_CleanSessionOffline_NothingDeliveredOnReconnect()
    {
        var client = await ConnectAsync("devices/:name");
        var recorder = new HandlerRecorder();
        await client.SubscribeAsync([new MqttDeviceSubscription()], recorder.Handler, Ct);
        client.SimulateDisconnect();

        await _broker.PublishAsync("devices/fan", Bytes("missed"), cancellationToken: Ct);
        await client.SimulateReconnectAsync();
        await _broker.PublishAsync("devices/fan", Bytes("after"), cancellationToken: Ct);

        recorder.Calls.Should().Equal("0:devices/fan:after");
    }

    [Fact]
    public async Task PublishAsync_CancelledWhileHandlerRuns_StopsWaitingButTheMessageIsPublished()
    {
        var client = await ConnectAsync("devices/:name");
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await client.SubscribeAsync([new MqttDeviceSubscription()], async (_, _, _, _) => await release.Task, Ct);
        using var cancel = new CancellationTokenSource();

        var publish = _broker.PublishAsync("devices/fan", Bytes("slow"), cancellationToken: cancel.Token);
        await cancel.CancelAsync();

        await publish.Awaiting(p => p).Should().ThrowAsync<OperationCanceledException>();
        _broker.Published.LatestRecord.PayloadText.Should().Be("slow");
        release.SetResult();
    }
}
