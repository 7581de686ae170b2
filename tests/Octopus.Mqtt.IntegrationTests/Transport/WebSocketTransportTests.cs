using Octopus.Mqtt.IntegrationTests.Brokers;

namespace Octopus.Mqtt.IntegrationTests.Transport;

public sealed class WebSocketTransportTests
{
    private static readonly Dictionary<string, string[]> Headers = new()
    {
        ["Authorization"] = ["Bearer octopus"],
        ["X-Octopus-Values"] = ["a", "b", "c"],
    };

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Connect_WsWithHttpHeaders_HeadersArriveAndMessagesFlow()
    {
        await using var broker = await WebSocketBroker.StartAsync();
        var topic = TestMqttClient.NewTopic();
        await using var subscriber = await MqttTestSubscriber.ConnectAsync(broker.WsServer, topic);
        var settings = new MqttClientSettings { Server = broker.WsServer, HttpHeaders = Headers };

        using var client = await TestMqttClient.ConnectAsync(TestMqttClient.Options(settings), Token);
        await client.PublishTextAsync(topic, "over ws", cancellationToken: Token);

        (await subscriber.Messages.WaitForTopicAsync(topic)).PayloadText.Should().Be("over ws");
        var handshake = await broker.Handshakes.WaitForAsync(h => h.Headers.ContainsKey("Authorization"));
        handshake.Path.Should().Be("/mqtt");
        handshake.IsHttps.Should().BeFalse();
        handshake.Headers["Authorization"].Should().Be("Bearer octopus");
        handshake.Headers["X-Octopus-Values"].Should().Be("a, b, c");
        handshake.Headers["Sec-WebSocket-Protocol"].Should().Be("mqtt");
    }

    [Fact]
    public async Task Connect_WssWithCaFromTest_HeadersArriveAndMessagesFlow()
    {
        await using var broker = await WebSocketBroker.StartAsync();
        var topic = TestMqttClient.NewTopic();
        await using var subscriber = await MqttTestSubscriber.ConnectAsync(broker.WsServer, topic);
        var settings = new MqttClientSettings { Server = broker.WssServer, HttpHeaders = Headers };
        var credentials = MqttCredentials.None with { CaCertificates = TestCertificates.Bundle(TestCertificates.Shared.Ca) };

        using var client = await TestMqttClient.ConnectAsync(TestMqttClient.Options(settings, credentials), Token);
        await client.PublishTextAsync(topic, "over wss", cancellationToken: Token);

        (await subscriber.Messages.WaitForTopicAsync(topic)).PayloadText.Should().Be("over wss");
        var handshake = await broker.Handshakes.WaitForAsync(h => h.IsHttps);
        handshake.Headers["X-Octopus-Values"].Should().Be("a, b, c");
    }

    [Fact]
    public async Task Connect_WssCertificateFromAnotherCa_FailsNamingTheCaBundle()
    {
        await using var broker = await WebSocketBroker.StartAsync();
        var credentials = MqttCredentials.None with { CaCertificates = TestCertificates.Bundle(TestCertificates.Shared.OtherCa) };

        var connect = () => TestMqttClient.ConnectAsync(TestMqttClient.Options(new MqttClientSettings { Server = broker.WssServer }, credentials), Token);

        (await connect.Should().ThrowAsync<Exception>()).Which.MessageChain().Should().Contain(
            "AuthenticationException: TLS: the broker's certificate \"CN=localhost\" is not issued by a CA in client.tlsConfig.caFilePEM (its chain ends at \"CN=Octopus Test CA\")");
        broker.Handshakes.Count.Should().Be(0);
    }

    [Fact]
    public async Task Connect_WssServerNameNotInCertificate_Fails()
    {
        await using var broker = await WebSocketBroker.StartAsync();
        var credentials = MqttCredentials.None with { CaCertificates = TestCertificates.Bundle(TestCertificates.Shared.Ca), ServerName = "wrong.octopus.test" };

        var connect = () => TestMqttClient.ConnectAsync(TestMqttClient.Options(new MqttClientSettings { Server = broker.WssServer }, credentials), Token);

        (await connect.Should().ThrowAsync<Exception>()).Which.MessageChain().Should().Contain(
            $"AuthenticationException: TLS: the broker's certificate \"CN=localhost\" is not valid for the name \"wrong.octopus.test\" (client.tlsConfig.serverName); it is valid for localhost, {TestCertificates.ExtraServerName}, 127.0.0.1");
    }
}
