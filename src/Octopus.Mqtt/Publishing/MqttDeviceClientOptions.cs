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
}
