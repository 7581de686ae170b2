namespace Octopus.Mqtt;

/// <summary>Creates the MQTT client of one device (DeviceLink).</summary>
public interface IMqttDeviceClientFactory
{
    /// <summary>Creates a client for <paramref name="device"/> with its MQTT options; the client is not connected yet.</summary>
    /// <param name="device">The DeviceLink the client speaks for: namespace, name and UID.</param>
    /// <param name="options">The DeviceLink's MQTT extension options.</param>
    /// <param name="references">Reads the <c>*Ref</c> fields' references, or <see langword="null"/> when the options use none.</param>
    /// <returns>The client; dispose it to disconnect gracefully.</returns>
    IMqttDeviceClient Create(DeviceIdentity device, MqttOptions options, IReferenceResolver? references = null);
}
