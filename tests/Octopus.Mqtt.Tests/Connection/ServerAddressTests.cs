namespace Octopus.Mqtt.Tests.Connection;

public sealed class ServerAddressTests
{
    [Theory]
    [InlineData("tcp://broker.example:1884", "Tcp", "tcp", "broker.example", 1884, "")]
    [InlineData("tcp://broker.example", "Tcp", "tcp", "broker.example", 1883, "")]
    [InlineData("TCP://Broker.Example:1883", "Tcp", "tcp", "Broker.Example", 1883, "")]
    [InlineData("tcp://broker.example:1883/ignored?x=1", "Tcp", "tcp", "broker.example", 1883, "")]
    [InlineData("ssl://broker.example", "Tls", "ssl", "broker.example", 8883, "")]
    [InlineData("tls://broker.example:9999", "Tls", "tls", "broker.example", 9999, "")]
    [InlineData("tcps://10.0.0.1", "Tls", "tcps", "10.0.0.1", 8883, "")]
    [InlineData("ws://broker.example", "WebSocket", "ws", "broker.example", 80, "/")]
    [InlineData("ws://broker.example:8080/mqtt", "WebSocket", "ws", "broker.example", 8080, "/mqtt")]
    [InlineData("ws://broker.example:8080?token=a", "WebSocket", "ws", "broker.example", 8080, "/?token=a")]
    [InlineData("wss://broker.example/mqtt/ws?a=b#frag", "SecureWebSocket", "wss", "broker.example", 443, "/mqtt/ws?a=b")]
    [InlineData("tcp://[::1]:1884", "Tcp", "tcp", "::1", 1884, "")]
    [InlineData("ssl://[fe80::1%eth0]", "Tls", "ssl", "fe80::1%eth0", 8883, "")]
    [InlineData("tcp://my_broker-1", "Tcp", "tcp", "my_broker-1", 1883, "")]
    [InlineData("unix:///var/run/mosquitto.sock", "UnixSocket", "unix", "", 0, "/var/run/mosquitto.sock")]
    [InlineData("unix://mosquitto.sock", "UnixSocket", "unix", "", 0, "mosquitto.sock")]
    [InlineData("unix://run/mosquitto.sock", "UnixSocket", "unix", "", 0, "run/mosquitto.sock")]
    public void Parse_Address_GivesParts(string server, string transport, string scheme, string host, int port, string path) =>
        ServerAddress.Parse(server).Should().Be(new ServerAddress(Enum.Parse<MqttTransport>(transport), scheme, host, port, path));

    [Theory]
    [InlineData(null, "client.server: is required; expected scheme://host:port with scheme tcp, ssl, tls, tcps, ws, wss or unix")]
    [InlineData("", "client.server: is required; expected scheme://host:port with scheme tcp, ssl, tls, tcps, ws, wss or unix")]
    [InlineData("localhost:1883", "client.server: \"localhost:1883\" has no scheme; expected scheme://host:port with scheme tcp, ssl, tls, tcps, ws, wss or unix")]
    [InlineData("://localhost", "client.server: \"://localhost\" has no scheme; expected scheme://host:port with scheme tcp, ssl, tls, tcps, ws, wss or unix")]
    [InlineData("mqtt://localhost", "client.server: \"mqtt://localhost\" has the unknown scheme \"mqtt\"; expected tcp, ssl, tls, tcps, ws, wss or unix")]
    [InlineData(" tcp://localhost", "client.server: \" tcp://localhost\" has the unknown scheme \" tcp\"; expected tcp, ssl, tls, tcps, ws, wss or unix")]
    [InlineData("tcp://user:s3cret@localhost:1883", "client.server: \"tcp://***@localhost:1883\" carries user information; put the username and password in client.basicAuth")]
    [InlineData("user:s3cret@localhost:1883", "client.server: \"***@localhost:1883\" has no scheme; expected scheme://host:port with scheme tcp, ssl, tls, tcps, ws, wss or unix")]
    [InlineData("tcp://:1883", "client.server: \"tcp://:1883\" has no host; expected scheme://host:port")]
    [InlineData("ws:///mqtt", "client.server: \"ws:///mqtt\" has no host; expected scheme://host:port")]
    [InlineData("tcp://bad host:1883", "client.server: \"tcp://bad host:1883\" has the invalid host \"bad host\"")]
    [InlineData("tcp://localhost:http", "client.server: \"tcp://localhost:http\" has the port \"http\"; expected a number from 1 to 65535")]
    [InlineData("tcp://localhost:0", "client.server: \"tcp://localhost:0\" has the port \"0\"; expected a number from 1 to 65535")]
    [InlineData("tcp://localhost:65536", "client.server: \"tcp://localhost:65536\" has the port \"65536\"; expected a number from 1 to 65535")]
    [InlineData("tcp://localhost:-1", "client.server: \"tcp://localhost:-1\" has the port \"-1\"; expected a number from 1 to 65535")]
    [InlineData("tcp://localhost:0000001883", "client.server: \"tcp://localhost:0000001883\" has the port \"0000001883\"; expected a number from 1 to 65535")]
    [InlineData("tcp://::1:1883", "client.server: \"tcp://::1:1883\" has an IPv6 address without brackets; expected an address such as tcp://[::1]:1883")]
    [InlineData("ssl://[::1:1883", "client.server: \"ssl://[::1:1883\" has an unclosed '['; expected an IPv6 address such as ssl://[::1]:1883")]
    [InlineData("tcp://[::1]1883", "client.server: \"tcp://[::1]1883\" has \"1883\" after the IPv6 address; expected [address]:port")]
    [InlineData("tcp://[::g]:1883", "client.server: \"tcp://[::g]:1883\" has the invalid IPv6 address \"::g\"; expected an address such as tcp://[::1]:1883")]
    [InlineData("tcp://[127.0.0.1]:1883", "client.server: \"tcp://[127.0.0.1]:1883\" has the invalid IPv6 address \"127.0.0.1\"; expected an address such as tcp://[::1]:1883")]
    [InlineData("tcp://[::1]:99999", "client.server: \"tcp://[::1]:99999\" has the port \"99999\"; expected a number from 1 to 65535")]
    [InlineData("unix://", "client.server: \"unix://\" has no socket path; expected unix:///absolute/path or unix://relative/path")]
    public void Parse_NotAnAddress_ThrowsWithWhatIsAllowed(string? server, string message)
    {
        FluentActions.Invoking(() => ServerAddress.Parse(server)).Should().Throw<FormatException>().WithMessage(message);
        ServerAddress.TryParse(server, out var address, out var error).Should().BeFalse();
        address.Should().BeNull();
        error.Should().Be(message);
    }

