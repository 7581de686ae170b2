namespace Octopus.Mqtt.Tests.Options;

public sealed class MqttServerAddressTests
{
    [Theory]
    [InlineData("tcp://broker:1884", "tcp", "broker", 1884, "")]
    [InlineData("tcp://broker", "tcp", "broker", 1883, "")]
    [InlineData("SSL://broker", "ssl", "broker", 8883, "")]
    [InlineData("tls://broker", "tls", "broker", 8883, "")]
    [InlineData("tcps://broker", "tcps", "broker", 8883, "")]
    [InlineData("ws://broker", "ws", "broker", 80, "")]
    [InlineData("wss://broker/mqtt", "wss", "broker", 443, "/mqtt")]
    [InlineData("ws://broker:9001/mqtt?a=b", "ws", "broker", 9001, "/mqtt?a=b")]
    [InlineData("tcp://user:pw@broker:1883", "tcp", "broker", 1883, "")]
    [InlineData("tcp://[::1]:1884", "tcp", "::1", 1884, "")]
    [InlineData("tcp://[::1]", "tcp", "::1", 1883, "")]
    [InlineData("unix:///var/run/mosquitto.sock", "unix", "", 0, "/var/run/mosquitto.sock")]
    [InlineData("unix://relative.sock", "unix", "", 0, "relative.sock")]
    public void TryParse_SupportedUri_GivesItsParts(string server, string scheme, string host, int port, string path)
    {
        MqttServerAddress.TryParse(server, out var address, out var error).Should().BeTrue(error);

        address.Should().Be(new MqttServerAddress(scheme, host, port, path));
    }

    [Theory]
    [InlineData("tcp://b", false, false, false)]
    [InlineData("ssl://b", true, false, false)]
    [InlineData("tls://b", true, false, false)]
    [InlineData("tcps://b", true, false, false)]
    [InlineData("ws://b", false, true, false)]
    [InlineData("wss://b", true, true, false)]
    [InlineData("unix://s.sock", false, false, true)]
    public void TryParse_Scheme_TellsTheTransport(string server, bool tls, bool webSocket, bool unixSocket)
    {
        MqttServerAddress.TryParse(server, out var address, out _).Should().BeTrue();

        address!.UsesTls.Should().Be(tls);
        address.IsWebSocket.Should().Be(webSocket);
        address.IsUnixSocket.Should().Be(unixSocket);
    }

    [Theory]
    [InlineData("tcp://user:secret@broker:1883", "tcp://user:***@broker:1883")]
    [InlineData("tcp://user@broker:1883", "tcp://user@broker:1883")]
    [InlineData("wss://u:p@ss@broker/path@x", "wss://u:***@broker/path@x")]
    [InlineData("tcp://broker:1883", "tcp://broker:1883")]
    [InlineData("", "")]
    [InlineData("tcp://", "tcp://")]
    [InlineData("u:secret@broker", "u:***@broker")]
    public void Redact_UserInformation_HidesThePassword(string server, string expected) =>
        MqttServerAddress.Redact(server).Should().Be(expected);
}
