using Microsoft.Extensions.Logging.Testing;
using MQTTnet;
using Octopus.Mqtt.IntegrationTests.Publishing;

namespace Octopus.Mqtt.IntegrationTests.Engine;

/// <summary>Builds a <see cref="MqttDeviceClient"/> against a local port with fast test timings.</summary>
internal sealed class EngineBuilder(int port)
{
    public DeviceIdentity Device { get; set; } = new("default", "fan", Guid.NewGuid().ToString());

    public string ClientId => "octopus-" + Device.Uid.Replace("-", string.Empty, StringComparison.Ordinal);

    public string ShortClientId => "octopus-" + Device.Uid.Replace("-", string.Empty, StringComparison.Ordinal)[..15];

    public string Topic { get; set; } = "cattle.io/octopus/test/" + Guid.NewGuid().ToString("N");

    public MqttClientSettings Client { get; } = new()
    {
        Server = "tcp://127.0.0.1",
        MaxReconnectInterval = GoDuration.FromMilliseconds(100),
        ConnectTimeout = GoDuration.FromSeconds(5),
        WriteTimeout = GoDuration.FromSeconds(5),
        DisconnectQuiesce = GoDuration.FromSeconds(2),
    };

    public MqttMessageSettings Message { get; } = new() { Topic = "unused" };

    public MqttDeviceClientOptions Options { get; } = new();

    public string? WillTopic { get; set; }

    public byte[] WillPayload { get; set; } = "offline"u8.ToArray();

    public string? Password { get; set; }

    public FakeLogger Logger { get; } = new();

    /// <summary>Gets the state changes of every client built.</summary>
    public StateRecorder States { get; } = new();

    public MqttDeviceClient Build()
    {
        var client = Create();
        States.Attach(client);
        return client;
    }

    private MqttDeviceClient Create() => new(new MqttDeviceClientSetup
    {
        Device = Device,
        ClientId = ClientId,
        Client = Client,
        Message = Message,
        Topics = new SimpleTopics(Topic),
        OptionsFactory = CreateOptionsAsync,
        Options = Options,
        Logger = Logger,
    });

    private ValueTask<MqttClientOptions> CreateOptionsAsync(ServerAddress server, bool mqtt31Fallback, CancellationToken cancellationToken)
    {
        var credentials = new MqttCredentials(Password is null ? null : "device", Password is null ? null : System.Text.Encoding.UTF8.GetBytes(Password), null, null, null, false);
        var will = WillTopic is null ? null : new LastWillMessage(WillTopic, WillPayload, MqttQos.AtLeastOnce, false);
        return new ValueTask<MqttClientOptions>(MqttClientOptionsFactory.Create(
            Client,
            ServerAddress.Parse($"tcp://127.0.0.1:{port}"),
            mqtt31Fallback ? ShortClientId : ClientId,
            credentials,
            will,
            mqtt31Fallback ? 3 : Client.ProtocolVersion));
    }
}
