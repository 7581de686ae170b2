using System.Collections.Concurrent;
using System.Text;
using MQTTnet.Formatter;
using MQTTnet.Protocol;

namespace Octopus.Mqtt.IntegrationTests.Engine;

/// <summary>The engine against a real MQTTnet broker on 127.0.0.1.</summary>
public sealed class MqttDeviceClientTests : IAsyncLifetime
{
    private readonly List<IAsyncDisposable> _disposables = [];
    private InProcessBroker _broker = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() => _broker = await InProcessBroker.StartAsync();

    public async ValueTask DisposeAsync()
    {
        for (var i = _disposables.Count - 1; i >= 0; i--)
        {
            await _disposables[i].DisposeAsync();
        }

        await _broker.DisposeAsync();
    }

    private T Track<T>(T disposable)
        where T : IAsyncDisposable
    {
        _disposables.Add(disposable);
        return disposable;
    }

    private async Task<Observer> ObserveAsync(params string[] filters) => Track(await Observer.ConnectAsync(_broker.Port, filters));

    private MqttDeviceClient Build(EngineBuilder builder) => Track(builder.Build());

    private static byte[] Bytes(string text) => Encoding.UTF8.GetBytes(text);

    [Fact]
    public async Task PublishAsync_EachQos_DeliveredWithRetain()
    {
        var builder = new EngineBuilder(_broker.Port);
        var observer = await ObserveAsync(builder.Topic + "/#");
        var client = Build(builder);
        await client.ConnectAsync(Ct);

        var results = new List<MqttPublishResult>();
        foreach (var qos in new[] { MqttQos.AtMostOnce, MqttQos.AtLeastOnce, MqttQos.ExactlyOnce })
        {
            var options = new MqttPublishOptions { Qos = qos, RenderMap = new Dictionary<string, string> { ["topic"] = builder.Topic + "/qos" + (int)qos } };
            results.Add(await client.PublishAsync(new { qos = (int)qos }, options, Ct));
        }

        results.Should().OnlyContain(r => r == MqttPublishResult.Delivered);
        await Eventually.TrueAsync(() => observer.Received.Count == 3, "the observer receives all three");
        observer.Received.Select(m => (m.Text, m.Qos)).Should().BeEquivalentTo(new[]
        {
            ("{\"qos\":0}", MqttQualityOfServiceLevel.AtMostOnce),
            ("{\"qos\":1}", MqttQualityOfServiceLevel.AtLeastOnce),
            ("{\"qos\":2}", MqttQualityOfServiceLevel.ExactlyOnce),
        });

        var late = await ObserveAsync(builder.Topic + "/#");
        await Eventually.TrueAsync(() => late.Received.Count == 3, "a late subscriber gets the retained messages");
        late.Received.Should().OnlyContain(m => m.Retain);
    }

    [Fact]
    public async Task PublishAsync_WhileBrokerDown_QueuedAndDeliveredInOrderAfterItRestarts()
    {
        var builder = new EngineBuilder(_broker.Port);
        var client = Build(builder);
        await client.ConnectAsync(Ct);
        (await client.PublishAsync(Bytes("before"), null, Ct)).Should().BeSameAs(MqttPublishResult.Delivered);

        await _broker.StopAsync();
        await Eventually.TrueAsync(() => client.State != MqttConnectionState.Connected, "the client notices the broker is gone");
        var results = new List<MqttPublishResult>();
        for (var i = 0; i < 30; i++)
        {
            results.Add(await client.PublishAsync(Bytes("m" + i), new MqttPublishOptions { Qos = (MqttQos)(i % 3) }, Ct));
        }

        results.Should().OnlyContain(r => r == MqttPublishResult.Queued);
        await _broker.StartAgainAsync();

        await Eventually.TrueAsync(() => _broker.From(builder.ClientId).Count() >= 31, "every queued message reaches the broker");
        await Eventually.TrueAsync(() => client.QueuedCount == 0, "the queue is empty");
        _broker.From(builder.ClientId).Select(m => m.Text).Distinct().Should().Equal(new[] { "before" }.Concat(Enumerable.Range(0, 30).Select(i => "m" + i)));
    }

