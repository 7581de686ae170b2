using Octopus.Mqtt.Tests.Shared;
using static Octopus.Mqtt.Tests.Testing.FakeSetup;

namespace Octopus.Mqtt.Tests.Testing;

public sealed partial class FakeMqttDeviceClientTests
{
    private static void Mqtt5(MqttOptions options) => options.Client.ProtocolVersion = 5;

    [Fact]
    public async Task PublishAsync_Mqtt5Properties_RecordedByTheFakeBroker()
    {
        var client = await ConnectAsync(Mqtt5);

        await client.PublishAsync(new FanStatus("slow", 1), FakeJsonContext.Default.FanStatus, new MqttPublishOptions
        {
            UserProperties = [new("site", "nord")],
            ResponseTopic = "replies/fan",
            CorrelationData = new byte[] { 3 },
            MessageExpiryInterval = TimeSpan.FromSeconds(60),
        }, Ct);

        var message = _broker.Published.LatestRecord;
        message.UserProperties.Should().Equal(new UserProperty("site", "nord"));
        message.GetUserProperty("site").Should().Be("nord");
        message.ContentType.Should().Be("application/json");
        message.PayloadFormat.Should().Be(MqttPayloadFormat.Utf8);
        message.ResponseTopic.Should().Be("replies/fan");
        message.CorrelationData.ToArray().Should().Equal(3);
        message.MessageExpiryInterval.Should().Be(TimeSpan.FromSeconds(60));
    }

    [Fact]
    public async Task PublishAsync_Mqtt311_RecordsNoProperties()
    {
        var client = await ConnectAsync();

        await client.PublishAsync(new FanStatus("slow", 1), FakeJsonContext.Default.FanStatus, Ct);

        var message = _broker.Published.LatestRecord;
        message.ContentType.Should().BeNull();
        message.UserProperties.Should().BeEmpty();
    }

    [Fact]
    public async Task SubscribeAsync_OneCallWithMessage_GetsTheWholeMessageFromTheFakeBroker()
    {
        var client = await ConnectAsync(Mqtt5, topic: "devices/:name");
        var received = new List<string>();
        await client.SubscribeAsync(
            (message, _) =>
            {
                received.Add($"{message.SubscriptionIndex} {message.Topic} {message.PayloadText} q{(int)message.Qos} {message.ContentType} {message.ResponseTopic} {message.GetUserProperty("origin")} {message.CorrelationData.Length}");
                return ValueTask.CompletedTask;
            },
            Ct);

        var calls = await _broker.PublishAsync("devices/fan", Bytes("on"), new MqttPublishOptions
        {
            Qos = MqttQos.ExactlyOnce,
            ContentType = "text/plain",
            ResponseTopic = "replies/fan",
            UserProperties = [new("origin", "console")],
            CorrelationData = new byte[] { 1, 2 },
        }, Ct);

        calls.Should().Be(1);
        received.Should().Equal("0 devices/fan on q1 text/plain replies/fan console 2");
    }

    [Fact]
    public async Task SubscribeAsync_TypedJson_GetsEachValue()
    {
        var client = await ConnectAsync(topic: "devices/:name");
        var received = new List<FanStatus?>();
        await client.SubscribeAsync(
            FakeJsonContext.Default.FanStatus,
            (status, message, _) =>
            {
                received.Add(status);
                return ValueTask.CompletedTask;
            },
            Ct);

        await _broker.PublishAsync("devices/fan", Bytes("""{"gear":"fast","rotatingSpeed":3}"""), cancellationToken: Ct);

        received.Should().Equal(new FanStatus("fast", 3));
    }

    [Fact]
    public async Task SubscribeAsync_Mqtt311_PropertiesDoNotReachTheHandler()
    {
        var client = await ConnectAsync(topic: "devices/:name");
        MqttReceivedMessage? received = null;
        await client.SubscribeAsync(
            (message, _) =>
            {
                received = ReceivedMessages.Keep(message);
                return ValueTask.CompletedTask;
            },
            Ct);

        await _broker.PublishAsync("devices/fan", Bytes("on"), new MqttPublishOptions { ContentType = "text/plain", UserProperties = [new("a", "b")] }, Ct);

        received!.ContentType.Should().BeNull();
        received.UserProperties.Should().BeEmpty();
    }
}
