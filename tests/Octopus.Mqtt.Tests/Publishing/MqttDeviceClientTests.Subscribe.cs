using System.Collections.Concurrent;
using System.Text;
using MQTTnet;
using Octopus.Mqtt.Tests.Connection;

namespace Octopus.Mqtt.Tests.Publishing;

public sealed partial class MqttDeviceClientTests
{
    private readonly ConcurrentQueue<string> _received = new();
    private int _nextDeliveryId;

    private static MqttDeviceSubscription Sub(string key, MqttQos? qos = null) =>
        new() { RenderMap = new Dictionary<string, string> { ["key"] = key }, Qos = qos };

    private ValueTask Record(int index, string topic, ReadOnlyMemory<byte> payload, CancellationToken cancellationToken)
    {
        _received.Enqueue($"{index}:{topic}:{Encoding.UTF8.GetString(payload.Span)}");
        return ValueTask.CompletedTask;
    }

    /// <summary>Delivers a QoS 1 message and waits until the client acknowledged it, which it does after its handler returned.</summary>
    private async Task DeliverHandledAsync(string topic, string payload)
    {
        var connection = _harness.Broker.Current;
        var id = (ushort)Interlocked.Increment(ref _nextDeliveryId);
        await connection.DeliverAsync(topic, payload, MQTTnet.Protocol.MqttQualityOfServiceLevel.AtLeastOnce, id);
        await Eventually.TrueAsync(() => connection.DeliveryAcks.Contains($"PUBACK {id}"), $"the client acknowledged delivery {id}");
    }

    [Fact]
    public async Task SubscribeAsync_Connected_SubscribesAndDeliversWithTheIndex()
    {
        var client = await _harness.ConnectedAsync();

        await client.SubscribeAsync([Sub("status"), Sub("gear", MqttQos.ExactlyOnce)], Record, Ct);
        await DeliverHandledAsync("cattle.io/octopus/default/case1/gear", "fast");

        _harness.Broker.SubscriptionLog.Should().Equal("+cattle.io/octopus/default/case1/status@1", "+cattle.io/octopus/default/case1/gear@2");
        _received.Should().Equal("1:cattle.io/octopus/default/case1/gear:fast");
    }

    [Fact]
    public async Task SubscribeAsync_WildcardFilter_DeliversMatchingTopics()
    {
        var client = await _harness.ConnectedAsync();

        await client.SubscribeAsync([Sub("exact"), Sub("+/set"), Sub("#")], Record, Ct);
        await DeliverHandledAsync("cattle.io/octopus/default/case1/gear/set", "1");
        await DeliverHandledAsync("elsewhere", "2");

        _received.Should().Equal("1:cattle.io/octopus/default/case1/gear/set:1", "2:cattle.io/octopus/default/case1/gear/set:1");
    }

    [Fact]
    public async Task SubscribeAsync_NewSet_UnsubscribesStaleAndSubscribesNewOnly()
    {
        var client = await _harness.ConnectedAsync();
        await client.SubscribeAsync([Sub("a"), Sub("b")], Record, Ct);

        await client.SubscribeAsync([Sub("b"), Sub("c")], Record, Ct);
        await client.SubscribeAsync([Sub("b", MqttQos.AtMostOnce), Sub("c")], Record, Ct);
        await client.SubscribeAsync([], Record, Ct);

        var log = _harness.Broker.SubscriptionLog.Select(s => s.Replace("cattle.io/octopus/default/case1/", string.Empty, StringComparison.Ordinal)).ToList();
        log.Take(5).Should().Equal("+a@1", "+b@1", "-a", "+c@1", "+b@0");
        log.Skip(5).Should().BeEquivalentTo("-b", "-c");
    }

    [Fact]
    public async Task SubscribeAsync_Offline_IsAppliedOnConnectAndRestoredAfterEveryReconnect()
    {
        var client = _harness.Create();
        await client.SubscribeAsync([Sub("a")], Record, Ct);
        _harness.Broker.SubscriptionLog.Should().BeEmpty();

        await client.ConnectAsync(Ct);
        await _harness.Broker.Current.DropAsync();
        await _harness.PassBackoffAsync(TimeSpan.FromSeconds(1));
        await Eventually.TrueAsync(() => client.State == MqttConnectionState.Connected, "reconnected");
        await DeliverHandledAsync("cattle.io/octopus/default/case1/a", "after");

        _harness.Broker.SubscriptionLog.Should().Equal("+cattle.io/octopus/default/case1/a@1", "+cattle.io/octopus/default/case1/a@1");
        _received.Should().Equal("0:cattle.io/octopus/default/case1/a:after");
    }

    [Fact]
    public async Task SubscribeAsync_SessionPresent_DoesNotSubscribeAgain()
    {
        _harness.Client.CleanSession = false;
        var client = await _harness.ConnectedAsync();
        await client.SubscribeAsync([Sub("a")], Record, Ct);
        _harness.Broker.SessionPresent = true;

        await _harness.Broker.Current.DropAsync();
        await _harness.PassBackoffAsync(TimeSpan.FromSeconds(1));
        await Eventually.TrueAsync(() => client.State == MqttConnectionState.Connected, "reconnected");

        _harness.Broker.SubscriptionLog.Should().ContainSingle();
    }

    [Fact]
    public async Task SubscribeAsync_HandlerThrows_IsLoggedAndLaterMessagesStillArrive()
    {
        var client = await _harness.ConnectedAsync();
        var calls = 0;
        await client.SubscribeAsync([Sub("a")], (index, topic, payload, ct) =>
        {
            if (Interlocked.Increment(ref calls) == 1)
            {
                throw new InvalidOperationException("handler bug");
            }

            return Record(index, topic, payload, ct);
        }, Ct);

        await DeliverHandledAsync("cattle.io/octopus/default/case1/a", "1");
        await DeliverHandledAsync("cattle.io/octopus/default/case1/a", "2");

        _received.Should().Equal("0:cattle.io/octopus/default/case1/a:2");
        var log = _harness.Logger.Collector.GetSnapshot().Should().ContainSingle(r => r.Id.Id == 1104).Subject;
        log.Exception!.Message.Should().Be("handler bug");
        client.State.Should().Be(MqttConnectionState.Connected);
    }

    [Fact]
    public async Task SubscribeAsync_Refused_ThrowsWithTheReason()
    {
        _harness.Broker.RefusedFilters["cattle.io/octopus/default/case1/secret"] = MqttClientSubscribeResultCode.NotAuthorized;
        _harness.Client.ProtocolVersion = 5;
        var client = await _harness.ConnectedAsync();

        var failure = await FluentActions.Awaiting(() => client.SubscribeAsync([Sub("ok"), Sub("secret")], Record, Ct)).Should().ThrowAsync<MqttDeviceClientException>();

        failure.Which.Message.Should().Be("The MQTT broker refused the subscription to \"cattle.io/octopus/default/case1/secret\": NotAuthorized (135).");
        failure.Which.ReasonCode.Should().Be(135);
    }

    [Fact]
    public async Task SubscribeAsync_InvalidFilter_IsRefusedBeforeAnythingChanges()
    {
        var client = await _harness.ConnectedAsync();

        await FluentActions.Awaiting(() => client.SubscribeAsync([Sub("a"), Sub("#/b")], Record, Ct)).Should().ThrowAsync<ArgumentException>()
            .WithMessage("subscriptions[1]: \"cattle.io/octopus/default/case1/#/b\" is not a valid MQTT topic filter: * (Parameter 'subscriptions')");
        _harness.Broker.SubscriptionLog.Should().BeEmpty();
    }
}
