using System.Collections.Concurrent;
using System.Text;
using MQTTnet;
using MQTTnet.Packets;
using MQTTnet.Protocol;
using Octopus.Mqtt.IntegrationTests.Brokers;
using Octopus.Mqtt.IntegrationTests.Publishing;
using Octopus.Mqtt.Tests.Shared;

namespace Octopus.Mqtt.IntegrationTests.Interop;

/// <summary>MQTT 5 message properties through Debian's mosquitto, between the device client and a plain MQTTnet client.</summary>
public sealed class MosquittoPropertiesTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private static async Task<IMqttClient> ConnectMqtt5Async(string server) =>
        await TestMqttClient.ConnectAsync(TestMqttClient.Options(new MqttClientSettings { Server = server }, protocolVersion: 5), Token);

    [Fact]
    public async Task PublishAsync_Mqtt5EveryProperty_ReachesAnMqttNetSubscriber()
    {
        await using var broker = await MosquittoBroker.StartAsync(cancellationToken: Token);
        await using var devices = new DeviceClientBuilder(broker.TcpServer);
        devices.Options.Client.ProtocolVersion = 5;
        using var subscriber = await ConnectMqtt5Async(broker.TcpServer);
        var received = new ConcurrentQueue<MqttApplicationMessage>();
        subscriber.ApplicationMessageReceivedAsync += e =>
        {
            received.Enqueue(e.ApplicationMessage);
            return Task.CompletedTask;
        };
        await subscriber.SubscribeAsync(devices.Topic, MqttQualityOfServiceLevel.AtLeastOnce, Token);
        var client = await devices.ConnectAsync();

        var result = await client.PublishAsync("ön", new MqttPublishOptions
        {
            UserProperties = [new("site", "nord"), new("site", "süd"), new("empty", string.Empty)],
            ResponseTopic = devices.TopicWithPath("reply"),
            CorrelationData = new byte[] { 1, 2, 255 },
            MessageExpiryInterval = TimeSpan.FromSeconds(120),
        }, Token);
        await client.PublishAsync(new byte[] { 0xFF }, new MqttPublishOptions { ContentType = "application/octet-stream", Retained = false }, Token);

        result.Should().BeSameAs(MqttPublishResult.Delivered);
        await Poll.UntilAsync(() => received.Count == 2, "both messages arrive");
        var json = received.First();
        Encoding.UTF8.GetString(json.Payload).Should().Be("\"ön\"");
        json.UserProperties.Select(p => (p.Name, p.ReadValueAsString())).Should().Equal(("site", "nord"), ("site", "süd"), ("empty", string.Empty));
        json.ContentType.Should().Be("application/json");
        json.PayloadFormatIndicator.Should().Be(MqttPayloadFormatIndicator.CharacterData);
        json.ResponseTopic.Should().Be(devices.TopicWithPath("reply"));
        json.CorrelationData.Should().Equal(1, 2, 255);
        json.MessageExpiryInterval.Should().BeInRange(1, 120, "mosquitto sends what remains of the interval");
        var bytes = received.Last();
        bytes.ContentType.Should().Be("application/octet-stream");
        bytes.PayloadFormatIndicator.Should().Be(MqttPayloadFormatIndicator.Unspecified);
        bytes.UserProperties.Should().BeNullOrEmpty();
    }

    [Fact]
    public async Task SubscribeAsync_Mqtt5PropertiesFromAnotherClient_ReachTheHandlerWhole()
    {
        await using var broker = await MosquittoBroker.StartAsync(cancellationToken: Token);
        await using var devices = new DeviceClientBuilder(broker.TcpServer);
        devices.Options.Client.ProtocolVersion = 5;
        var client = await devices.ConnectAsync();
        var received = new ConditionRecorder<MqttReceivedMessage>();
        await client.SubscribeAsync(
            [new MqttDeviceSubscription(), new MqttDeviceSubscription { RenderMap = new Dictionary<string, string> { ["path"] = "set" } }],
            (message, _) =>
            {
                received.Add(ReceivedMessages.Keep(message));
                return ValueTask.CompletedTask;
            },
            Token);

        using var commander = await ConnectMqtt5Async(broker.TcpServer);
        await commander.PublishAsync(
            new MqttApplicationMessageBuilder()
                .WithTopic(devices.TopicWithPath("set"))
                .WithPayload("""{"gear":"fast"}"""u8.ToArray())
                .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.ExactlyOnce)
                .WithContentType("application/json")
                .WithPayloadFormatIndicator(MqttPayloadFormatIndicator.CharacterData)
                .WithMessageExpiryInterval(300)
                .WithResponseTopic(devices.TopicWithPath("reply"))
                .WithCorrelationData([4, 2])
                .WithUserProperty("origin", new ReadOnlyMemory<byte>(Encoding.UTF8.GetBytes("console")))
                .Build(),
            Token);

        var message = (await received.WaitForCountAsync(1)).Single();
        message.Topic.Should().Be(devices.TopicWithPath("set"));
        message.PayloadText.Should().Be("""{"gear":"fast"}""");
        message.Qos.Should().Be(MqttQos.AtLeastOnce, "the subscription's QoS (message.qos) caps the delivery");
        message.SubscriptionIndex.Should().Be(1);
        message.ContentType.Should().Be("application/json");
        message.PayloadFormat.Should().Be(MqttPayloadFormat.Utf8);
        message.MessageExpiryInterval.Should().BeGreaterThan(TimeSpan.Zero).And.BeLessThanOrEqualTo(TimeSpan.FromSeconds(300));
        message.ResponseTopic.Should().Be(devices.TopicWithPath("reply"));
        message.CorrelationData.ToArray().Should().Equal(4, 2);
        message.UserProperties.Should().Equal(new UserProperty("origin", "console"));
    }
}
