using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using MQTTnet;
using MQTTnet.Formatter;
using MQTTnet.Protocol;
using Octopus.Mqtt.Tests.Shared;

namespace Octopus.Mqtt.Tests.Connection;

public sealed class MqttClientOptionsFactoryTests
{
    [Fact]
    public void Create_Tcp_UsesDnsEndPointWithoutTls()
    {
        var options = Create("tcp://broker.example:1884");

        var tcp = options.ChannelOptions.Should().BeOfType<MqttClientTcpOptions>().Subject;
        tcp.RemoteEndpoint.Should().Be(new DnsEndPoint("broker.example", 1884));
        tcp.TlsOptions.UseTls.Should().BeFalse();
        tcp.TlsOptions.CertificateValidationHandler.Should().BeNull();
    }

    [Theory]
    [InlineData("tcp://broker.example")]
    [InlineData("ssl://broker.example")]
    [InlineData("unix:///run/mosquitto.sock")]
    public void Create_SocketTransport_OpensTheSocketItselfSoTheKernelSizesItsBuffers(string server)
    {
        // MQTTnet's channel fixes both socket buffers at 8 KB, which turns off the kernel's autotuning: a client
        // publishing faster than the broker reads then waits for the kernel every few packets (docs/benchmarks.md).
        var tcp = (MqttClientTcpOptions)Create(server).ChannelOptions;

        tcp.StreamProvider.Should().BeSameAs(SocketStreamProvider.Instance);
    }

    [Theory]
    [InlineData("ws://broker.example/mqtt")]
    [InlineData("wss://broker.example/mqtt")]
    public void Create_WebSocket_LeavesTheTransportToMqttNet(string server)
    {
        Create(server).ChannelOptions.Should().BeOfType<MqttClientWebSocketOptions>();
    }

    [Theory]
    [InlineData("tcp://127.0.0.1", "127.0.0.1", 1883)]
    [InlineData("tcp://[::1]:1884", "::1", 1884)]
    public void Create_IpLiteral_UsesIpEndPoint(string server, string ip, int port)
    {
        var tcp = (MqttClientTcpOptions)Create(server).ChannelOptions;

        tcp.RemoteEndpoint.Should().Be(new IPEndPoint(IPAddress.Parse(ip), port));
    }

    [Theory]
    [InlineData("ssl://broker.example")]
    [InlineData("tls://broker.example")]
    [InlineData("tcps://broker.example")]
    public void Create_TlsScheme_UsesTlsOverTcp(string server)
    {
        var tcp = (MqttClientTcpOptions)Create(server).ChannelOptions;

        tcp.RemoteEndpoint.Should().Be(new DnsEndPoint("broker.example", 8883));
        tcp.TlsOptions.UseTls.Should().BeTrue();
        tcp.TlsOptions.TargetHost.Should().Be("broker.example");
        tcp.TlsOptions.CertificateValidationHandler.Should().NotBeNull();
        tcp.TlsOptions.IgnoreCertificateRevocationErrors.Should().BeTrue();
        tcp.TlsOptions.RevocationMode.Should().Be(X509RevocationMode.NoCheck);
        tcp.TlsOptions.ClientCertificatesProvider.Should().BeNull();
    }

    [Fact]
    public void Create_TlsWithServerNameAndClientCertificate_SetsTargetHostAndCertificate()
    {
        using var root = TestPki.CreateRoot("Factory Root", TestKeyKind.Ecdsa);
        using var client = TestPki.IssueClient(root, kind: TestKeyKind.Ecdsa);
        var credentials = MqttCredentials.None with { ServerName = "mqtt.internal", ClientCertificate = client };

        var tcp = (MqttClientTcpOptions)Create("ssl://10.1.2.3", credentials).ChannelOptions;

        tcp.RemoteEndpoint.Should().Be(new IPEndPoint(IPAddress.Parse("10.1.2.3"), 8883));
        tcp.TlsOptions.TargetHost.Should().Be("mqtt.internal");
        tcp.TlsOptions.ClientCertificatesProvider!.GetCertificates().Cast<X509Certificate>().Should().ContainSingle()
            .Which.Should().BeSameAs(client);
    }

