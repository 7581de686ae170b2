using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using MQTTnet.Server;

namespace Octopus.Mqtt.Samples.DummyFan;

/// <summary>
/// An MQTTnet broker inside the sample, on 127.0.0.1: on port 1883, or on a free port when 1883 is taken, so the sample
/// runs on a machine with nothing but the .NET SDK.
/// </summary>
internal sealed class EmbeddedBroker(ILogger<EmbeddedBroker> logger, int preferredPort = EmbeddedBroker.DefaultPort) : IHostedService, IDisposable
{
    /// <summary>The port MQTT brokers listen on.</summary>
    public const int DefaultPort = 1883;

    private MqttServer? _server;

    /// <summary>Gets the broker's address for <c>client.server</c>, once started.</summary>
    public string Server => Port is { } port
        ? $"tcp://127.0.0.1:{port}"
        : throw new InvalidOperationException("The embedded broker has not started yet.");

    /// <summary>Gets the port the broker listens on, once started.</summary>
    public int? Port { get; private set; }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var port = preferredPort;
        for (var attempt = 1; ; attempt++)
        {
            var server = Create(port);
            try
            {
                await server.StartAsync();
                _server = server;
                Port = port;
                Log.BrokerStarted(logger, Server);
                return;
            }
            catch (SocketException e) when (e.SocketErrorCode == SocketError.AddressAlreadyInUse && attempt < 5)
            {
                server.Dispose();
                var next = FreePort();
                Log.PortTaken(logger, port, next);
                port = next;
            }
        }
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_server is { } server)
        {
            await server.StopAsync(new MqttServerStopOptions());
        }
    }

    public void Dispose() => _server?.Dispose();

    private static MqttServer Create(int port)
    {
        var factory = new MqttServerFactory();
        var options = factory.CreateServerOptionsBuilder()
            .WithDefaultEndpoint()
            .WithDefaultEndpointBoundIPAddress(IPAddress.Loopback)
            .WithDefaultEndpointBoundIPV6Address(IPAddress.None)
            .WithDefaultEndpointPort(port)
            .Build();
        return factory.CreateMqttServer(options);
    }

    /// <summary>Picks a port that is free on 127.0.0.1 now.</summary>
    private static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        try
        {
            return ((IPEndPoint)listener.LocalEndpoint).Port;
        }
        finally
        {
            listener.Stop();
        }
    }
}
