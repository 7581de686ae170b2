namespace Octopus.Mqtt.IntegrationTests.Lifecycle;

/// <summary>Devices and options for the lifecycle and telemetry tests.</summary>
internal static class DeviceLinkOptions
{
    public static readonly DeviceIdentity Fan = new("default", "fan", "9e8efcb0-4b79-45e7-a4c4-3349562292e3");

    public const string FanClientId = "octopus-9e8efcb04b7945e7a4c43349562292e3";

    public static MqttOptions Create(string server, string topic = "cattle.io/octopus/:namespace/:name") => new()
    {
        Client = new MqttClientSettings { Server = server, MaxReconnectInterval = GoDuration.FromSeconds(1) },
        Message = new MqttMessageSettings { Topic = topic },
    };
}
