namespace Octopus.Mqtt.IntegrationTests.Contract;

public abstract partial class DeviceClientContract
{
    private static MqttOptions Depth(int depth, Action<MqttOptions>? more = null) => Options(configure: o =>
    {
        o.Client.MessageChannelDepth = depth;
        more?.Invoke(o);
    });

    private static MqttDeviceClientOptions Policy(MqttQueueOverflowPolicy policy) => new() { QueueOverflowPolicy = policy };

    [Fact]
    public async Task PublishAsync_Offline_QueuedThenDeliveredInOrderOnReconnect()
    {
        var client = await ConnectAsync();
        await GoOfflineAsync(client);

        var results = new List<MqttPublishResult>();
        for (var i = 0; i < 6; i++)
        {
            results.Add(await client.PublishAsync(Bytes("m" + i), new MqttPublishOptions { Qos = (MqttQos)(i % 3) }, Ct));
        }

        await ComeBackAsync(client);

        results.Should().OnlyContain(r => r == MqttPublishResult.Queued);
        var messages = await WaitUntilPublishedAsync(all => all.Count(m => m.ClientId == FanClientId) >= 6, "the queued messages");
        messages.Where(m => m.ClientId == FanClientId).Select(m => (m.PayloadText, m.Qos)).Should().Equal(
            ("m0", MqttQos.AtMostOnce), ("m1", MqttQos.AtLeastOnce), ("m2", MqttQos.ExactlyOnce),
            ("m3", MqttQos.AtMostOnce), ("m4", MqttQos.AtLeastOnce), ("m5", MqttQos.ExactlyOnce));
    }

    [Fact]
    public async Task PublishAsync_QueueFullDropOldest_TheOldestAreDropped()
    {
        var client = await ConnectAsync(Depth(3));
        await GoOfflineAsync(client);

        var results = new List<MqttPublishResult>();
        for (var i = 0; i < 5; i++)
        {
            results.Add(await client.PublishAsync(Bytes("m" + i), Ct));
        }

        await ComeBackAsync(client);
        await WaitForPayloadsAsync(FanClientId, 3);
        await client.PublishAsync(Bytes("after"), Ct);

        results.Should().OnlyContain(r => r == MqttPublishResult.Queued);
        (await WaitForPayloadsAsync(FanClientId, 4)).Should().Equal("m2", "m3", "m4", "after");
    }

    [Fact]
    public async Task PublishAsync_QueueFullDropOldestWithWaitTimeout_TheDroppedCallSaysSo()
    {
        var client = await ConnectAsync(Depth(1, o => o.Client.WaitTimeout = GoDuration.FromSeconds(30)));
        await GoOfflineAsync(client);

        var first = client.PublishAsync(Bytes("m0"), Ct).AsTask();
        var second = client.PublishAsync(Bytes("m1"), Ct).AsTask();

        (await first).Should().BeSameAs(MqttPublishResult.Dropped(MqttDropReason.QueueOverflow));
        await ComeBackAsync(client);
        (await second).Should().BeSameAs(MqttPublishResult.Delivered);
        (await WaitForPayloadsAsync(FanClientId, 1)).Should().Equal("m1");
    }

    [Fact]
    public async Task PublishAsync_QueueFullDropNewest_TheNewOneIsDropped()
    {
        var client = await ConnectAsync(Depth(2), Policy(MqttQueueOverflowPolicy.DropNewest));
        await GoOfflineAsync(client);

        (await client.PublishAsync(Bytes("m0"), Ct)).Should().BeSameAs(MqttPublishResult.Queued);
        (await client.PublishAsync(Bytes("m1"), Ct)).Should().BeSameAs(MqttPublishResult.Queued);
        (await client.PublishAsync(Bytes("m2"), Ct)).Should().BeSameAs(MqttPublishResult.Dropped(MqttDropReason.QueueOverflow));
        await ComeBackAsync(client);
        await WaitForPayloadsAsync(FanClientId, 2);
        await client.PublishAsync(Bytes("after"), Ct);

        (await WaitForPayloadsAsync(FanClientId, 3)).Should().Equal("m0", "m1", "after");
    }

