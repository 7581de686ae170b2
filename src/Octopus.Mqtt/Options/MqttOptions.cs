namespace Octopus.Mqtt;

/// <summary>
/// The MQTT extension of a DeviceLink (<c>spec.template.spec.extension.mqtt</c>): how to reach the broker
/// and which topic, QoS and retain flag the device's messages use.
/// </summary>
/// <remarks>
/// JSON and configuration names are exactly those of the Octopus documentation (<c>client</c>, <c>message</c>).
/// Both sections are required.
/// </remarks>
public sealed class MqttOptions
{
    /// <summary>Gets or sets the client settings: broker address, credentials, TLS, timeouts and reconnects.</summary>
    /// <value>The default value is a new <see cref="MqttClientSettings"/> with its defaults; <c>client.server</c> must be set.</value>
    public MqttClientSettings Client { get; set; } = new();

    /// <summary>Gets or sets the message settings: topic template, QoS, retain flag, will.</summary>
    /// <value>The default value is a new <see cref="MqttMessageSettings"/> with its defaults; <c>message.topic</c> must be set.</value>
    public MqttMessageSettings Message { get; set; } = new();

    /// <summary>Describes the options for logs and messages; secrets and header values are left out.</summary>
    /// <returns>The description.</returns>
    public override string ToString() => $"client: {{{Client}}}, message: {{{Message}}}";
}
