using System.Text;
using MQTTnet.Packets;
using MQTTnet.Protocol;

namespace Octopus.Mqtt.Testing;

/// <summary>Carries the MQTT 5 properties of a message through the fake broker: from the PUBLISH it received into the recorded message, and on to every delivery.</summary>
internal static class FakeMessageProperties
{
    /// <summary>Records a message with the properties of the PUBLISH that brought it.</summary>
    public static FakeMqttMessage Create(string topic, byte[] payload, MqttQos qos, bool retain, string clientId, DateTimeOffset timestamp, MqttPublishPacket? properties)
    {
        if (properties is null)
        {
            return new FakeMqttMessage(topic, payload, qos, retain, clientId, timestamp);
        }

        var userProperties = properties.UserProperties is { Count: > 0 } list
            ? list.Select(p => new UserProperty(p.Name, Encoding.UTF8.GetString(p.ValueBuffer.Span))).ToArray()
            : [];
        return new FakeMqttMessage(topic, payload, qos, retain, clientId, timestamp)
        {
            ContentType = properties.ContentType,
            PayloadFormat = (MqttPayloadFormat)properties.PayloadFormatIndicator,
            MessageExpiryInterval = properties.MessageExpiryInterval == 0 ? null : TimeSpan.FromSeconds(properties.MessageExpiryInterval),
            ResponseTopic = properties.ResponseTopic,
            CorrelationData = properties.CorrelationData is { } correlation ? correlation.ToArray() : ReadOnlyMemory<byte>.Empty,
            UserProperties = userProperties,
        };
    }

    /// <summary>Writes a recorded message's properties into a PUBLISH to a subscriber.</summary>
    public static void Apply(FakeMqttMessage message, MqttPublishPacket packet)
    {
        packet.ContentType = message.ContentType;
        packet.PayloadFormatIndicator = (MqttPayloadFormatIndicator)message.PayloadFormat;
        packet.MessageExpiryInterval = message.MessageExpiryInterval is { } expiry ? (uint)Math.Ceiling(expiry.TotalSeconds) : 0;
        packet.ResponseTopic = message.ResponseTopic;
        packet.CorrelationData = message.CorrelationData.IsEmpty ? null : message.CorrelationData.ToArray();
        packet.UserProperties = message.UserProperties.Count == 0
            ? null
            : [.. message.UserProperties.Select(p => new MQTTnet.Packets.MqttUserProperty(p.Name, Encoding.UTF8.GetBytes(p.Value)))];
    }

    /// <summary>Gets a PUBLISH carrying the properties of a test's publish options.</summary>
    public static MqttPublishPacket ToPacket(MqttPublishOptions options) => new()
    {
        ContentType = options.ContentType,
        PayloadFormatIndicator = (MqttPayloadFormatIndicator)(options.PayloadFormat ?? MqttPayloadFormat.Unspecified),
        MessageExpiryInterval = options.MessageExpiryInterval is { } expiry ? (uint)Math.Ceiling(expiry.TotalSeconds) : 0,
        ResponseTopic = options.ResponseTopic,
        CorrelationData = options.CorrelationData.IsEmpty ? null : options.CorrelationData.ToArray(),
        UserProperties = options.UserProperties is { Count: > 0 } list
            ? [.. list.Select(p => new MQTTnet.Packets.MqttUserProperty(p.Name, Encoding.UTF8.GetBytes(p.Value)))]
            : null,
    };
}
