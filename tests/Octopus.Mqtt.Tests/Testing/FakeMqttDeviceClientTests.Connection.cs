using Octopus.Mqtt.Tests.Connection;
using static Octopus.Mqtt.Tests.Testing.FakeSetup;

namespace Octopus.Mqtt.Tests.Testing;

public sealed partial class FakeMqttDeviceClientTests
{
    private const string LostMessage = $"The connection of {FanClientId} to the MQTT broker was lost (simulated).";
    private const string RefusedMessage = $"The MQTT broker refused the connection of {FanClientId}: NotAuthorized (135). No username or password was sent: client.basicAuth is not set.";

    private static void WithWill(MqttOptions options) =>
        options.Message.Will = new MqttWillSettings { Content = Bytes("offline") };

    [Fact]
    public async Task ConnectAsync_Disconnected_ConnectsAndReportsTheStates()
    {
        var client = Create();
        var states = RecordStates(client);

        await client.ConnectAsync(Ct);
        await client.ConnectAsync(Ct);

        client.State.Should().Be(MqttConnectionState.Connected);
        states.Should().Equal("Disconnected->Connecting", "Connecting->Connected");
    }

    [Fact]
    public async Task ConnectAsync_Cancelled_ThrowsAndStaysDisconnected()
    {
        var client = Create();

        await FluentActions.Awaiting(() => client.ConnectAsync(new CancellationToken(canceled: true))).Should().ThrowAsync<OperationCanceledException>();

        client.State.Should().Be(MqttConnectionState.Disconnected);
    }

    [Fact]
    public async Task FailNextConnect_FailFast_ThrowsThenTheNextConnectWorks()
    {
        var client = Create();
        var states = RecordStates(client);
        client.FailNextConnect();

        var failure = await FluentActions.Awaiting(() => client.ConnectAsync(Ct)).Should().ThrowAsync<MqttDeviceClientException>().WithMessage(RefusedMessage);
        failure.Which.ReasonCode.Should().Be(135);
        client.State.Should().Be(MqttConnectionState.Disconnected);
        await client.ConnectAsync(Ct);

        states.Should().Equal("Disconnected->Connecting", $"Connecting->Disconnected: {RefusedMessage}", "Disconnected->Connecting", "Connecting->Connected");
    }

    [Fact]
    public async Task FailNextConnect_RetryInBackground_ReconnectingUntilSimulatedReconnect()
    {
        var client = Create(clientOptions: new MqttDeviceClientOptions { FirstConnectPolicy = MqttFirstConnectPolicy.RetryInBackground });
        var states = RecordStates(client);
        var errors = new List<Exception?>();
        client.StateChanged += (_, e) => errors.Add(e.Error);
        var unreachable = new IOException("unreachable");
        client.FailNextConnect(unreachable);

        await client.ConnectAsync(Ct);
        (await client.PublishAsync(Bytes("queued"), Ct)).Should().BeSameAs(MqttPublishResult.Queued);
        await client.SimulateReconnectAsync();

        states.Should().Equal(
            "Disconnected->Connecting",
            $"Connecting->Reconnecting: Connecting to the MQTT broker as {FanClientId} failed: unreachable",
            "Reconnecting->Connecting",
            "Connecting->Connected");
        errors[1]!.InnerException.Should().BeSameAs(unreachable);
        _broker.Published.LatestRecord.PayloadText.Should().Be("queued");
    }

    [Fact]
    public async Task FailNextConnect_RetryInBackgroundWithoutAutoReconnect_Throws()
    {
        var client = Create(o => o.Client.AutoReconnect = false, new MqttDeviceClientOptions { FirstConnectPolicy = MqttFirstConnectPolicy.RetryInBackground });
        client.FailNextConnect();

        await FluentActions.Awaiting(() => client.ConnectAsync(Ct)).Should().ThrowAsync<MqttDeviceClientException>();

        client.State.Should().Be(MqttConnectionState.Disconnected);
    }