    [Fact]
    public async Task PublishAsync_ConnectionCutWhileSending_EveryQos1MessageArrivesInOrder()
    {
        var builder = new EngineBuilder(_broker.Port);
        await using var proxy = new TcpProxy(_broker.Port);
        var viaProxy = new EngineBuilder(proxy.Port) { Device = builder.Device, Topic = builder.Topic };
        viaProxy.Client.MessageChannelDepth = 1000;
        var client = Build(viaProxy);
        await client.ConnectAsync(Ct);

        var calls = Enumerable.Range(0, 200).Select(i => client.PublishAsync(Bytes("m" + i), null, Ct).AsTask()).ToList();
        foreach (var cutAfter in new[] { 40, 110 })
        {
            await Eventually.TrueAsync(() => _broker.From(builder.ClientId).Count() >= cutAfter, $"{cutAfter} messages arrived");
            proxy.CutAll();
        }

        await Eventually.TrueAsync(() => _broker.From(builder.ClientId).Select(m => m.Text).Distinct().Count() == 200, "every message reaches the broker");
        var arrived = _broker.From(builder.ClientId).Select(m => m.Text).ToList();
        arrived.Distinct().Should().Equal(Enumerable.Range(0, 200).Select(i => "m" + i), "order holds across reconnects");
        (await Task.WhenAll(calls)).Should().NotContain(r => r.Status == MqttPublishStatus.Dropped);
    }

    [Fact]
    public async Task SubscribeAsync_Wildcards_DeliveredWithTheIndexAndRestoredAfterReconnect()
    {
        var builder = new EngineBuilder(_broker.Port);
        await using var proxy = new TcpProxy(_broker.Port);
        var client = Build(new EngineBuilder(proxy.Port) { Device = builder.Device, Topic = builder.Topic });
        var received = new ConcurrentQueue<string>();
        await client.ConnectAsync(Ct);
        await client.SubscribeAsync(
            [
                new MqttDeviceSubscription { RenderMap = new Dictionary<string, string> { ["filter"] = builder.Topic + "/exact" } },
                new MqttDeviceSubscription { RenderMap = new Dictionary<string, string> { ["filter"] = builder.Topic + "/+/set" }, Qos = MqttQos.ExactlyOnce },
            ],
            (index, topic, payload, _) =>
            {
                received.Enqueue($"{index}:{topic[(builder.Topic.Length + 1)..]}:{Encoding.UTF8.GetString(payload.Span)}");
                return ValueTask.CompletedTask;
            },
            Ct);
        var publisher = await ObserveAsync();

        await publisher.PublishAsync(builder.Topic + "/gear/set", "fast");
        await publisher.PublishAsync(builder.Topic + "/exact", "one");
        await Eventually.TrueAsync(() => received.Count == 2, "both messages reach the handler");
        proxy.CutAll();
        await Eventually.TrueAsync(() => _broker.Connects.Count(c => c.ClientId == builder.ClientId) == 2 && client.State == MqttConnectionState.Connected, "reconnected");
        await publisher.PublishAsync(builder.Topic + "/on/set", "true");

        await Eventually.TrueAsync(() => received.Count == 3, "the subscription works after the reconnect");
        received.Should().Equal("1:gear/set:fast", "0:exact:one", "1:on/set:true");
    }

    [Fact]
    public async Task SubscribeAsync_HandlerThrows_ConnectionSurvives()
    {
        var builder = new EngineBuilder(_broker.Port);
        var client = Build(builder);
        var received = new ConcurrentQueue<string>();
        await client.ConnectAsync(Ct);
        await client.SubscribeAsync(
            [new MqttDeviceSubscription()],
            (_, _, payload, _) =>
            {
                var text = Encoding.UTF8.GetString(payload.Span);
                if (text == "bad")
                {
                    throw new InvalidOperationException("handler bug");
                }

                received.Enqueue(text);
                return ValueTask.CompletedTask;
            },
            Ct);
        var publisher = await ObserveAsync();

        await publisher.PublishAsync(builder.Topic + "/cmd", "bad");
        await publisher.PublishAsync(builder.Topic + "/cmd", "good");

        await Eventually.TrueAsync(() => received.Count == 1, "the next message still arrives");
        received.Should().Equal("good");
        client.State.Should().Be(MqttConnectionState.Connected);
        _broker.Connects.Count(c => c.ClientId == builder.ClientId).Should().Be(1);
        builder.Logger.Collector.GetSnapshot().Should().Contain(r => r.Id.Id == 1104);
    }

