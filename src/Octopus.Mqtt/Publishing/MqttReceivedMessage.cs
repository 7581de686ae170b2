using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Octopus.Mqtt;

/// <summary>
/// One message received on a device's subscription: topic, payload, QoS, flags, the subscription it matched, and its
/// MQTT 5 properties (absent ones are <see langword="null"/> or empty; an MQTT 3.1.1 message has none).
/// </summary>
/// <remarks>
/// The payload (and the correlation data) are valid only until the handler's task completes: copy them to keep them.
/// </remarks>
public sealed class MqttReceivedMessage
{
    /// <summary>Initializes a new instance of the <see cref="MqttReceivedMessage"/> class (for tests of a handler).</summary>
    /// <param name="topic">The topic the message was published to.</param>
    /// <param name="payload">The payload.</param>
    public MqttReceivedMessage(string topic, ReadOnlyMemory<byte> payload)
    {
        ArgumentNullException.ThrowIfNull(topic);
        Topic = topic;
        Payload = payload;
    }

    /// <summary>Gets the topic the message was published to.</summary>
    public string Topic { get; }

    /// <summary>Gets the payload; valid only until the handler's task completes.</summary>
    public ReadOnlyMemory<byte> Payload { get; }

    /// <summary>Gets the payload read as UTF-8 text.</summary>
    public string PayloadText => Encoding.UTF8.GetString(Payload.Span);

    /// <summary>Gets the QoS the message was delivered with.</summary>
    /// <value>The default value is <see cref="MqttQos.AtMostOnce"/>.</value>
    public MqttQos Qos { get; init; }

    /// <summary>Gets a value indicating whether the message is a retained one, sent for a new subscription.</summary>
    public bool Retained { get; init; }

    /// <summary>Gets a value indicating whether the broker sent the message again (DUP: the handler may have seen it before).</summary>
    public bool Duplicate { get; init; }

    /// <summary>Gets the position, in the list passed to <c>SubscribeAsync</c>, of the subscription the topic matches.</summary>
    public int SubscriptionIndex { get; init; }

    /// <summary>Gets the MQTT 5 content type, or <see langword="null"/>.</summary>
    public string? ContentType { get; init; }

    /// <summary>Gets the MQTT 5 payload format indicator.</summary>
    public MqttPayloadFormat PayloadFormat { get; init; }

    /// <summary>Gets the MQTT 5 message expiry interval that remained when the broker sent the message, or <see langword="null"/>.</summary>
    public TimeSpan? MessageExpiryInterval { get; init; }

    /// <summary>Gets the MQTT 5 response topic (where a request wants its reply), or <see langword="null"/>.</summary>
    public string? ResponseTopic { get; init; }

    /// <summary>Gets the MQTT 5 correlation data (empty when absent); valid only until the handler's task completes.</summary>
    public ReadOnlyMemory<byte> CorrelationData { get; init; }

    /// <summary>Gets the MQTT 5 user properties, in the order sent (empty when absent).</summary>
    public IReadOnlyList<UserProperty> UserProperties { get; init; } = [];

    /// <summary>Gets the MQTT 5 subscription identifiers the broker matched (empty when absent).</summary>
    public IReadOnlyList<uint> SubscriptionIdentifiers { get; init; } = [];

    /// <summary>Gets the value of the first user property named <paramref name="name"/>.</summary>
    /// <param name="name">The property's name (case-sensitive).</param>
    /// <returns>The value, or <see langword="null"/> when the message has no such property.</returns>
    public string? GetUserProperty(string name)
    {
        foreach (var property in UserProperties)
        {
            if (string.Equals(property.Name, name, StringComparison.Ordinal))
            {
                return property.Value;
            }
        }

        return null;
    }

    /// <summary>Deserialises the payload as JSON with source-generated metadata.</summary>
    /// <typeparam name="T">The type to read.</typeparam>
    /// <param name="jsonTypeInfo">The metadata of <typeparamref name="T"/>, e.g. from a <c>JsonSerializerContext</c>.</param>
    /// <returns>The value.</returns>
    /// <exception cref="JsonException">The payload is not JSON of <typeparamref name="T"/>.</exception>
    public T? ReadJson<T>(JsonTypeInfo<T> jsonTypeInfo)
    {
        ArgumentNullException.ThrowIfNull(jsonTypeInfo);
        return JsonSerializer.Deserialize(Payload.Span, jsonTypeInfo);
    }

    /// <summary>Describes the message, e.g. <c>devices/fan/set q1 (subscription 0) 12 bytes</c>.</summary>
    /// <returns>The description.</returns>
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"{Topic} q{(int)Qos}{(Retained ? " retained" : string.Empty)}{(Duplicate ? " dup" : string.Empty)} (subscription {SubscriptionIndex}) {Payload.Length} bytes");
}
