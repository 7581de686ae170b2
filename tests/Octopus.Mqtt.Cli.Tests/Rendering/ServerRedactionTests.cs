namespace Octopus.Mqtt.Cli.Tests.Rendering;

public class ServerRedactionTests
{
    [Theory]
    [InlineData("ssl://adaptor:S3RVER-PA55@broker.example:8883", "ssl://***@broker.example:8883")]
    [InlineData("tcp://adaptor@broker.example", "tcp://***@broker.example")]
    [InlineData("wss://a:b@c@broker.example/mqtt?x=@", "wss://***@broker.example/mqtt?x=@")]
    [InlineData("ws://broker.example/mqtt@v1", "ws://broker.example/mqtt@v1")]
    [InlineData("tcp://broker.example:1883", "tcp://broker.example:1883")]
    [InlineData("unix:///run/mqtt.sock", "unix:///run/mqtt.sock")]
    public void Redact_Server_HidesTheUserInformationOnly(string server, string shown) =>
        ServerRedaction.Redact(server).Should().Be(shown);
}
