using Octopus.Mqtt.IntegrationTests.Brokers;
using Octopus.Mqtt.IntegrationTests.Publishing;
using Octopus.Mqtt.Tests.Shared;

namespace Octopus.Mqtt.IntegrationTests.Interop;

/// <summary>The device client over WebSocket (ws and wss) to an MQTTnet broker behind Kestrel.</summary>
public sealed class WebSocketTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task PublishAsync_WebSocketWithHttpHeaders_HeadersArriveInTheHandshake(bool secure)
    {
        await using var broker = await WebSocketBroker.StartAsync();
        await using var devices = new DeviceClientBuilder(secure ? broker.WssServer : broker.WsServer);
        devices.Options.Client.HttpHeaders = new Dictionary<string, string[]>
        {
            ["Authorization"] = ["Bearer octopus"],
            ["X-Octopus-Values"] = ["a", "b"],
        };
        if (secure)
        {
            devices.Options.Client.TlsConfig = new MqttTlsSettings { CaFilePEM = TestPki.CertificatePem(TestCertificates.Shared.Ca) };
        }

        var client = await devices.ConnectAsync();
        var result = await client.PublishAsync(new FanStatus("fast", 300), Token);

        result.Should().BeSameAs(MqttPublishResult.Delivered);
        var message = await broker.Messages.WaitForTopicAsync(devices.Topic);
        message.PayloadText.Should().Be("""{"gear":"fast","rotatingSpeed":300}""");
        message.ClientId.Should().Be(devices.ClientId);
        var handshake = await broker.Handshakes.WaitForAsync(_ => true);
        handshake.IsHttps.Should().Be(secure);
        handshake.Path.Should().Be("/mqtt");
        handshake.Headers["Authorization"].Should().Be("Bearer octopus");
        handshake.Headers["X-Octopus-Values"].Should().Be("a, b");
    }
}
