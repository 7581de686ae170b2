using System.Buffers;
using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using MQTTnet.Server;

namespace Octopus.Mqtt.Cli.Tests.Connect;

/// <summary>An MQTTnet broker in the test process on 127.0.0.1, on a free port, recording what clients publish and subscribe.</summary>
internal sealed class TestBroker : IAsyncDisposable
{
    private readonly MqttServer _server;

    private TestBroker(MqttServer server, int port)
    {
        _server = server;
        Port = port;
        _server.InterceptingPublishAsync += e =>
        {
            var message = e.ApplicationMessage;
            Published.Enqueue(new PublishedMessage(e.ClientId, message.Topic, message.Payload.ToArray(), (int)message.QualityOfServiceLevel, message.Retain));
            return Task.CompletedTask;
        };
        _server.ClientSubscribedTopicAsync += e =>
        {
            Subscriptions.Enqueue(e.TopicFilter.Topic);
            return Task.CompletedTask;
        };
        _server.ClientDisconnectedAsync += e =>
        {
            Disconnects.Enqueue((e.ClientId, e.DisconnectType));
            return Task.CompletedTask;
        };
        _server.ValidatingConnectionAsync += e =>
        {
            if (Credentials is { } expected && (e.UserName != expected.UserName || e.Password != expected.Password))
            {
                e.ReasonCode = MQTTnet.Protocol.MqttConnectReasonCode.BadUserNameOrPassword;
            }

            return Task.CompletedTask;
        };
    }

    public int Port { get; }

    public string Server => $"tcp://127.0.0.1:{Port}";

    /// <summary>Gets or sets the only username and password the broker accepts; anyone may connect when null.</summary>
    public (string UserName, string Password)? Credentials { get; set; }

    public ConcurrentQueue<PublishedMessage> Published { get; } = new();

    public ConcurrentQueue<string> Subscriptions { get; } = new();

    /// <summary>Gets the client ID and kind (clean: DISCONNECT received, so no will) of every ended connection.</summary>
    public ConcurrentQueue<(string ClientId, MqttClientDisconnectType Type)> Disconnects { get; } = new();

    public static async Task<TestBroker> StartAsync()
    {
        for (var attempt = 1; ; attempt++)
        {
            var port = FreePort();
            var factory = new MqttServerFactory();
            var options = factory.CreateServerOptionsBuilder()
                .WithDefaultEndpoint()
                .WithDefaultEndpointBoundIPAddress(IPAddress.Loopback)
                .WithDefaultEndpointBoundIPV6Address(IPAddress.IPv6Loopback)
                .WithDefaultEndpointPort(port)
                .Build();
            var broker = new TestBroker(factory.CreateMqttServer(options), port);
            try
            {
                await broker._server.StartAsync();
                return broker;
            }
            catch (SocketException e) when (e.SocketErrorCode == SocketError.AddressAlreadyInUse && attempt < 5)
            {
                await broker.DisposeAsync();
            }
        }
    }

    /// <summary>Picks a port that is free on 127.0.0.1 now, and so probably refuses connections.</summary>
    public static int FreePort()
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

    public async ValueTask DisposeAsync()
    {
        await _server.StopAsync();
        _server.Dispose();
    }
}

internal sealed record PublishedMessage(string ClientId, string Topic, byte[] Payload, int Qos, bool Retain);
