using MQTTnet.Packets;

namespace Octopus.Mqtt;

/// <summary>Reads a PUBLISH from the broker into the <see cref="MqttReceivedMessage"/> a handler gets.</summary>
internal static class ReceivedMessageReader
{
    /// <summary>Gets the message of a PUBLISH for one matching subscription.</summary>
    /// <param name="packet">The PUBLISH.</param>
    /// <param name="payload">Its payload, in one piece.</param>
    /// <param name="userProperties">Its user properties, read once for every matching subscription.</param>
    /// <param name="index">The subscription's index.</param>
    /// <returns>The message.</returns>
    public static MqttReceivedMessage Read(MqttPublishPacket packet, ReadOnlyMemory<byte> payload, IReadOnlyList<UserProperty> userProperties, int index) =>
        new(packet.Topic, payload)
        {
            Qos = (MqttQos)packet.QualityOfServiceLevel,
            Retained = packet.Retain,
            Duplicate = packet.Dup,
            SubscriptionIndex = index,
            ContentType = packet.ContentType,
            PayloadFormat = (MqttPayloadFormat)packet.PayloadFormatIndicator,
            MessageExpiryInterval = packet.MessageExpiryInterval == 0 ? null : TimeSpan.FromSeconds(packet.MessageExpiryInterval),
            ResponseTopic = packet.ResponseTopic,
            CorrelationData = packet.CorrelationData,
            UserProperties = userProperties,
            SubscriptionIdentifiers = packet.SubscriptionIdentifiers is { Count: > 0 } identifiers ? identifiers : [],
        };

    /// <summary>Gets the user properties of a PUBLISH as strings.</summary>
    /// <param name="packet">The PUBLISH.</param>
    /// <returns>The properties (an empty array when there are none).</returns>
    public static UserProperty[] ReadUserProperties(MqttPublishPacket packet)
    {
        if (packet.UserProperties is not { Count: > 0 } properties)
        {
            return [];
        }

        var all = new UserProperty[properties.Count];
        for (var i = 0; i < all.Length; i++)
        {
            all[i] = new UserProperty(properties[i].Name, properties[i].ReadValueAsString());
        }

        return all;
    }
}
