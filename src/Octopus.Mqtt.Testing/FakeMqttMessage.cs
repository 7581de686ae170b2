using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Octopus.Mqtt.Testing;

/// <summary>One message as it reached a <see cref="FakeMqttBroker"/>: topic, payload, QoS, retain flag, publisher and time.</summary>
/// <remarks>Instances are immutable; the payload is a copy the publisher can no longer change.</remarks>
public sealed class FakeMqttMessage
{
    internal FakeMqttMessage(string topic, byte[] payload, MqttQos qos, bool retained, string clientId, DateTimeOffset timestamp)
    {
        Topic = topic;
        Payload = payload;
        Qos = qos;
        Retained = retained;
        ClientId = clientId;
        Timestamp = timestamp;
    }

    /// <summary>Gets the topic the message was published to.</summary>
    public string Topic { get; }

    /// <summary>Gets the payload bytes.</summary>
    public ReadOnlyMemory<byte> Payload { get; }

    /// <summary>Gets the payload read as UTF-8 text.</summary>
    public string PayloadText => Encoding.UTF8.GetString(Payload.Span);

    /// <summary>Gets the QoS the message was published with.</summary>
    public MqttQos Qos { get; }

    /// <summary>Gets a value indicating whether the message was published with the retain flag.</summary>
    public bool Retained { get; }

    /// <summary>
    /// Gets the MQTT client ID of the publisher: a device client's ID (also for its will), or
    /// <see cref="FakeMqttBroker.TestPublisherClientId"/> for a message a test published with
    /// <see cref="FakeMqttBroker.PublishAsync(string, ReadOnlyMemory{byte}, MqttQos, bool, CancellationToken)"/>.
    /// </summary>
    public string ClientId { get; }

    /// <summary>Gets the MQTT 5 content type, or <see langword="null"/>.</summary>
    public string? ContentType { get; internal init; }

    /// <summary>Gets the MQTT 5 payload format indicator.</summary>
    public MqttPayloadFormat PayloadFormat { get; internal init; }

    /// <summary>Gets the MQTT 5 message expiry interval the message arrived with, or <see langword="null"/>.</summary>
    public TimeSpan? MessageExpiryInterval { get; internal init; }

    /// <summary>Gets the MQTT 5 response topic, or <see langword="null"/>.</summary>
    public string? ResponseTopic { get; internal init; }

    /// <summary>Gets the MQTT 5 correlation data (empty when absent).</summary>
    public ReadOnlyMemory<byte> CorrelationData { get; internal init; }

    /// <summary>Gets the MQTT 5 user properties, in the order sent (empty when absent).</summary>
    public IReadOnlyList<UserProperty> UserProperties { get; internal init; } = [];

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

    /// <summary>Gets when the message reached the broker, by the broker's <see cref="FakeMqttBroker.TimeProvider"/>.</summary>
    public DateTimeOffset Timestamp { get; }

    /// <summary>Deserialises the payload as JSON with <see cref="JsonSerializerOptions.Web"/> (camelCase, as the clients write it by default).</summary>
    /// <typeparam name="T">The type to read.</typeparam>
    /// <returns>The value.</returns>
    /// <exception cref="JsonException">The payload is not JSON of <typeparamref name="T"/>.</exception>
    [RequiresUnreferencedCode("JSON deserialisation of an arbitrary type may need types the trimmer removes; use the overload with a JsonTypeInfo<T>.")]
    [RequiresDynamicCode("JSON deserialisation of an arbitrary type may need runtime code generation; use the overload with a JsonTypeInfo<T>.")]
    public T? ReadJson<T>() => JsonSerializer.Deserialize<T>(Payload.Span, JsonSerializerOptions.Web);

    /// <summary>Deserialises the payload as JSON.</summary>
    /// <typeparam name="T">The type to read.</typeparam>
    /// <param name="options">The serializer options.</param>
    /// <returns>The value.</returns>
    /// <exception cref="JsonException">The payload is not JSON of <typeparamref name="T"/>.</exception>
    [RequiresUnreferencedCode("JSON deserialisation of an arbitrary type may need types the trimmer removes; use the overload with a JsonTypeInfo<T>.")]
    [RequiresDynamicCode("JSON deserialisation of an arbitrary type may need runtime code generation; use the overload with a JsonTypeInfo<T>.")]
    public T? ReadJson<T>(JsonSerializerOptions options) => JsonSerializer.Deserialize<T>(Payload.Span, options);

    /// <summary>Deserialises the payload as JSON with source-generated metadata.</summary>
    /// <typeparam name="T">The type to read.</typeparam>
    /// <param name="jsonTypeInfo">The metadata of <typeparamref name="T"/>.</param>
    /// <returns>The value.</returns>
    /// <exception cref="JsonException">The payload is not JSON of <typeparamref name="T"/>.</exception>
    public T? ReadJson<T>(JsonTypeInfo<T> jsonTypeInfo) => JsonSerializer.Deserialize(Payload.Span, jsonTypeInfo);

    /// <summary>Parses the payload as a JSON document, for asserting on its shape.</summary>
    /// <returns>The root element (a copy that needs no disposal).</returns>
    /// <exception cref="JsonException">The payload is not JSON.</exception>
    public JsonElement ReadJsonElement()
    {
        var reader = new Utf8JsonReader(Payload.Span);
        return JsonElement.ParseValue(ref reader);
    }

    /// <summary>Describes the message, e.g. <c>devices/fan q1 retained "{"on":true}" from octopus-…</c>.</summary>
    /// <returns>The description.</returns>
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"{Topic} q{(int)Qos}{(Retained ? " retained" : string.Empty)} \"{PayloadText}\" from {ClientId}");
}
