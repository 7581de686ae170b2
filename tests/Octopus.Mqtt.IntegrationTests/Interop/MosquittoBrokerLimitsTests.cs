using System.Globalization;
using Octopus.Mqtt.IntegrationTests.Brokers;
using Octopus.Mqtt.IntegrationTests.Publishing;

namespace Octopus.Mqtt.IntegrationTests.Interop;

/// <summary>
/// An MQTT 5 broker announces in its CONNACK what it will not accept; mosquitto closes the connection of a client that
/// sends it anyway. Such a message is dropped as Invalid instead of being resent after every reconnect, blocking the
/// messages behind it.
/// </summary>
public sealed class MosquittoBrokerLimitsTests
{
    private const int PublishInvalidEventId = 1103;

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    public static TheoryData<string, int, MqttQos, bool, string> Violations => new()
    {
        { "max_packet_size 1000", 2000, MqttQos.AtLeastOnce, false, "its PUBLISH packet would be {0} bytes, and the broker accepts 1000 at most (its CONNACK's Maximum Packet Size)" },
        { "max_qos 1", 10, MqttQos.ExactlyOnce, false, "the broker accepts QoS 1 at most (its CONNACK's Maximum QoS), and the message has QoS 2" },
        { "retain_available false", 10, MqttQos.AtLeastOnce, true, "the broker does not keep retained messages (its CONNACK's Retain Available is 0), and the message has the retain flag; set message.retained false" },
    };

    [Theory]
    [MemberData(nameof(Violations))]
    public async Task PublishAsync_Mqtt5MessageTheBrokerRefusesToCarry_DroppedAsInvalidAndLaterMessagesFlow(string limit, int payloadLength, MqttQos qos, bool retain, string reason)
    {
        await using var broker = await MosquittoBroker.StartAsync(new MosquittoOptions { ExtraConfiguration = [limit] }, Token);
        await using var devices = new DeviceClientBuilder(broker.TcpServer);
        devices.Options.Client.ProtocolVersion = 5;
        devices.Options.Message.Retained = false;
        await using var subscriber = await MqttTestSubscriber.ConnectAsync(broker.TcpServer, devices.Topic);
        var client = await devices.ConnectAsync();

        var refused = await client.PublishAsync(new byte[payloadLength], new MqttPublishOptions { Qos = qos, Retained = retain }, Token);
        var next = await client.PublishAsync("next", Token);

        refused.Should().BeSameAs(MqttPublishResult.Dropped(MqttDropReason.Invalid));
        next.Should().BeSameAs(MqttPublishResult.Delivered);
        (await subscriber.Messages.WaitForTopicAsync(devices.Topic)).PayloadText.Should().Be("\"next\"");
        devices.States.CountOf(MqttConnectionState.Connected).Should().Be(1, "the connection was never put at risk");
        // Fixed header (1 + 2 length bytes), topic (2 + its length), packet identifier (2), no properties (1), payload.
        var packetSize = 3 + 2 + devices.Topic.Length + 2 + 1 + payloadLength;
        devices.Logs.GetSnapshot().Single(r => r.Id.Id == PublishInvalidEventId).Exception!.Message.Should().Be(
            $"The message cannot be sent to this broker: {string.Format(CultureInfo.InvariantCulture, reason, packetSize)}.");
    }

    [Fact]
    public async Task PublishAsync_Mqtt5WithinTheBrokersDefaults_QosTwoRetainedIsDelivered()
    {
        await using var broker = await MosquittoBroker.StartAsync(cancellationToken: Token);
        await using var devices = new DeviceClientBuilder(broker.TcpServer);
        devices.Options.Client.ProtocolVersion = 5;
        var client = await devices.ConnectAsync();

        var result = await client.PublishAsync(new byte[10_000], new MqttPublishOptions { Qos = MqttQos.ExactlyOnce, Retained = true }, Token);

        result.Should().BeSameAs(MqttPublishResult.Delivered);
    }
}