    [Fact]
    public async Task DisposeAsync_Graceful_SendsNoWill()
    {
        var builder = new EngineBuilder(_broker.Port);
        builder.WillTopic = builder.Topic + "/$will";
        var watcher = await ObserveAsync(builder.WillTopic);
        var client = builder.Build();
        await client.ConnectAsync(Ct);
        await client.PublishAsync(Bytes("last status"), null, Ct);

        await client.DisposeAsync();
        await watcher.PublishAsync(builder.WillTopic, "marker");

        await Eventually.TrueAsync(() => watcher.Received.Any(m => m.Text == "marker"), "the marker arrives");
        watcher.Received.Select(m => m.Text).Should().Equal(["marker"], "a graceful disconnect must not trigger the will");
        client.State.Should().Be(MqttConnectionState.Disposed);
    }

    [Fact]
    public async Task ConnectionCut_Abruptly_BrokerPublishesTheWill()
    {
        var builder = new EngineBuilder(_broker.Port);
        await using var proxy = new TcpProxy(_broker.Port);
        var viaProxy = new EngineBuilder(proxy.Port) { Device = builder.Device, Topic = builder.Topic, WillTopic = builder.Topic + "/$will" };
        var watcher = await ObserveAsync(viaProxy.WillTopic);
        var client = Build(viaProxy);
        await client.ConnectAsync(Ct);

        proxy.CutAll();

        await Eventually.TrueAsync(() => watcher.Received.Any(m => m.Text == "offline"), "the will is published");
    }

    [Fact]
    public async Task ConnectAsync_BadPassword_FailsWithTheBrokersReason()
    {
        _broker.Validate = e => e.ReasonCode = e.Password == "right" ? MqttConnectReasonCode.Success : MqttConnectReasonCode.BadUserNameOrPassword;
        var builder = new EngineBuilder(_broker.Port) { Password = "wrong" };
        var client = Build(builder);

        var failure = await FluentActions.Awaiting(() => client.ConnectAsync(Ct)).Should().ThrowAsync<MqttDeviceClientException>();

        failure.Which.ReasonCode.Should().Be(134);
        failure.Which.Message.Should().Be($"The MQTT broker refused the connection of {builder.ClientId}: BadUserNameOrPassword (134).");
        client.State.Should().Be(MqttConnectionState.Disconnected);
    }

    [Fact]
    public async Task ConnectAsync_BrokerRefusesMqtt311_FallsBackToMqtt31()
    {
        _broker.Validate = e =>
        {
            if (e.ProtocolVersion != MqttProtocolVersion.V310)
            {
                e.ReasonCode = MqttConnectReasonCode.UnsupportedProtocolVersion;
            }
        };
        var builder = new EngineBuilder(_broker.Port);
        var client = Build(builder);

        await client.ConnectAsync(Ct);

        client.State.Should().Be(MqttConnectionState.Connected);
        client.ClientId.Should().Be(builder.ShortClientId);
        _broker.Connects.Should().Equal((builder.ClientId, MqttProtocolVersion.V311), (builder.ShortClientId, MqttProtocolVersion.V310));
        (await client.PublishAsync(Bytes("over 3.1"), null, Ct)).Should().BeSameAs(MqttPublishResult.Delivered);
    }

