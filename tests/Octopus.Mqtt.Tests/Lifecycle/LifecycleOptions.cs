namespace Octopus.Mqtt.Tests.Lifecycle;

/// <summary>Devices and options for the lifecycle tests.</summary>
internal static class LifecycleOptions
{
    public static readonly DeviceIdentity Fan = new("default", "fan", "9e8efcb0-4b79-45e7-a4c4-3349562292e3");

    public static readonly DeviceIdentity Lamp = new("default", "lamp", "1c6f2a5e-0b8d-4d3e-9f1a-2b3c4d5e6f70");

    public static MqttOptions Create(string server = "tcp://broker:1883") => new()
    {
        Client = new MqttClientSettings { Server = server },
        Message = new MqttMessageSettings { Topic = "cattle.io/octopus/:namespace/:name" },
    };

    public static MqttOptions WithPasswordRef(string server = "tcp://broker:1883")
    {
        var options = Create(server);
        options.Client.BasicAuth = new MqttBasicAuthSettings
        {
            Username = "octopus",
            PasswordRef = new DeviceLinkReference { Name = "mqtt-secret", Item = "password" },
        };
        return options;
    }
}
