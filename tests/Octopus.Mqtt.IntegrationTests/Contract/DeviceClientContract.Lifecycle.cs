namespace Octopus.Mqtt.IntegrationTests.Contract;

public abstract partial class DeviceClientContract
{
    private const string WillTopic = FanTopic + "/$will";

    private static MqttOptions WithWill(MqttWillSettings? will = null) =>
        Options(configure: o => o.Message.Will = will ?? new MqttWillSettings { Content = Bytes("offline") });

    [Fact]
    public async Task LoseConnectionAbruptly_Will_PublishedRetainedToTheDefaultWillTopic()
    {
        var watch = await WatchAsync(WillTopic);
        var client = await ConnectAsync(WithWill());

        await LoseConnectionAbruptlyAsync(client);

        (await watch.WaitForCountAsync(1)).Should().Equal($"0:{WillTopic}:offline");
        var late = await WatchAsync(WillTopic);
        (await late.WaitForCountAsync(1)).Should().Equal($"0:{WillTopic}:offline");
    }

    [Fact]
    public async Task LoseConnectionAbruptly_WillOptions_TopicAndRetainFollowThem()
    {
        var watch = await WatchAsync("status/fan");
        var client = await ConnectAsync(WithWill(new MqttWillSettings { Topic = "status/:name", Content = Bytes("gone"), Retained = false }));

        await LoseConnectionAbruptlyAsync(client);

        (await watch.WaitForCountAsync(1)).Should().Equal("0:status/fan:gone");
        await InjectAsync("status/fan/marker", "marker", retain: true);
        var late = await WatchAsync("status/#");
        (await late.WaitForCountAsync(1)).Should().Equal("0:status/fan/marker:marker");
    }

    [Fact]
    public async Task DisposeAsync_Graceful_NoWill()
    {
        var watch = await WatchAsync(WillTopic);
        var client = await ConnectAsync(WithWill());
        await client.PublishAsync("last status", Ct);

        await client.DisposeAsync();
        await InjectAsync(WillTopic, "marker");

        (await watch.WaitForCountAsync(1)).Should().Equal($"0:{WillTopic}:marker");
    }

    [Fact]
    public async Task OnlinePayload_ConnectAndDispose_OnlineThenTheWillPayloadRetained()
    {
        var client = await ConnectAsync(WithWill(), new MqttDeviceClientOptions { OnlinePayload = Bytes("online") });

        await client.DisposeAsync();

        var messages = await WaitUntilPublishedAsync(all => all.Count(m => m.ClientId == FanClientId) >= 2, "online and offline");
        messages.Where(m => m.ClientId == FanClientId).Select(m => (m.Topic, m.PayloadText, m.Retain)).Should().Equal(
            (WillTopic, "online", true), (WillTopic, "offline", true));
        var late = await WatchAsync(WillTopic);
        (await late.WaitForCountAsync(1)).Should().Equal($"0:{WillTopic}:offline");
    }

    [Fact]
    public async Task DisposeAsync_Offline_PendingPublishDroppedAsDisposed()
    {
        var client = await ConnectAsync(Options(configure: o => o.Client.WaitTimeout = GoDuration.FromSeconds(30)));
        await GoOfflineAsync(client);
        var waiting = client.PublishAsync(Bytes("never"), Ct).AsTask();

        await client.DisposeAsync();

        (await waiting).Should().BeSameAs(MqttPublishResult.Dropped(MqttDropReason.Disposed));
        client.State.Should().Be(MqttConnectionState.Disposed);
    }

    [Fact]
    public async Task DisposeAsync_ThenEveryCall_ThrowsObjectDisposed()
    {
        var client = await ConnectAsync();

        await client.DisposeAsync();
        await client.DisposeAsync();

        client.State.Should().Be(MqttConnectionState.Disposed);
        await FluentActions.Awaiting(() => client.ConnectAsync(Ct)).Should().ThrowAsync<ObjectDisposedException>();
        await FluentActions.Awaiting(() => client.PublishAsync("x", Ct).AsTask()).Should().ThrowAsync<ObjectDisposedException>();
        await FluentActions.Awaiting(() => client.PublishAsync(Bytes("x"), Ct).AsTask()).Should().ThrowAsync<ObjectDisposedException>();
        await FluentActions.Awaiting(() => client.SubscribeAsync([], new HandlerLog().Handler, Ct)).Should().ThrowAsync<ObjectDisposedException>();
    }
}