    [Fact]
    public async Task KeepAlive_SilentLink_DetectedWithinPingTimeoutAndReconnected()
    {
        var builder = new EngineBuilder(_broker.Port);
        await using var proxy = new TcpProxy(_broker.Port);
        var viaProxy = new EngineBuilder(proxy.Port) { Device = builder.Device, Topic = builder.Topic };
        viaProxy.Client.KeepAlive = GoDuration.FromSeconds(2);
        viaProxy.Client.PingTimeout = GoDuration.FromMilliseconds(300);
        var client = Build(viaProxy);
        var lost = new TaskCompletionSource<Exception?>(TaskCreationOptions.RunContinuationsAsynchronously);
        client.StateChanged += (_, e) =>
        {
            if (e.State == MqttConnectionState.Reconnecting)
            {
                lost.TrySetResult(e.Error);
            }
        };
        await client.ConnectAsync(Ct);

        proxy.Silent = true;
        var reason = await lost.Task.WaitAsync(Eventually.DefaultTimeout, Ct);
        proxy.Silent = false;
        proxy.CutAll();

        reason!.Message.Should().Be("The broker did not answer a ping (PINGREQ) within client.pingTimeout 300ms.");
        await Eventually.TrueAsync(() => client.State == MqttConnectionState.Connected, "reconnected once the link works again");
    }

    [Fact]
    public async Task FileStore_ProcessKilledBeforeSending_NextClientWithTheSameUidDeliversTheMessages()
    {
        var prefix = Directory.CreateTempSubdirectory("octopus-mqtt-engine-").FullName;
        try
        {
            var builder = new EngineBuilder(_broker.Port);
            builder.Client.Store = new MqttStoreSettings { Type = MqttStoreType.File, DirectoryPrefix = prefix };
            var killed = builder.Build();
            (await killed.PublishAsync(Bytes("kept 1"), null, Ct)).Should().BeSameAs(MqttPublishResult.Queued);
            (await killed.PublishAsync(Bytes("kept 2"), new MqttPublishOptions { Qos = MqttQos.ExactlyOnce }, Ct)).Should().BeSameAs(MqttPublishResult.Queued);

            var restarted = Build(builder);
            await restarted.ConnectAsync(Ct);

            await Eventually.TrueAsync(() => _broker.From(builder.ClientId).Count() == 2, "the kept messages reach the broker");
            _broker.From(builder.ClientId).Select(m => (m.Text, m.Qos)).Should().Equal(("kept 1", MqttQualityOfServiceLevel.AtLeastOnce), ("kept 2", MqttQualityOfServiceLevel.ExactlyOnce));
            await Eventually.TrueAsync(() => Directory.GetFiles(Path.Combine(prefix, builder.Device.Uid)).Length == 0, "acknowledged messages leave the store");
        }
        finally
        {
            Directory.Delete(prefix, recursive: true);
        }
    }

    [Fact]
    public async Task ConnectAsync_BrokerNeverAnswers_FailsAfterConnectTimeout()
    {
        using var mute = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        mute.Start();
        var port = ((System.Net.IPEndPoint)mute.LocalEndpoint).Port;
        var builder = new EngineBuilder(port);
        builder.Client.ConnectTimeout = GoDuration.FromMilliseconds(300);
        var client = Build(builder);

        var failure = await FluentActions.Awaiting(() => client.ConnectAsync(Ct)).Should().ThrowAsync<MqttDeviceClientException>();

        failure.Which.Message.Should().Be($"Connecting to the MQTT broker as {builder.ClientId} did not complete within client.connectTimeout 300ms.");
        failure.Which.ReasonCode.Should().BeNull();
    }

    [Fact]
    public async Task DisposeAsync_BrokerStopsAnswering_StillCompletesSoon()
    {
        var builder = new EngineBuilder(_broker.Port);
        await using var proxy = new TcpProxy(_broker.Port);
        var viaProxy = new EngineBuilder(proxy.Port) { Device = builder.Device, Topic = builder.Topic };
        viaProxy.Client.DisconnectQuiesce = GoDuration.FromMilliseconds(300);
        viaProxy.Client.WaitTimeout = GoDuration.FromSeconds(30);
        var client = viaProxy.Build();
        await client.ConnectAsync(Ct);
        proxy.Silent = true;
        var call = client.PublishAsync(Bytes("unanswered"), null, Ct).AsTask();

        await client.DisposeAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(5), Ct);

        (await call).Should().BeSameAs(MqttPublishResult.Dropped(MqttDropReason.Disposed));
        client.State.Should().Be(MqttConnectionState.Disposed);
    }
}