    [Fact]
    public void Create_TlsWithClientCertificateChain_MakesTheTlsStreamItself()
    {
        using var root = TestPki.CreateRoot("Factory Root", TestKeyKind.Ecdsa);
        using var intermediate = TestPki.IssueIntermediate(root, "Factory Intermediate", TestKeyKind.Ecdsa);
        using var client = TestPki.IssueClient(intermediate, kind: TestKeyKind.Ecdsa);
        var credentials = MqttCredentials.None with { ClientCertificate = client, ClientCertificateChain = [intermediate] };

        var tcp = (MqttClientTcpOptions)Create("ssl://10.1.2.3", credentials).ChannelOptions;

        tcp.RemoteEndpoint.Should().Be(new IPEndPoint(IPAddress.Parse("10.1.2.3"), 8883));
        tcp.StreamProvider.Should().BeOfType<TlsStreamProvider>();
        tcp.TlsOptions.UseTls.Should().BeFalse("the provider's stream is encrypted already");
    }

    [Theory]
    [InlineData("ssl://10.1.2.3")]
    [InlineData("tcp://10.1.2.3")]
    public void Create_NoClientCertificateChain_LeavesTlsToMqttNet(string server)
    {
        using var root = TestPki.CreateRoot("Factory Root", TestKeyKind.Ecdsa);
        using var client = TestPki.IssueClient(root, kind: TestKeyKind.Ecdsa);

        var tcp = (MqttClientTcpOptions)Create(server, MqttCredentials.None with { ClientCertificate = client }).ChannelOptions;

        tcp.StreamProvider.Should().BeSameAs(SocketStreamProvider.Instance, "the socket is ours; MQTTnet adds TLS over it when the scheme asks");
        tcp.TlsOptions.UseTls.Should().Be(server.StartsWith("ssl", StringComparison.Ordinal));
    }

    [Fact]
    public void Create_UnixSocket_UsesUnixEndPoint()
    {
        var tcp = (MqttClientTcpOptions)Create("unix:///run/mqtt.sock").ChannelOptions;

        tcp.RemoteEndpoint.Should().BeOfType<UnixDomainSocketEndPoint>().Which.ToString().Should().Be("/run/mqtt.sock");
        tcp.AddressFamily.Should().Be(AddressFamily.Unix);
        tcp.ProtocolType.Should().Be(ProtocolType.Unspecified);
        tcp.TlsOptions.UseTls.Should().BeFalse();
    }

    [Fact]
    public void Create_RelativeUnixSocket_KeepsRelativePath()
    {
        var tcp = (MqttClientTcpOptions)Create("unix://mqtt.sock").ChannelOptions;

        tcp.RemoteEndpoint.Should().BeOfType<UnixDomainSocketEndPoint>().Which.ToString().Should().Be("mqtt.sock");
    }

    [Fact]
    public void Create_WebSocketWithHeaders_JoinsValues()
    {
        var settings = new MqttClientSettings
        {
            Server = "ws://broker.example:8080/mqtt",
            HttpHeaders = new Dictionary<string, string[]>
            {
                ["Authorization"] = ["Bearer abc"],
                ["X-Many"] = ["a", "b", "c"],
                ["X-None"] = [],
            },
        };

        var options = MqttClientOptionsFactory.Create(settings, "id", MqttCredentials.None, null, 4);

        var webSocket = options.ChannelOptions.Should().BeOfType<MqttClientWebSocketOptions>().Subject;
        webSocket.Uri.Should().Be("ws://broker.example:8080/mqtt");
        webSocket.RequestHeaders.Should().BeEquivalentTo(new Dictionary<string, string>
        {
            ["Authorization"] = "Bearer abc",
            ["X-Many"] = "a, b, c",
        });
        webSocket.TlsOptions.UseTls.Should().BeFalse();
    }

    [Fact]
    public void Create_SecureWebSocket_UsesTlsWithValidationHandler()
    {
        var webSocket = (MqttClientWebSocketOptions)Create("wss://broker.example").ChannelOptions;

        webSocket.Uri.Should().Be("wss://broker.example:443/");
        webSocket.RequestHeaders.Should().BeNull();
        webSocket.TlsOptions.UseTls.Should().BeTrue();
        webSocket.TlsOptions.CertificateValidationHandler.Should().NotBeNull();
    }

    [Theory]
    [InlineData(0, MqttProtocolVersion.V311)]
    [InlineData(3, MqttProtocolVersion.V310)]
    [InlineData(4, MqttProtocolVersion.V311)]
    [InlineData(5, MqttProtocolVersion.V500)]
    public void Create_ProtocolVersion_IsAlwaysSet(int protocolVersion, MqttProtocolVersion expected) =>
        MqttClientOptionsFactory.Create(new MqttClientSettings { Server = "tcp://h" }, "id", MqttCredentials.None, null, protocolVersion)
            .ProtocolVersion.Should().Be(expected);

