using System.Collections.Concurrent;
using System.Net;
using MQTTnet.Formatter;
using MQTTnet.Protocol;
using MQTTnet.Server;

namespace Octopus.Mqtt.IntegrationTests.Engine;

/// <summary>An MQTTnet broker on 127.0.0.1 at a port the test picked; it can be stopped and started again on the same port.</summary>
internal sealed class InProcessBroker : IAsyncDisposable
{
    private MqttServer? _server;

    private InProcessBroker(int port) => Port = port;

    public int Port { get; }

    /// <summary>Gets every PUBLISH the broker received, in order.</summary>
    public ConcurrentQueue<BrokerMessage> Received { get; } = new();

    /// <summary>Gets every CONNECT the broker saw.</summary>
    public ConcurrentQueue<(string ClientId, MqttProtocolVersion Version)> Connects { get; } = new();

    /// <summary>Gets or sets an extra check of each CONNECT (set <see cref="ValidatingConnectionEventArgs.ReasonCode"/> to refuse).</summary>
    public Action<ValidatingConnectionEventArgs>? Validate { get; set; }

    public static async Task<InProcessBroker> StartAsync()
    {
        var broker = new InProcessBroker(FreePort.Next());
        await broker.StartAgainAsync();
        return broker;
    }

    public IEnumerable<BrokerMessage> From(string clientId) => Received.Where(m => m.ClientId == clientId);

    public async Task StartAgainAsync()
    {
        var factory = new MqttServerFactory();
        var options = factory.CreateServerOptionsBuilder()
            .WithDefaultEndpoint()
            .WithDefaultEndpointBoundIPAddress(IPAddress.Loopback)
            .WithDefaultEndpointPort(Port)
            .WithDefaultEndpointReuseAddress()
            .Build();
        var server = factory.CreateMqttServer(options);
        server.ValidatingConnectionAsync += e =>
        {
            Connects.Enqueue((e.ClientId, e.ProtocolVersion));
            Validate?.Invoke(e);
            return Task.CompletedTask;
        };
        server.InterceptingPublishAsync += e =>
        {
            var message = e.ApplicationMessage;
            Received.Enqueue(new BrokerMessage(e.ClientId, message.Topic, System.Buffers.BuffersExtensions.ToArray(message.Payload), message.QualityOfServiceLevel, message.Retain));
            return Task.CompletedTask;
        };
        await server.StartAsync();
        _server = server;
    }

    public async Task StopAsync()
    {
        if (_server is { } server)
        {
            _server = null;
            await server.StopAsync(new MqttServerStopOptions());
            server.Dispose();
        }
    }

    public ValueTask DisposeAsync() => new(StopAsync());
}

/// <summary>A PUBLISH as the broker received it.</summary>
internal sealed record BrokerMessage(string ClientId, string Topic, byte[] Payload, MqttQualityOfServiceLevel Qos, bool Retain)
{
    public string Text => System.Text.Encoding.UTF8.GetString(Payload);
}