    [Fact]
    public async Task FailNextConnect_RetryInBackground_ReconnectsByItselfWhenTheBackoffIsOver()
    {
        var client = Create(clientOptions: new MqttDeviceClientOptions { FirstConnectPolicy = MqttFirstConnectPolicy.RetryInBackground });
        client.FailNextConnect();
        await client.ConnectAsync(Ct);
        client.State.Should().Be(MqttConnectionState.Reconnecting);

        await Eventually.TrueAsync(
            () =>
            {
                _time.Advance(TimeSpan.FromSeconds(1));
                return client.State == MqttConnectionState.Connected;
            },
            "the client reconnects once its backoff delay has passed");
    }

    [Fact]
    public async Task SimulateDisconnect_ClockAdvances_AttemptsRefusedUntilSimulateReconnect()
    {
        var client = await ConnectAsync();
        client.SimulateDisconnect();
        var states = new System.Collections.Concurrent.ConcurrentQueue<string>();
        client.StateChanged += (_, e) => states.Enqueue($"{e.PreviousState}->{e.State}{(e.Error is null ? string.Empty : ": " + e.Error.Message)}");

        await Eventually.TrueAsync(
            () =>
            {
                _time.Advance(TimeSpan.FromSeconds(1));
                return states.ToArray().Any(s => s.StartsWith("Connecting->Reconnecting", StringComparison.Ordinal));
            },
            "a reconnect attempt of the client's own");
        await Eventually.TrueAsync(() => client.State == MqttConnectionState.Reconnecting, "the attempt is over");
        await client.SimulateReconnectAsync();

        states.ToArray().Should().Contain($"Connecting->Reconnecting: Connecting to the MQTT broker as {FanClientId} failed: The fake broker refuses connections of {FanClientId} (simulated outage).");
        client.State.Should().Be(MqttConnectionState.Connected);
    }

    [Fact]
    public async Task MessageHandover_QueuedMessages_SentByTheSuccessor()
    {
        var old = await ConnectAsync();
        old.SimulateDisconnect();
        (await old.PublishAsync(Bytes("kept"), Ct)).Should().BeSameAs(MqttPublishResult.Queued);

        var messages = await ((IMessageHandover)old).DisposeAndHandOverAsync(keepStored: false);
        var successor = Create();
        ((IMessageHandover)successor).Adopt(messages);
        await successor.ConnectAsync(Ct);

        old.State.Should().Be(MqttConnectionState.Disposed);
        messages.Should().ContainSingle();
        _broker.Published.GetSnapshot().Select(m => m.PayloadText).Should().Equal("kept");
        successor.Published.GetSnapshot().Select(m => m.PayloadText).Should().Equal("kept");
    }

    [Fact]
    public async Task SimulateDisconnect_Connected_ReconnectingWithoutWill()
    {
        var client = await ConnectAsync(WithWill);
        var states = RecordStates(client);

        client.SimulateDisconnect();

        client.State.Should().Be(MqttConnectionState.Reconnecting);
        states.Should().Equal($"Connected->Reconnecting: {LostMessage}");
        _broker.Published.Count.Should().Be(0);
    }

    [Fact]
    public async Task SimulateDisconnect_Reason_ReportedByStateChanged()
    {
        var client = await ConnectAsync();
        var states = RecordStates(client);

        client.SimulateDisconnect(new IOException("network unreachable"));

        states.Should().Equal("Connected->Reconnecting: network unreachable");
    }

    [Fact]
    public async Task SimulateDisconnect_NotConnected_Throws()
    {
        var client = Create();

        client.Invoking(c => c.SimulateDisconnect()).Should().Throw<InvalidOperationException>()
            .WithMessage("Simulating the loss of the connection needs a connected client; this one is Disconnected.");
        await client.DisposeAsync();
        client.Invoking(c => c.SimulateDisconnect()).Should().Throw<ObjectDisposedException>();
    }

