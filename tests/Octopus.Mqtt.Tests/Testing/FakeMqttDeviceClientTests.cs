using Microsoft.Extensions.Time.Testing;
using Octopus.Mqtt.Testing;
using static Octopus.Mqtt.Tests.Testing.FakeSetup;

namespace Octopus.Mqtt.Tests.Testing;

public sealed partial class FakeMqttDeviceClientTests : IAsyncDisposable
{
    private readonly FakeTimeProvider _time = new();
    private readonly FakeMqttBroker _broker;
    private readonly List<FakeMqttDeviceClient> _clients = [];

    public FakeMqttDeviceClientTests() => _broker = new FakeMqttBroker(_time);

    public async ValueTask DisposeAsync()
    {
        foreach (var client in _clients)
        {
            await client.DisposeAsync();
        }
    }

    private FakeMqttDeviceClient Create(Action<MqttOptions>? configure = null, MqttDeviceClientOptions? clientOptions = null, string topic = "cattle.io/octopus/:namespace/device/:name", DeviceIdentity? device = null)
    {
        var client = new FakeMqttDeviceClient(_broker, device ?? Fan, CreateOptions(topic, configure), clientOptions);
        _clients.Add(client);
        return client;
    }

    private async Task<FakeMqttDeviceClient> ConnectAsync(Action<MqttOptions>? configure = null, MqttDeviceClientOptions? clientOptions = null, string topic = "cattle.io/octopus/:namespace/device/:name")
    {
        var client = Create(configure, clientOptions, topic);
        await client.ConnectAsync(Ct);
        return client;
    }

    private static List<string> RecordStates(IMqttDeviceClient client)
    {
        var states = new List<string>();
        client.StateChanged += (_, e) => states.Add($"{e.PreviousState}->{e.State}{(e.Error is null ? string.Empty : ": " + e.Error.Message)}");
        return states;
    }

    [Fact]
    public void Constructor_Device_RendersTopicAndClientId()
    {
        var client = Create();

        client.Device.Should().Be(Fan);
        client.ClientId.Should().Be(FanClientId);
        client.Topic.RenderForPublish().Should().Be(FanTopic);
        client.State.Should().Be(MqttConnectionState.Disconnected);
        client.SubscribedTopics.Should().BeEmpty();
    }

    [Fact]
    public void Constructor_ProtocolVersion3_UsesTheMqtt31ClientId()
    {
        var client = Create(o => o.Client.ProtocolVersion = 3);

        client.ClientId.Should().Be("octopus-efcb04957c34593");
    }

    [Fact]
    public void Constructor_InjectingDeviceName_Throws()
    {
        var create = () => Create(device: new DeviceIdentity("default", "#", "uid"));

        create.Should().Throw<MqttTopicException>()
            .WithMessage("The value \"#\" of :name would put the wildcard \"#\" into the topic; a value cannot contain \"+\", \"#\" or U+0000.");
    }

    [Fact]
    public void Constructor_InvalidOptions_ThrowsWithEveryProblem()
    {
        var create = () => Create(o =>
        {
            o.Client.Server = "ftp://broker";
            o.Message.Qos = (MqttQos)3;
        });

        create.Should().Throw<MqttOptionsException>().Which.Problems.Select(p => p.Path).Should().BeEquivalentTo("client.server", "message.qos");
    }

    [Fact]
    public void Constructor_NullArguments_Throw()
    {
        var options = CreateOptions();
        FluentActions.Invoking(() => new FakeMqttDeviceClient(null!, Fan, options)).Should().Throw<ArgumentNullException>().WithParameterName("broker");
        FluentActions.Invoking(() => new FakeMqttDeviceClient(_broker, null!, options)).Should().Throw<ArgumentNullException>().WithParameterName("device");
        FluentActions.Invoking(() => new FakeMqttDeviceClient(_broker, Fan, null!)).Should().Throw<ArgumentNullException>().WithParameterName("options");
    }

    [Fact]
    public async Task StateChanged_HandlerThrows_ClientCarriesOn()
    {
        var client = Create();
        client.StateChanged += (_, _) => throw new InvalidOperationException("observer bug");

        await client.ConnectAsync(Ct);

        client.State.Should().Be(MqttConnectionState.Connected);
    }
}
