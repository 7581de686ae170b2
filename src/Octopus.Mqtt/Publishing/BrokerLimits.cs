using System.Text;
using MQTTnet;
using MQTTnet.Formatter;

namespace Octopus.Mqtt;

/// <summary>
/// What an MQTT 5 broker announced in its CONNACK it will not accept: packets above its maximum packet size, QoS above
/// its maximum QoS, and the retain flag when it has no retained messages. The broker answers such a PUBLISH by
/// closing the connection, and the message, sent again after every reconnect, would block the queue for ever; it is
/// dropped as <see cref="MqttDropReason.Invalid"/> instead. MQTT 3.1.1 brokers announce none of this.
/// </summary>
internal static class BrokerLimits
{
    /// <summary>Says why the broker of <paramref name="connack"/> would refuse <paramref name="message"/>.</summary>
    /// <param name="connack">The broker's CONNACK.</param>
    /// <param name="protocolVersion">The connection's protocol version.</param>
    /// <param name="message">The message.</param>
    /// <returns>The reason, or <see langword="null"/> when the broker accepts the message.</returns>
    public static string? GetViolation(MqttClientConnectResult? connack, MqttProtocolVersion protocolVersion, OutboundMessage message)
    {
        if (connack is null || protocolVersion != MqttProtocolVersion.V500)
        {
            return null;
        }

        if ((int)message.Qos > (int)connack.MaximumQoS)
        {
            return $"the broker accepts QoS {(int)connack.MaximumQoS} at most (its CONNACK's Maximum QoS), and the message has QoS {(int)message.Qos}";
        }

        if (message.Retain && !connack.RetainAvailable)
        {
            return "the broker does not keep retained messages (its CONNACK's Retain Available is 0), and the message has the retain flag; set message.retained false";
        }

        // MQTTnet reports an absent Maximum Packet Size (no limit) as 0.
        if (connack.MaximumPacketSize is { } maximum and > 0 && GetPublishPacketSize(message) is var size && size > maximum)
        {
            return $"its PUBLISH packet would be {size} bytes, and the broker accepts {maximum} at most (its CONNACK's Maximum Packet Size)";
        }

        return null;
    }

    /// <summary>Gets the size of the MQTT 5 PUBLISH packet of a message, with its properties.</summary>
    /// <param name="message">The message.</param>
    /// <returns>The size in bytes.</returns>
    public static long GetPublishPacketSize(OutboundMessage message)
    {
        // Variable header: topic (length-prefixed), packet identifier (QoS 1 and 2), properties (their length first).
        var properties = GetPropertiesLength(message.Properties);
        long remaining = 2 + Encoding.UTF8.GetByteCount(message.Topic) + (message.Qos == MqttQos.AtMostOnce ? 0 : 2)
            + VariableIntLength(properties) + properties + message.Payload.Length;
        return 1 + VariableIntLength(remaining) + remaining;
    }

    /// <summary>Gets the length of a PUBLISH's properties: an identifier byte each, then the value.</summary>
    private static long GetPropertiesLength(MessageProperties? properties)
    {
        if (properties is null)
        {
            return 0;
        }

        long length = properties.PayloadFormat == MqttPayloadFormat.Unspecified ? 0 : 2;
        length += properties.ExpiresAt is null ? 0 : 5;
        length += properties.ContentType is { } contentType ? 3 + Encoding.UTF8.GetByteCount(contentType) : 0;
        length += properties.ResponseTopic is { } responseTopic ? 3 + Encoding.UTF8.GetByteCount(responseTopic) : 0;
        length += properties.CorrelationData is { } correlation ? 3 + correlation.Length : 0;
        foreach (var property in properties.UserProperties ?? [])
        {
            length += 5 + Encoding.UTF8.GetByteCount(property.Name) + Encoding.UTF8.GetByteCount(property.Value);
        }

        return length;
    }

    private static int VariableIntLength(long value) => value < 128 ? 1 : value < 16_384 ? 2 : value < 2_097_152 ? 3 : 4;
}
