namespace Octopus.Mqtt.Samples.DummyFan;

/// <summary>
/// The MQTT lifecycle of a device, as the adaptor uses it: one call per configuration of the DeviceLink.
/// </summary>
internal interface IDeviceLinks
{
    /// <summary>
    /// Applies the device's MQTT options: creates and connects its client on the first call, keeps it when the
    /// options and references are unchanged, replaces it when they changed, and disposes it when the options are
    /// <see langword="null"/> (the extension is off).
    /// </summary>
    Task<IMqttDeviceClient?> ConfigureAsync(DeviceIdentity device, MqttOptions? options, IReferenceResolver? references = null, CancellationToken cancellationToken = default);
}