    [Fact]
    public void ToMqttNetVersion_Unknown_ThrowsWithWhatIsAllowed() =>
        FluentActions.Invoking(() => MqttClientOptionsFactory.ToMqttNetVersion(7))
            .Should().Throw<ArgumentOutOfRangeException>()
            .WithMessage("client.protocolVersion: 7 is not a protocol version; expected 0, 3, 4 or 5 (Parameter 'protocolVersion')\nActual value was 7.");

    [Fact]
    public void Create_Settings_SetsIdentityTimeoutsAndSession()
    {
        var settings = new MqttClientSettings
        {
            Server = "tcp://h",
            ConnectTimeout = GoDuration.Zero,
            KeepAlive = GoDuration.FromMilliseconds(500),
            CleanSession = false,
        };

        var options = MqttClientOptionsFactory.Create(settings, "octopus-abc", MqttCredentials.None, null, 4);

        options.ClientId.Should().Be("octopus-abc");
        options.Timeout.Should().Be(Timeout.InfiniteTimeSpan);
        options.KeepAlivePeriod.Should().Be(TimeSpan.FromSeconds(1));
        options.CleanSession.Should().BeFalse();
        options.SessionExpiryInterval.Should().Be(0u);
        options.Credentials.Should().BeNull();
        options.WillTopic.Should().BeNull();
    }

    [Fact]
    public void Create_Defaults_Use30SecondsAndCleanSession()
    {
        var options = Create("tcp://h");

        options.Timeout.Should().Be(TimeSpan.FromSeconds(30));
        options.KeepAlivePeriod.Should().Be(TimeSpan.FromSeconds(30));
        options.CleanSession.Should().BeTrue();
    }

    [Theory]
    [InlineData(false, uint.MaxValue)]
    [InlineData(true, 0u)]
    public void Create_Mqtt5_KeepsSessionWhenNotClean(bool cleanSession, uint expiry) =>
        MqttClientOptionsFactory.Create(new MqttClientSettings { Server = "tcp://h", CleanSession = cleanSession }, "id", MqttCredentials.None, null, 5)
            .SessionExpiryInterval.Should().Be(expiry);

    [Fact]
    public void Create_Credentials_SetsUsernameAndPasswordBytes()
    {
        var credentials = MqttCredentials.None with { Username = "parchment", Password = Encoding.UTF8.GetBytes("s3cret") };

        var options = Create("tcp://h", credentials);

        options.Credentials!.GetUserName(options).Should().Be("parchment");
        options.Credentials.GetPassword(options).Should().Equal(Encoding.UTF8.GetBytes("s3cret"));
    }

    [Fact]
    public void Create_Will_SetsTopicPayloadQosAndRetain()
    {
        var will = new LastWillMessage("devices/fan/$will", [1, 2, 3], MqttQos.ExactlyOnce, false);

        var options = MqttClientOptionsFactory.Create(new MqttClientSettings { Server = "tcp://h" }, "id", MqttCredentials.None, will, 4);

        options.WillTopic.Should().Be("devices/fan/$will");
        options.WillPayload.Should().Equal(1, 2, 3);
        options.WillQualityOfServiceLevel.Should().Be(MqttQualityOfServiceLevel.ExactlyOnce);
        options.WillRetain.Should().BeFalse();
    }

    [Fact]
    public void Create_InvalidServer_ThrowsParserError() =>
        FluentActions.Invoking(() => Create("mqtt://h"))
            .Should().Throw<FormatException>()
            .WithMessage("client.server: \"mqtt://h\" has the unknown scheme \"mqtt\"; expected tcp, ssl, tls, tcps, ws, wss or unix");

    [Fact]
    public void ToWebSocketHeaders_NullOrEmpty_GivesNull()
    {
        MqttClientOptionsFactory.ToWebSocketHeaders(null).Should().BeNull();
        MqttClientOptionsFactory.ToWebSocketHeaders(new Dictionary<string, string[]>()).Should().BeNull();
        MqttClientOptionsFactory.ToWebSocketHeaders(new Dictionary<string, string[]> { ["X"] = [] }).Should().BeNull();
    }

    private static MqttClientOptions Create(string server, MqttCredentials? credentials = null) =>
        MqttClientOptionsFactory.Create(new MqttClientSettings { Server = server }, "id", credentials ?? MqttCredentials.None, null, 4);
}
