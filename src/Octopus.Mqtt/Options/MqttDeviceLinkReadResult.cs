namespace Octopus.Mqtt;

/// <summary>What a DeviceLink document says for MQTT: the device's identity and its MQTT extension, if any.</summary>
public sealed class MqttDeviceLinkReadResult
{
    internal MqttDeviceLinkReadResult(DeviceIdentity identity, MqttOptions? options, IReadOnlyList<MqttOptionsProblem> warnings)
    {
        Identity = identity;
        Options = options;
        Warnings = warnings;
    }

    /// <summary>Gets the DeviceLink's namespace, name and UID, from <c>metadata</c>.</summary>
    public DeviceIdentity Identity { get; }

    /// <summary>Gets the options in <c>spec.template.spec.extension.mqtt</c>, or <see langword="null"/> when the
    /// DeviceLink has no MQTT extension (the extension is off). They are read, not validated.</summary>
    public MqttOptions? Options { get; }

    /// <summary>Gets the warnings, e.g. one for each of the documentation's misspellings read as an alias.</summary>
    public IReadOnlyList<MqttOptionsProblem> Warnings { get; }
}