    [Fact]
    public void TryParse_Address_GivesNoError()
    {
        ServerAddress.TryParse("tcp://localhost", out var address, out var error).Should().BeTrue();
        address.Should().Be(new ServerAddress(MqttTransport.Tcp, "tcp", "localhost", 1883, string.Empty));
        error.Should().BeNull();
    }

    [Theory]
    [InlineData("tcp://localhost", false)]
    [InlineData("ssl://localhost", true)]
    [InlineData("tls://localhost", true)]
    [InlineData("tcps://localhost", true)]
    [InlineData("ws://localhost", false)]
    [InlineData("wss://localhost", true)]
    [InlineData("unix:///tmp/s", false)]
    public void UsesTls_Scheme_IsTrueForTlsSchemes(string server, bool usesTls) =>
        ServerAddress.Parse(server).UsesTls.Should().Be(usesTls);

    [Theory]
    [InlineData("ws://localhost", "ws://localhost:80/")]
    [InlineData("wss://[::1]:8443/mqtt?x=1", "wss://[::1]:8443/mqtt?x=1")]
    public void WebSocketUri_WebSocketAddress_WritesPortAndPath(string server, string uri) =>
        ServerAddress.Parse(server).WebSocketUri.Should().Be(uri);

    [Fact]
    public void WebSocketUri_TcpAddress_Throws() =>
        FluentActions.Invoking(() => ServerAddress.Parse("tcp://localhost").WebSocketUri)
            .Should().Throw<InvalidOperationException>().WithMessage("tcp:// is not a WebSocket address");

    [Theory]
    [InlineData("TLS://[::1]", "tls://[::1]:8883")]
    [InlineData("ws://h:81/a", "ws://h:81/a")]
    [InlineData("unix://a.sock", "unix://a.sock")]
    public void ToString_Address_IsCanonical(string server, string text) =>
        ServerAddress.Parse(server).ToString().Should().Be(text);

    [Theory]
    [InlineData("tcp://user:secret@broker:1883", "tcp://***@broker:1883")]
    [InlineData("tcp://user@broker:1883", "tcp://***@broker:1883")]
    [InlineData("wss://u:p@ss@broker/path@x", "wss://***@broker/path@x")]
    [InlineData("tcp://broker:1883", "tcp://broker:1883")]
    [InlineData("", "")]
    [InlineData("tcp://", "tcp://")]
    [InlineData("u:secret@broker", "***@broker")]
    public void Redact_UserInformation_HidesIt(string server, string expected) =>
        ServerAddress.Redact(server).Should().Be(expected);
}