    [Fact]
    public async Task SimulateDisconnect_WithoutAutoReconnect_DisconnectedUntilConnectAsync()
    {
        var client = await ConnectAsync(o => o.Client.AutoReconnect = false);
        var states = RecordStates(client);

        client.SimulateDisconnect();
        await FluentActions.Awaiting(client.SimulateReconnectAsync).Should().ThrowAsync<InvalidOperationException>()
            .WithMessage("SimulateReconnectAsync needs a client that is Reconnecting; this one is Disconnected. Call ConnectAsync to connect it.");
        await client.ConnectAsync(Ct);

        states.Should().Equal($"Connected->Disconnected: {LostMessage}", "Disconnected->Connecting", "Connecting->Connected");
    }

    [Fact]
    public async Task SimulateReconnectAsync_Connected_Throws()
    {
        var client = await ConnectAsync();

        await FluentActions.Awaiting(client.SimulateReconnectAsync).Should().ThrowAsync<InvalidOperationException>()
            .WithMessage("SimulateReconnectAsync needs a client that is Reconnecting; this one is Connected.");
    }

    [Fact]
    public async Task SimulateReconnectAsync_FailNextConnect_StaysReconnecting()
    {
        var client = await ConnectAsync();
        client.SimulateDisconnect();
        var states = RecordStates(client);
        client.FailNextConnect();

        await client.SimulateReconnectAsync();
        await client.SimulateReconnectAsync();

        states.Should().Equal("Reconnecting->Connecting", $"Connecting->Reconnecting: {RefusedMessage}", "Reconnecting->Connecting", "Connecting->Connected");
    }

    [Fact]
    public async Task SimulateReconnectAsync_QueuedMessages_DeliveredInOrder()
    {
        var client = await ConnectAsync();
        client.SimulateDisconnect();
        for (var i = 0; i < 5; i++)
        {
            (await client.PublishAsync(Bytes("m" + i), new MqttPublishOptions { Qos = (MqttQos)(i % 3) }, Ct)).Should().BeSameAs(MqttPublishResult.Queued);
        }

        await client.SimulateReconnectAsync();

        _broker.Published.GetSnapshot().Select(m => (m.PayloadText, m.Qos)).Should().Equal(
            ("m0", MqttQos.AtMostOnce), ("m1", MqttQos.AtLeastOnce), ("m2", MqttQos.ExactlyOnce), ("m3", MqttQos.AtMostOnce), ("m4", MqttQos.AtLeastOnce));
        client.QueuedCount.Should().Be(0);
    }

    [Fact]
    public async Task SimulateConnectionLossAsync_Will_PublishedRetainedToTheDefaultWillTopic()
    {
        var client = await ConnectAsync(WithWill);
        var lamp = Create(topic: "cattle.io/octopus/default/device/+/$will", device: Lamp);
        await lamp.ConnectAsync(Ct);
        var recorder = new HandlerRecorder();
        await lamp.SubscribeAsync([new MqttDeviceSubscription()], recorder.Handler, Ct);

        await client.SimulateConnectionLossAsync();

        client.State.Should().Be(MqttConnectionState.Reconnecting);
        var will = _broker.Published.LatestRecord;
        (will.Topic, will.PayloadText, will.Qos, will.Retained, will.ClientId).Should().Be((FanTopic + "/$will", "offline", MqttQos.AtLeastOnce, true, FanClientId));
        _broker.GetRetainedMessage(FanTopic + "/$will")!.PayloadText.Should().Be("offline");
        recorder.Calls.Should().Equal($"0:{FanTopic}/$will:offline");
        client.Published.LatestRecord.Should().BeSameAs(will);
    }

