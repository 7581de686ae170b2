using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using Octopus.Mqtt.Testing;
using static Octopus.Mqtt.Tests.Testing.FakeSetup;

namespace Octopus.Mqtt.Tests.Testing;

public sealed class FakeMqttMessageTests
{
    private static async Task<FakeMqttMessage> RecordAsync(string payload, MqttQos qos = MqttQos.AtLeastOnce, bool retain = false)
    {
        var broker = new FakeMqttBroker();
        await broker.PublishAsync("devices/fan", Bytes(payload), qos, retain, Ct);
        return broker.Published.LatestRecord;
    }

    [Fact]
    public async Task Properties_TestPublish_DescribeTheMessage()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2024, 5, 1, 12, 0, 0, TimeSpan.Zero));
        var broker = new FakeMqttBroker(time);

        await broker.PublishAsync("devices/fan", Bytes("on"), MqttQos.ExactlyOnce, retain: true, Ct);

        var message = broker.Published.LatestRecord;
        message.Topic.Should().Be("devices/fan");
        message.Payload.ToArray().Should().Equal(Bytes("on"));
        message.PayloadText.Should().Be("on");
        message.Qos.Should().Be(MqttQos.ExactlyOnce);
        message.Retained.Should().BeTrue();
        message.ClientId.Should().Be("fake-test-publisher");
        message.Timestamp.Should().Be(time.GetUtcNow());
    }

    [Fact]
    public async Task ReadJson_DefaultOptions_ReadsCamelCase()
    {
        var message = await RecordAsync("""{"gear":"fast","rotatingSpeed":200}""");

        message.ReadJson<FanStatus>().Should().Be(new FanStatus("fast", 200));
    }

    [Fact]
    public async Task ReadJson_Options_AreUsed()
    {
        var message = await RecordAsync("""{"gear":"fast","rotatingSpeed":200}""");

        message.ReadJson<FanStatus>(new JsonSerializerOptions()).Should().Be(new FanStatus(null!, 0));
    }

    [Fact]
    public async Task ReadJson_String_ReadsIt()
    {
        var message = await RecordAsync("\"tested\"");

        message.ReadJson<string>().Should().Be("tested");
    }

    [Fact]
    public async Task ReadJson_TypeInfo_ReadsTheStatus()
    {
        var message = await RecordAsync("""{"gear":"slow","rotatingSpeed":3}""");

        message.ReadJson(FakeJsonContext.Default.FanStatus).Should().Be(new FanStatus("slow", 3));
    }

    [Fact]
    public async Task ReadJson_NotJson_Throws()
    {
        var message = await RecordAsync("not json");

        message.Invoking(m => m.ReadJson<string>()).Should().Throw<JsonException>();
    }

    [Fact]
    public async Task ReadJsonElement_Object_ExposesItsShape()
    {
        var message = await RecordAsync("""{"gear":"middle","rotatingSpeed":100}""");

        var root = message.ReadJsonElement();

        root.ValueKind.Should().Be(JsonValueKind.Object);
        root.GetProperty("gear").GetString().Should().Be("middle");
        root.GetProperty("rotatingSpeed").GetInt32().Should().Be(100);
    }

    [Fact]
    public async Task ToString_RetainedMessage_DescribesIt()
    {
        var message = await RecordAsync("""{"on":true}""", MqttQos.AtMostOnce, retain: true);

        message.ToString().Should().Be("""devices/fan q0 retained "{"on":true}" from fake-test-publisher""");
    }
}
