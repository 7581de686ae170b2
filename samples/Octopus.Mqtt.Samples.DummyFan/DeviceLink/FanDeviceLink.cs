namespace Octopus.Mqtt.Samples.DummyFan;

/// <summary>What the fan's DeviceLink says: who the device is, its MQTT extension and the fan's spec.</summary>
/// <param name="Identity">The DeviceLink's namespace, name and UID (<c>metadata</c>).</param>
/// <param name="Mqtt">The MQTT extension (<c>spec.template.spec.extension.mqtt</c>), or <see langword="null"/> when it is off.</param>
/// <param name="Spec">The fan's spec (<c>spec.template.spec</c>).</param>
/// <param name="Warnings">What was read but deserves attention, e.g. a misspelt field read as an alias.</param>
internal sealed record FanDeviceLink(DeviceIdentity Identity, MqttOptions? Mqtt, FanSpec Spec, IReadOnlyList<string> Warnings);
