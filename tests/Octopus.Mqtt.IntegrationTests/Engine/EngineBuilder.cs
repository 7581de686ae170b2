using Microsoft.Extensions.Logging.Testing;
using MQTTnet;
using MQTTnet.Formatter;
using MQTTnet.Protocol;
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
        var builder = new MqttClientOptionsBuilder()
            .WithTcpServer("127.0.0.1", port)
            .WithClientId(mqtt31Fallback ? ShortClientId : ClientId)
            .WithProtocolVersion(mqtt31Fallback ? MqttProtocolVersion.V310 : Client.ProtocolVersion switch
            {
                3 => MqttProtocolVersion.V310,
                5 => MqttProtocolVersion.V500,
                _ => MqttProtocolVersion.V311,
            });
        if (Password is not null)
        {
            builder.WithCredentials("device", Password);
        }

        if (WillTopic is not null)
        {
            builder.WithWillTopic(WillTopic).WithWillPayload(WillPayload).WithWillQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).WithWillRetain(false);
        }

        return new ValueTask<MqttClientOptions>(builder.Build());
    }
}