    [Fact]
    public async Task PublishAsync_QueueFullRefuse_Throws()
    {
        var client = await ConnectAsync(Depth(1), Policy(MqttQueueOverflowPolicy.Refuse));
        await GoOfflineAsync(client);
        await client.PublishAsync(Bytes("m0"), Ct);

        var publish = () => client.PublishAsync(Bytes("m1"), Ct).AsTask();

        await publish.Should().ThrowAsync<MqttDeviceClientException>()
            .WithMessage("The message queue is full: 1 message(s) are waiting to be sent (client.messageChannelDepth); the publish was refused.");
        await ComeBackAsync(client);
        await WaitForPayloadsAsync(FanClientId, 1);
        await client.PublishAsync(Bytes("after"), Ct);
        (await WaitForPayloadsAsync(FanClientId, 2)).Should().Equal("m0", "after");
    }

    [Fact]
    public async Task PublishAsync_QueueFullWait_DeliveredOnceThereIsRoom()
    {
        var client = await ConnectAsync(Depth(1), Policy(MqttQueueOverflowPolicy.Wait));
        await GoOfflineAsync(client);
        await client.PublishAsync(Bytes("m0"), Ct);

        var waiting = client.PublishAsync(Bytes("m1"), Ct).AsTask();
        waiting.IsCompleted.Should().BeFalse();
        await ComeBackAsync(client);

        (await waiting).Should().BeSameAs(MqttPublishResult.Delivered);
        (await WaitForPayloadsAsync(FanClientId, 2)).Should().Equal("m0", "m1");
    }

    [Fact]
    public async Task PublishAsync_QueueFullWaitWithWaitTimeout_DroppedWhenTheTimeIsUp()
    {
        var client = await ConnectAsync(Depth(1, o => o.Client.WaitTimeout = GoDuration.FromMilliseconds(100)), Policy(MqttQueueOverflowPolicy.Wait));
        await GoOfflineAsync(client);
        _ = client.PublishAsync(Bytes("m0"), Ct).AsTask();

        var result = await client.PublishAsync(Bytes("m1"), Ct);

        result.Should().BeSameAs(MqttPublishResult.Dropped(MqttDropReason.QueueOverflow));
    }

    [Fact]
    public async Task PublishAsync_OfflineWithWaitTimeout_DeliveredWhenBackInTime()
    {
        var client = await ConnectAsync(Options(configure: o => o.Client.WaitTimeout = GoDuration.FromSeconds(30)));
        await GoOfflineAsync(client);

        var waiting = client.PublishAsync(Bytes("m0"), Ct).AsTask();
        waiting.IsCompleted.Should().BeFalse();
        await ComeBackAsync(client);

        (await waiting).Should().BeSameAs(MqttPublishResult.Delivered);
    }

    [Fact]
    public async Task StateChanged_ConnectLoseReconnectDispose_SameTransitions()
    {
        var client = Create();
        var states = StatesOf(client);

        await client.ConnectAsync(Ct);
        await client.ConnectAsync(Ct);
        states.Transitions.Should().Equal("Disconnected->Connecting", "Connecting->Connected");

        await GoOfflineAsync(client);
        states.Changes[2].State.Should().Be(MqttConnectionState.Reconnecting);
        states.Changes[2].Error.Should().NotBeNull();

        await ComeBackAsync(client);
        states.Transitions.TakeLast(2).Should().Equal("Reconnecting->Connecting", "Connecting->Connected");

        await client.DisposeAsync();
        states.Transitions[^1].Should().Be("Connected->Disposed");
        client.State.Should().Be(MqttConnectionState.Disposed);
    }
}
