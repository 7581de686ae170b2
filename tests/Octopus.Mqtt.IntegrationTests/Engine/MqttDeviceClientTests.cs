using System.Text;
using MQTTnet.Formatter;
using MQTTnet.Protocol;
using Octopus.Mqtt.IntegrationTests.Brokers;

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

    private async Task<MqttTestSubscriber> ObserveAsync(params string[] filters) =>
        Track(await MqttTestSubscriber.ConnectAsync(new MqttClientSettings { Server = _broker.Server }, MqttCredentials.None, MqttQos.ExactlyOnce, filters));

    private MqttDeviceClient Build(EngineBuilder builder) => Track(builder.Build());

    private IReadOnlyList<string> From(string clientId) =>
        [.. _broker.Messages.GetSnapshot().Where(m => m.ClientId == clientId).Select(m => m.PayloadText)];

    private Task<IReadOnlyList<ReceivedMessage>> WaitForMessagesFromAsync(string clientId, Func<IEnumerable<string>, bool> condition, string description) =>
        _broker.Messages.WaitUntilAsync(all => condition(all.Where(m => m.ClientId == clientId).Select(m => m.PayloadText)), description);

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
        (await observer.Messages.WaitForCountAsync(3)).Select(m => (m.PayloadText, m.Qos)).Should().BeEquivalentTo(new[]
        {
            ("{\"qos\":0}", MqttQos.AtMostOnce),
            ("{\"qos\":1}", MqttQos.AtLeastOnce),
            ("{\"qos\":2}", MqttQos.ExactlyOnce),
        });

        var late = await ObserveAsync(builder.Topic + "/#");
        (await late.Messages.WaitForCountAsync(3)).Should().OnlyContain(m => m.Retain, "a late subscriber gets the retained messages");
    }

    [Fact]
    public async Task PublishAsync_WhileBrokerDown_EveryQosQueuedAndDeliveredInOrderAfterItRestarts()
    {
        var builder = new EngineBuilder(_broker.Port);
        var client = Build(builder);
        await client.ConnectAsync(Ct);
        (await client.PublishAsync(Bytes("before"), null, Ct)).Should().BeSameAs(MqttPublishResult.Delivered);

        await _broker.StopAsync();
        await builder.States.WaitForAsync(MqttConnectionState.Reconnecting);
        var results = new List<MqttPublishResult>();
        for (var i = 0; i < 30; i++)
        {
            results.Add(await client.PublishAsync(Bytes("m" + i), new MqttPublishOptions { Qos = (MqttQos)(i % 3) }, Ct));
        }

        results.Should().OnlyContain(r => r == MqttPublishResult.Queued);
        await _broker.StartAsync();

        await WaitForMessagesFromAsync(builder.ClientId, texts => texts.Contains("m29"), "the last queued message");
        From(builder.ClientId).Distinct().Should().Equal(new[] { "before" }.Concat(Enumerable.Range(0, 30).Select(i => "m" + i)), "QoS 0 is queued too, and order holds");
        client.QueuedCount.Should().Be(0);
    }

    [Fact]
    public async Task PublishAsync_ConnectionCutWhileSending_EveryQos1MessageArrivesInOrder()
    {
        await using var proxy = new TcpProxy(_broker.Port);
        var viaProxy = new EngineBuilder(proxy.Port);
        viaProxy.Client.MessageChannelDepth = 1000;
        var client = Build(viaProxy);
        await client.ConnectAsync(Ct);

        var calls = Enumerable.Range(0, 200).Select(i => client.PublishAsync(Bytes("m" + i), null, Ct).AsTask()).ToList();
        foreach (var cutAfter in new[] { 40, 110 })
        {
            await WaitForMessagesFromAsync(viaProxy.ClientId, texts => texts.Count() >= cutAfter, $"{cutAfter} messages");
            proxy.CutAll();
        }

        await WaitForMessagesFromAsync(viaProxy.ClientId, texts => texts.Distinct().Count() == 200, "every message");
        From(viaProxy.ClientId).Distinct().Should().Equal(Enumerable.Range(0, 200).Select(i => "m" + i), "order holds across reconnects");
        (await Task.WhenAll(calls)).Should().NotContain(r => r.Status == MqttPublishStatus.Dropped);
    }

    [Fact]
    public async Task SubscribeAsync_Wildcards_DeliveredWithTheIndexAndRestoredAfterReconnect()
    {
        await using var proxy = new TcpProxy(_broker.Port);
        var viaProxy = new EngineBuilder(proxy.Port);
        var client = Build(viaProxy);
        var received = new ConditionRecorder<string>();
        await client.ConnectAsync(Ct);
        await client.SubscribeAsync(
            [
                new MqttDeviceSubscription { RenderMap = new Dictionary<string, string> { ["filter"] = viaProxy.Topic + "/exact" } },
                new MqttDeviceSubscription { RenderMap = new Dictionary<string, string> { ["filter"] = viaProxy.Topic + "/+/set" }, Qos = MqttQos.ExactlyOnce },
            ],
            (index, topic, payload, _) =>
            {
                received.Add($"{index}:{topic[(viaProxy.Topic.Length + 1)..]}:{Encoding.UTF8.GetString(payload.Span)}");
                return ValueTask.CompletedTask;
            },
            Ct);
        using var publisher = await TestMqttClient.ConnectAsync(_broker.Server, Ct);

        await publisher.PublishTextAsync(viaProxy.Topic + "/gear/set", "fast", cancellationToken: Ct);
        await publisher.PublishTextAsync(viaProxy.Topic + "/exact", "one", cancellationToken: Ct);
        await received.WaitForCountAsync(2);
        proxy.CutAll();
        await viaProxy.States.WaitForAsync(MqttConnectionState.Connected, 2);
        await publisher.PublishTextAsync(viaProxy.Topic + "/on/set", "true", cancellationToken: Ct);

        (await received.WaitForCountAsync(3)).Should().Equal("1:gear/set:fast", "0:exact:one", "1:on/set:true");
    }

    [Fact]
    public async Task SubscribeAsync_HandlerThrows_ConnectionSurvives()
    {
        var builder = new EngineBuilder(_broker.Port);
        var client = Build(builder);
        var received = new ConditionRecorder<string>();
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

                received.Add(text);
                return ValueTask.CompletedTask;
            },
            Ct);
        using var publisher = await TestMqttClient.ConnectAsync(_broker.Server, Ct);

        await publisher.PublishTextAsync(builder.Topic + "/cmd", "bad", cancellationToken: Ct);
        await publisher.PublishTextAsync(builder.Topic + "/cmd", "good", cancellationToken: Ct);

        (await received.WaitForCountAsync(1)).Should().Equal("good");
        client.State.Should().Be(MqttConnectionState.Connected);
        _broker.ConnectionAttempts.GetSnapshot().Count(c => c.ClientId == builder.ClientId).Should().Be(1);
        builder.Logger.Collector.GetSnapshot().Should().Contain(r => r.Id.Id == 1104);
    }

    [Fact]
    public async Task ConnectAsync_BrokerRefusesMqtt311_FallsBackToMqtt31()
    {
        _broker.ValidateConnection = e =>
        {
            if (e.ProtocolVersion != MqttProtocolVersion.V310)
            {
                e.ReasonCode = MqttConnectReasonCode.UnsupportedProtocolVersion;
            }

            return Task.CompletedTask;
        };
        var builder = new EngineBuilder(_broker.Port);
        var client = Build(builder);

        await client.ConnectAsync(Ct);

        client.State.Should().Be(MqttConnectionState.Connected);
        client.ClientId.Should().Be(builder.ShortClientId);
        _broker.ConnectionAttempts.GetSnapshot().Select(a => (a.ClientId, a.ProtocolVersion)).Should().Equal(
            (builder.ClientId, MqttProtocolVersion.V311),
            (builder.ShortClientId, MqttProtocolVersion.V310));
        (await client.PublishAsync(Bytes("over 3.1"), null, Ct)).Should().BeSameAs(MqttPublishResult.Delivered);
    }

    [Fact]
    public async Task KeepAlive_SilentLink_DetectedWithinPingTimeoutAndReconnected()
    {
        await using var proxy = new TcpProxy(_broker.Port);
        var viaProxy = new EngineBuilder(proxy.Port);
        viaProxy.Client.KeepAlive = GoDuration.FromSeconds(2);
        viaProxy.Client.PingTimeout = GoDuration.FromMilliseconds(300);
        var client = Build(viaProxy);
        await client.ConnectAsync(Ct);

        proxy.Silent = true;
        var lost = await viaProxy.States.WaitForAsync(MqttConnectionState.Reconnecting);
        proxy.Silent = false;
        proxy.CutAll();

        lost.Error!.Message.Should().Be("The broker did not answer a ping (PINGREQ) within client.pingTimeout 300ms.");
        await viaProxy.States.WaitForAsync(MqttConnectionState.Connected, 2);
    }

    [Fact]
    public async Task DisposeAsync_BrokerStopsAnswering_StillCompletesSoon()
    {
        await using var proxy = new TcpProxy(_broker.Port);
        var viaProxy = new EngineBuilder(proxy.Port);
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
