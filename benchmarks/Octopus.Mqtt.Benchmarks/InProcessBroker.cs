using System.Net;
using System.Net.Sockets;
using MQTTnet.Server;

namespace Octopus.Mqtt.Benchmarks;

/// <summary>An MQTTnet.Server broker in the benchmark process on a free 127.0.0.1 port.</summary>
public sealed class InProcessBroker : IAsyncDisposable
{
    private readonly MqttServer _server;

    private InProcessBroker(MqttServer server, int port)
    {
        _server = server;
        Port = port;
    }

    public int Port { get; }

    public string Server => $"tcp://127.0.0.1:{Port}";

    public static async Task<InProcessBroker> StartAsync()
    {
        int port;
        using (var probe = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp))
        {
            probe.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            port = ((IPEndPoint)probe.LocalEndPoint!).Port;
        }

        var factory = new MqttServerFactory();
        var options = factory.CreateServerOptionsBuilder()
            .WithDefaultEndpoint()
            .WithDefaultEndpointBoundIPAddress(IPAddress.Loopback)
            .WithDefaultEndpointPort(port)
            .Build();
        var server = factory.CreateMqttServer(options);
        await server.StartAsync();
        return new InProcessBroker(server, port);
    }

    public async ValueTask DisposeAsync()
    {
        await _server.StopAsync();
        _server.Dispose();
    }
}
