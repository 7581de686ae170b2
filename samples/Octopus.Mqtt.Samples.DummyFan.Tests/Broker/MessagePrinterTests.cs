using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Logging.Abstractions;
using MQTTnet;
using MQTTnet.Formatter;
using MQTTnet.Server;
using Octopus.Mqtt.Tests.Shared;
using Octopus.Mqtt.Samples.DummyFan.Tests.Hosting;

namespace Octopus.Mqtt.Samples.DummyFan.Tests.Broker;

public sealed class MessagePrinterTests : IDisposable
{
    private const string Topic = "cattle.io/octopus/default/living-room-fan";
    private static readonly TimeSpan Arrival = TimeSpan.FromSeconds(20);

    private readonly LineRecorder _output = new();
    private readonly TempDirectory _directory = new();

    public void Dispose()
    {
        _output.Dispose();
        _directory.Dispose();
    }

    [Theory]
    [InlineData(0, MqttProtocolVersion.V311)]
    [InlineData(3, MqttProtocolVersion.V310)]
    [InlineData(4, MqttProtocolVersion.V311)]
    [InlineData(5, MqttProtocolVersion.V500)]
    public async Task StartAsync_ProtocolVersion_ConnectsWithTheVersionTheDeviceLinkAsksFor(int protocolVersion, MqttProtocolVersion expected)
    {
        var port = FreePort();
        await using var broker = await Broker.StartAsync(port);
        using var printer = CreatePrinter(port, protocolVersion);

        await printer.StartAsync(TestContext.Current.CancellationToken);
        try
        {
            await broker.WaitForSubscriptionAsync(1);
            broker.Versions.Should().ContainSingle().Which.Should().Be(expected);
        }
        finally
        {
            await printer.StopAsync(CancellationToken.None);
        }
    }

    [Fact]
    public async Task StartAsync_BrokerRestarted_ConnectsAgainAndPrints()
    {
        var port = FreePort();
        var first = await Broker.StartAsync(port);
        using var printer = CreatePrinter(port, protocolVersion: 4);
        await printer.StartAsync(TestContext.Current.CancellationToken);
        try
        {
            await first.WaitForSubscriptionAsync(1);
            await first.DisposeAsync();

            await using var second = await Broker.StartAsync(port);
            await second.WaitForSubscriptionAsync(1);
            await second.PublishAsync(Topic, """{"gear":"slow","rotatingSpeed":7}""");

            await _output.WaitForLineAsync(l => l.EndsWith("""{"gear":"slow","rotatingSpeed":7}""", StringComparison.Ordinal), Arrival);
        }
        finally
        {
            await printer.StopAsync(CancellationToken.None);
        }
    }

    [Fact]
    public async Task StartAsync_TlsWithAPrivateCa_ConnectsTrustingTheDeviceLinksCa()
    {
        using var root = TestPki.CreateRoot("dummy-fan-test-ca");
        using var server = TestPki.IssueServer(root, "broker.test");
        var port = FreePort();
        await using var broker = await Broker.StartAsync(port, server);
        var ca = string.Join("\n", TestPki.CertificatePem(root).Split('\n').Select(l => "               " + l));
        using var printer = CreatePrinter(port, protocolVersion: 4, scheme: "ssl", tls: $"\n           tlsConfig:\n             serverName: broker.test\n             caFilePEM: |\n{ca}");

        await printer.StartAsync(TestContext.Current.CancellationToken);
        try
        {
            await broker.WaitForSubscriptionAsync(1);
        }
        finally
        {
            await printer.StopAsync(CancellationToken.None);
        }
    }

    private MessagePrinter CreatePrinter(int port, int protocolVersion, string scheme = "tcp", string tls = "")
    {
        var yaml = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "devicelink.yaml"))
            .Replace("maxReconnectInterval: 20s", $"maxReconnectInterval: 20s\n           protocolVersion: {protocolVersion}{tls}", StringComparison.Ordinal);
        var file = _directory.Write("fan.yaml", yaml);
        var source = new DeviceLinkSource(file, () => $"{scheme}://127.0.0.1:{port}");
        return new MessagePrinter(source, new SampleOutput(_output), TimeProvider.System, NullLogger<MessagePrinter>.Instance);
    }

    private static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    /// <summary>An MQTTnet broker on 127.0.0.1 that records the protocol version of each connection and counts subscriptions.</summary>
    private sealed class Broker : IAsyncDisposable
    {
        private readonly MqttServer _server;
        private int _subscriptions;

        private Broker(MqttServer server)
        {
            _server = server;
            _server.ValidatingConnectionAsync += e =>
            {
                Versions.Enqueue(e.ProtocolVersion);
                return Task.CompletedTask;
            };
            _server.ClientSubscribedTopicAsync += _ =>
            {
                Interlocked.Increment(ref _subscriptions);
                return Task.CompletedTask;
            };
        }

        public ConcurrentQueue<MqttProtocolVersion> Versions { get; } = new();

        public static async Task<Broker> StartAsync(int port, X509Certificate2? tlsCertificate = null)
        {
            var factory = new MqttServerFactory();
            var builder = factory.CreateServerOptionsBuilder();
            var options = tlsCertificate is null
                ? builder.WithDefaultEndpoint().WithDefaultEndpointBoundIPAddress(IPAddress.Loopback).WithDefaultEndpointPort(port).Build()
                : builder.WithoutDefaultEndpoint().WithEncryptedEndpoint().WithEncryptedEndpointBoundIPAddress(IPAddress.Loopback)
                    .WithEncryptedEndpointPort(port).WithEncryptionCertificate(X509CertificateLoader.LoadPkcs12(tlsCertificate.Export(X509ContentType.Pfx), null))
                    .WithEncryptionSslProtocol(SslProtocols.Tls12).Build();
            var broker = new Broker(factory.CreateMqttServer(options));
            await broker._server.StartAsync();
            return broker;
        }

        public async Task WaitForSubscriptionAsync(int count)
        {
            var until = DateTime.UtcNow + Arrival;
            while (Volatile.Read(ref _subscriptions) < count)
            {
                if (DateTime.UtcNow > until)
                {
                    throw new TimeoutException("waited for the printer's subscription");
                }

                await Task.Delay(TimeSpan.FromMilliseconds(10), TestContext.Current.CancellationToken);
            }
        }

        public Task PublishAsync(string topic, string payload) =>
            _server.InjectApplicationMessage(new InjectedMqttApplicationMessage(new MqttApplicationMessageBuilder().WithTopic(topic).WithPayload(payload).Build()) { SenderClientId = "test" });

        public async ValueTask DisposeAsync()
        {
            await _server.StopAsync();
            _server.Dispose();
        }
    }
}