    [Fact]
    public async Task SimulateConnectionLossAsync_WillOptions_TopicQosAndRetainFollowThem()
    {
        var client = await ConnectAsync(o => o.Message.Will = new MqttWillSettings { Topic = "status/:name", Content = Bytes("gone"), Qos = MqttQos.AtMostOnce, Retained = false });

        await client.SimulateConnectionLossAsync();

        var will = _broker.Published.LatestRecord;
        (will.Topic, will.PayloadText, will.Qos, will.Retained).Should().Be(("status/fan", "gone", MqttQos.AtMostOnce, false));
        _broker.GetRetainedMessages().Should().BeEmpty();
    }

    [Fact]
    public async Task SimulateConnectionLossAsync_NoWill_NothingPublished()
    {
        var client = await ConnectAsync();

        await client.SimulateConnectionLossAsync();

        client.State.Should().Be(MqttConnectionState.Reconnecting);
        _broker.Published.Count.Should().Be(0);
    }

    [Fact]
    public async Task OnlinePayload_ConnectAndDispose_PublishOnlineThenTheWillPayload()
    {
        var client = await ConnectAsync(WithWill, new MqttDeviceClientOptions { OnlinePayload = Bytes("online") });
        client.SimulateDisconnect();
        await client.SimulateReconnectAsync();

        await client.DisposeAsync();

        _broker.Published.GetSnapshot().Select(m => (m.Topic, m.PayloadText, m.Retained)).Should().Equal(
            (FanTopic + "/$will", "online", true), (FanTopic + "/$will", "online", true), (FanTopic + "/$will", "offline", true));
    }

    [Fact]
    public async Task DisposeAsync_Connected_NoWillAndDisposed()
    {
        var client = await ConnectAsync(WithWill);
        var states = RecordStates(client);

        await client.DisposeAsync();
        await client.DisposeAsync();

        client.State.Should().Be(MqttConnectionState.Disposed);
        states.Should().Equal("Connected->Disposed");
        _broker.Published.Count.Should().Be(0);
    }

    [Fact]
    public async Task DisposeAsync_Offline_QueuedMessagesDropped()
    {
        var client = await ConnectAsync(o => o.Client.WaitTimeout = GoDuration.FromMinutes(1));
        client.SimulateDisconnect();
        var waiting = client.PublishAsync(Bytes("never"), Ct).AsTask();

        await client.DisposeAsync();

        (await waiting).Should().BeSameAs(MqttPublishResult.Dropped(MqttDropReason.Disposed));
        client.QueuedCount.Should().Be(0);
        _broker.Published.Count.Should().Be(0);
    }

    [Fact]
    public async Task DisposeAsync_WaitingForRoom_ThrowsObjectDisposed()
    {
        var client = await ConnectAsync(o => o.Client.MessageChannelDepth = 1, new MqttDeviceClientOptions { QueueOverflowPolicy = MqttQueueOverflowPolicy.Wait });
        client.SimulateDisconnect();
        await client.PublishAsync(Bytes("1"), Ct);
        var waiting = client.PublishAsync(Bytes("2"), Ct).AsTask();

        await client.DisposeAsync();

        await waiting.Awaiting(w => w).Should().ThrowAsync<ObjectDisposedException>();
    }

    [Fact]
    public async Task DisposeAsync_ThenEveryCall_ThrowsObjectDisposed()
    {
        var client = await ConnectAsync();

        await client.DisposeAsync();

        await FluentActions.Awaiting(() => client.ConnectAsync(Ct)).Should().ThrowAsync<ObjectDisposedException>();
        await FluentActions.Awaiting(() => client.SubscribeAsync([], new HandlerRecorder().Handler, Ct)).Should().ThrowAsync<ObjectDisposedException>();
        await FluentActions.Awaiting(() => client.PublishAsync("x", Ct).AsTask()).Should().ThrowAsync<ObjectDisposedException>();
        await FluentActions.Awaiting(client.SimulateReconnectAsync).Should().ThrowAsync<ObjectDisposedException>();
    }
}
