using System.Text;

namespace Octopus.Mqtt.Tests.Testing;

/// <summary>Devices and options for the fake's tests.</summary>
internal static class FakeSetup
{
    public const string FanClientId = "octopus-9e8efcb04b7945e7a4c43349562292e3";

    public const string FanTopic = "cattle.io/octopus/default/device/fan";

    public static readonly DeviceIdentity Fan = new("default", "fan", "9e8efcb0-4b79-45e7-a4c4-3349562292e3");

    public static readonly DeviceIdentity Lamp = new("default", "lamp", "1c7b9b5e-0c7e-4a1b-9a57-3a1c2f3d4e5f");

    public static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static MqttOptions CreateOptions(string topic = "cattle.io/octopus/:namespace/device/:name", Action<MqttOptions>? configure = null)
    {
        var options = new MqttOptions
        {
            Client = { Server = "tcp://broker.example:1883" },
            Message = { Topic = topic },
        };
        configure?.Invoke(options);
        return options;
    }

    public static byte[] Bytes(string text) => Encoding.UTF8.GetBytes(text);
}
