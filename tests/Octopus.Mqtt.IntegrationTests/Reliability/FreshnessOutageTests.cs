using System.Collections.Concurrent;
using System.Text;
using MQTTnet;
using MQTTnet.Protocol;
using Octopus.Mqtt.IntegrationTests.Brokers;
using Octopus.Mqtt.IntegrationTests.Publishing;

namespace Octopus.Mqtt.IntegrationTests.Reliability;

/// <summary>
/// After an outage only fresh status is replayed: with message expiry and retained coalescing, what expired while the
/// broker was down and what a newer status replaced are dropped (Expired, Superseded), counted and logged.
/// </summary>
public sealed class FreshnessOutageTests
{
    private const int MessageDropped = 1100;

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private static MqttPublishOptions Path(string path, int expirySeconds) => new()
    {
        RenderMap = new Dictionary<string, string> { ["path"] = path },
        MessageExpiryInterval = TimeSpan.FromSeconds(expirySeconds),
    };

    [Fact]
    public async Task Outage_RetainedStatusesWithExpiryAndCoalescing_OnlyFreshStatusIsReplayed()
    {
        await using var broker = await MosquittoBroker.StartAsync(cancellationToken: Token);
        var time = new RecordingTimeProvider();
        await using var devices = new DeviceClientBuilder(broker.TcpServer) { Time = time };
        devices.Options.Client.ProtocolVersion = 5;
        devices.Options.Message.CoalesceRetained = true;
        var client = await devices.ConnectAsync();
        (await client.PublishAsync("before", Token)).Should().BeSameAs(MqttPublishResult.Delivered);

        await broker.StopAsync();
        await devices.WaitForStateAsync(MqttConnectionState.Reconnecting);
        foreach (var status in new[] { "status 1", "status 2", "status 3" })
        {
            (await client.PublishAsync(status, Path("state", 3600), Token)).Should().BeSameAs(MqttPublishResult.Queued);
        }

        await client.PublishAsync("alarm", Path("alarm", 10), Token);
        await client.PublishAsync("config", Path("config", 3600), Token);
        devices.Logs.GetSnapshot().Count(r => r.Id.Id == MessageDropped && r.Message.EndsWith(": Superseded.", StringComparison.Ordinal)).Should().Be(2);

        // Twenty minutes pass on the client's clock: the alarm expires, and the statuses keep counting down.
        time.Advance(TimeSpan.FromMinutes(20) - TimeSpan.FromSeconds(30));
        await broker.StartAsync(Token);
        using var subscriber = await TestMqttClient.ConnectAsync(TestMqttClient.Options(new MqttClientSettings { Server = broker.TcpServer }, protocolVersion: 5), Token);
        var received = new ConcurrentQueue<MqttApplicationMessage>();
        subscriber.ApplicationMessageReceivedAsync += e =>
        {
            received.Enqueue(e.ApplicationMessage);
            return Task.CompletedTask;
        };
        await subscriber.SubscribeAsync(devices.Topic + "/#", MqttQualityOfServiceLevel.AtLeastOnce, Token);
        var reconnected = devices.WaitForStateAsync(MqttConnectionState.Connected, 2);
        while (!reconnected.IsCompleted)
        {
            time.Advance(TimeSpan.FromMilliseconds(100));
            await Task.WhenAny(reconnected, Task.Delay(10, Token));
        }

        // The replay ends with the last message queued; a status published before it is sent would replace it too.
        await Poll.UntilAsync(() => received.Any(m => Encoding.UTF8.GetString(m.Payload) == "\"config\""), "the queued messages are replayed");
        (await client.PublishAsync("after", Path("state", 3600), Token)).Should().BeSameAs(MqttPublishResult.Delivered);
        await Poll.UntilAsync(() => received.Any(m => Encoding.UTF8.GetString(m.Payload) == "\"after\""), "the status published after the outage arrives");
        received.Select(m => (m.Topic, Encoding.UTF8.GetString(m.Payload))).Should().Equal(
            (devices.TopicWithPath("state"), "\"status 3\""),
            (devices.TopicWithPath("config"), "\"config\""),
            (devices.TopicWithPath("state"), "\"after\""));
        received.First().MessageExpiryInterval.Should().BeInRange(2000, 3600 - (20 * 60) + 30, "the interval that remained is sent");
        devices.Logs.GetSnapshot().Count(r => r.Id.Id == MessageDropped && r.Message.EndsWith(": Expired.", StringComparison.Ordinal)).Should().Be(1);
        devices.Logs.GetSnapshot().Count(r => r.Id.Id == MessageDropped && r.Message.EndsWith(": Superseded.", StringComparison.Ordinal)).Should().Be(2);
    }
}
