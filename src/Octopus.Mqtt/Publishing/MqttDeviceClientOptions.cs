using System.Text.Json;

namespace Octopus.Mqtt;

/// <summary>
/// Behaviour of an <see cref="IMqttDeviceClient"/> beyond the Octopus MQTT options: offline-queue overflow, first
/// connect, availability messages and JSON serialisation.
/// </summary>
public sealed class MqttDeviceClientOptions
{
    /// <summary>Gets or sets what a publish does when the message queue is full.</summary>
    /// <value>The default value is <see cref="MqttQueueOverflowPolicy.DropOldest"/>.</value>
    public MqttQueueOverflowPolicy QueueOverflowPolicy { get; set; } = MqttQueueOverflowPolicy.DropOldest;

    /// <summary>Gets or sets what <see cref="IMqttDeviceClient.ConnectAsync"/> does when the first attempt fails.</summary>
    /// <value>The default value is <see cref="MqttFirstConnectPolicy.FailFast"/>, as Octopus behaves.</value>
    public MqttFirstConnectPolicy FirstConnectPolicy { get; set; } = MqttFirstConnectPolicy.FailFast;

    /// <summary>
    /// Gets or sets the payload published, retained, to the will topic after every (re)connect, so that the will's
    /// "offline" payload left by an earlier abrupt loss does not stay standing. When set, a graceful dispose publishes
    /// the will's own payload, retained, before disconnecting (a graceful disconnect makes the broker drop the will).
    /// Requires <c>message.will</c>.
    /// </summary>
    /// <value>The default value is <see langword="null"/>: no availability messages.</value>
    public byte[]? OnlinePayload { get; set; }

    /// <summary>Gets or sets the serializer options of the <c>PublishAsync</c> overloads without type information.</summary>
    /// <value>The default value is <see langword="null"/>: <see cref="JsonSerializerOptions.Web"/> (camelCase names, as the Go adaptors' JSON tags give).</value>
    public JsonSerializerOptions? JsonSerializerOptions { get; set; }

    /// <summary>
    /// Gets or sets how long a published message stays worth delivering when neither the publish call nor
    /// <c>message.expiry</c> says: a message still unsent when it expires is dropped as <see cref="MqttDropReason.Expired"/>.
    /// </summary>
    /// <value>The default value is <see langword="null"/>: messages do not expire.</value>
    public TimeSpan? MessageExpiryInterval { get; set; }

    /// <summary>
    /// Gets or sets whether a retained publish replaces a retained message on the same topic that waits unsent in the
    /// queue (as <c>message.coalesceRetained</c>; either turns it on).
    /// </summary>
    /// <value>The default value is <see langword="false"/>.</value>
    public bool CoalesceRetained { get; set; }

    /// <summary>Gets or sets the MQTT 5 content type of a value published as JSON (sent with payload format indicator UTF-8).</summary>
    /// <value>The default value is <c>application/json</c>; <see langword="null"/> sends neither property. Ignored on MQTT 3.1.1.</value>
    public string? JsonContentType { get; set; } = "application/json";

    /// <summary>Gets or sets the MQTT 5 content type of bytes published as they are.</summary>
    /// <value>The default value is <see langword="null"/>: none. Ignored on MQTT 3.1.1.</value>
    public string? DefaultContentType { get; set; }
}
