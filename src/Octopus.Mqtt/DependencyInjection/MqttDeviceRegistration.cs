namespace Octopus.Mqtt;

/// <summary>A device with fixed options that AddOctopusMqtt(name, device, …) registered; the host starts it.</summary>
internal sealed class MqttDeviceRegistration(string name, DeviceIdentity device)
{
    public string Name { get; } = name;

    public DeviceIdentity Device { get; } = device;
}
