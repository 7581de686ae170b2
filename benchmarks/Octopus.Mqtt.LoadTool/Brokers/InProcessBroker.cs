using System.Net;
using MQTTnet.Server;

namespace Octopus.Mqtt.LoadTool.Brokers;

/// <summary>An MQTTnet broker inside the tool's process on 127.0.0.1 (when mosquitto is not installed).</summary>
internal sealed class InProcessBroker : ILoadBroker
{
    private readonly MqttServerFactory _factory = new();
    private readonly int _port;
    private MqttServer? _server;

    private InProcessBroker(int port)
    {
        _port = port;
        Server = new Uri($"tcp://127.0.0.1:{port}");
    }

    public Uri Server { get; }

    public string Description => $"in-process MQTTnet.Server 5 broker on {Server} (mosquitto not found)";

    public bool CanRestart => true;

    public long? OpenFileLimit => null;

    public static async Task<InProcessBroker> StartAsync()
    {
        var broker = new InProcessBroker(FreePort.Pick());
        await broker.StartAgainAsync();
        return broker;
    }

    public async Task StartAgainAsync()
    {
        var options = _factory.CreateServerOptionsBuilder()
            .WithDefaultEndpoint()
            .WithDefaultEndpointBoundIPAddress(IPAddress.Loopback)
            .WithDefaultEndpointPort(_port)
            .WithDefaultEndpointReuseAddress()
            .WithConnectionBacklog(2048)
            .WithMaxPendingMessagesPerClient(1_000_000)
            .Build();
        _server = _factory.CreateMqttServer(options);
        await _server.StartAsync();
    }

    public async Task KillAsync()
    {
        var server = _server;
        _server = null;
        if (server is not null)
        {
            await server.StopAsync();
            server.Dispose();
        }
    }

    public async ValueTask DisposeAsync() => await KillAsync();
}
