using System.Buffers;
using MQTTnet;
using MQTTnet.Formatter;
using MQTTnet.Packets;
using MQTTnet.Protocol;

namespace Octopus.Mqtt.Tests.Publishing;

public sealed class BrokerLimitsTests
{
    [Theory]
    [InlineData("t", 0, MqttQos.AtMostOnce)]
    [InlineData("cattle.io/octopus/default/case1", 90, MqttQos.AtLeastOnce)]
    [InlineData("cattle.io/octopus/default/case1", 91, MqttQos.AtLeastOnce)]
    [InlineData("cattle.io/octopus/défault/case1", 16_340, MqttQos.ExactlyOnce)]
    [InlineData("cattle.io/octopus/default/case1", 16_345, MqttQos.ExactlyOnce)]
    [InlineData("cattle.io/octopus/default/case1", 2_097_110, MqttQos.AtLeastOnce)]
    [InlineData("cattle.io/octopus/default/case1", 2_097_200, MqttQos.AtMostOnce)]
    public void GetPublishPacketSize_AnyLength_IsWhatMqttNetEncodes(string topic, int payloadLength, MqttQos qos)
    {
        var message = Message(topic, payloadLength, qos, retain: true);
        var packet = new MqttPublishPacket
        {
            Topic = topic,
            Payload = new ReadOnlySequence<byte>(new byte[payloadLength]),
            QualityOfServiceLevel = (MqttQualityOfServiceLevel)qos,
            PacketIdentifier = qos == MqttQos.AtMostOnce ? (ushort)0 : (ushort)1,
            Retain = true,
        };

        var encoded = new MqttPacketFormatterAdapter(MqttProtocolVersion.V500, new MqttBufferWriter(4096, 65535)).Encode(packet);

        BrokerLimits.GetPublishPacketSize(message).Should().Be(encoded.Length);
    }

    [Theory]
    [InlineData(10, 0)]
    [InlineData(16_300, 3)]
    public void GetPublishPacketSize_WithEveryProperty_IsWhatMqttNetEncodes(int payloadLength, int userProperties)
    {
        var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider();
        var message = Message("a/b", payloadLength, MqttQos.AtLeastOnce, retain: false);
        message.Properties = new MessageProperties
        {
            ContentType = "application/json",
            PayloadFormat = MqttPayloadFormat.Utf8,
            ResponseTopic = "réponses",
            CorrelationData = [1, 2, 3],
            UserProperties = [.. Enumerable.Range(0, userProperties).Select(i => new UserProperty("n" + i, "välue"))],
            ExpiresAt = time.GetUtcNow().AddSeconds(30),
            Clock = time,
        };
        message.PacketId = 1;

        var encoded = new MqttPacketFormatterAdapter(MqttProtocolVersion.V500, new MqttBufferWriter(4096, 65535)).Encode(message.CreatePublishPacket(dup: false));

        BrokerLimits.GetPublishPacketSize(message).Should().Be(encoded.Length);
    }

    [Fact]
    public void GetViolation_Mqtt311_NeverChecks() =>
        BrokerLimits.GetViolation(Connack(maximumPacketSize: 10, maximumQos: MqttQualityOfServiceLevel.AtMostOnce, retainAvailable: false), MqttProtocolVersion.V311, Message("t", 100, MqttQos.ExactlyOnce, retain: true))
            .Should().BeNull();

    [Fact]
    public void GetViolation_Mqtt5MaximumPacketSizeZero_MeansNoLimit() =>
        BrokerLimits.GetViolation(Connack(maximumPacketSize: 0), MqttProtocolVersion.V500, Message("t", 100_000, MqttQos.ExactlyOnce, retain: true))
            .Should().BeNull();

    [Fact]
    public void GetViolation_Mqtt5WithinLimits_IsNull() =>
        BrokerLimits.GetViolation(Connack(maximumPacketSize: 15, maximumQos: MqttQualityOfServiceLevel.AtLeastOnce, retainAvailable: false), MqttProtocolVersion.V500, Message("t", 6, MqttQos.AtLeastOnce, retain: false))
            .Should().BeNull();

    [Fact]
    public void GetViolation_Mqtt5PacketOneByteTooLarge_NamesBothSizes() =>
        BrokerLimits.GetViolation(Connack(maximumPacketSize: 15), MqttProtocolVersion.V500, Message("t", 8, MqttQos.AtLeastOnce, retain: false))
            .Should().Be("its PUBLISH packet would be 16 bytes, and the broker accepts 15 at most (its CONNACK's Maximum Packet Size)");

    private static OutboundMessage Message(string topic, int payloadLength, MqttQos qos, bool retain) =>
        new(1, topic, PayloadBuffer.Copy(new byte[payloadLength]), qos, retain);

    private static MqttClientConnectResult Connack(uint? maximumPacketSize = null, MqttQualityOfServiceLevel maximumQos = MqttQualityOfServiceLevel.ExactlyOnce, bool retainAvailable = true) =>
        new() { MaximumPacketSize = maximumPacketSize, MaximumQoS = maximumQos, RetainAvailable = retainAvailable };
}
