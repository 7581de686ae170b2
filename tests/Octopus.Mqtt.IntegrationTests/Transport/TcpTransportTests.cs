using System.Text;
using MQTTnet.Formatter;
using Octopus.Mqtt.IntegrationTests.Brokers;

namespace Octopus.Mqtt.IntegrationTests.Transport;

public sealed class TcpTransportTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Connect_TcpToInProcessBroker_PublishesAndReceives()
    {
        await using var broker = await InProcessBroker.StartAsync();
        var topic = TestMqttClient.NewTopic();
        await using var subscriber = await MqttTestSubscriber.ConnectAsync(broker.Server, topic);
        using var client = await TestMqttClient.ConnectAsync(broker.Server, Token);

        await client.PublishTextAsync(topic, "hello", MqttQos.AtLeastOnce, cancellationToken: Token);

        (await subscriber.Messages.WaitForTopicAsync(topic)).Should().BeEquivalentTo(new ReceivedMessage(topic, Encoding.UTF8.GetBytes("hello"), MqttQos.AtLeastOnce, false));
        (await broker.Messages.WaitForTopicAsync(topic)).ClientId.Should().Be(client.Options.ClientId);
    }

    [Fact]
    public async Task Connect_Ipv6LiteralToInProcessBroker_PublishesAndReceives()
    {
        await using var broker = await InProcessBroker.StartAsync();
        var topic = TestMqttClient.NewTopic();
        await using var subscriber = await MqttTestSubscriber.ConnectAsync(broker.Server, topic);
        using var client = await TestMqttClient.ConnectAsync(broker.Ipv6Server, Token);

        await client.PublishTextAsync(topic, "over ::1", cancellationToken: Token);

        (await subscriber.Messages.WaitForTopicAsync(topic)).PayloadText.Should().Be("over ::1");
    }

    [Fact]
    public async Task Connect_Settings_ReachTheBrokerInConnect()
    {
        await using var broker = await InProcessBroker.StartAsync();
        var settings = new MqttClientSettings { Server = broker.Server, KeepAlive = GoDuration.FromMilliseconds(500), CleanSession = false };
        var credentials = MqttCredentials.None with { Username = "parchment", Password = Encoding.UTF8.GetBytes("s3cret") };

        using var client = await TestMqttClient.ConnectAsync(TestMqttClient.Options(settings, credentials, clientId: "octopus-settings"), Token);

        var attempt = (await broker.ConnectionAttempts.WaitForCountAsync(1))[0];
        attempt.Should().BeEquivalentTo(new ConnectionAttempt("octopus-settings", "parchment", Encoding.UTF8.GetBytes("s3cret"), MqttProtocolVersion.V311, 1, false));
    }

    [Fact]
    public async Task Connect_TcpToMosquitto_PublishesAndReceives()
    {
        await using var broker = await MosquittoBroker.StartAsync(cancellationToken: Token);
        var topic = TestMqttClient.NewTopic();
        await using var subscriber = await MqttTestSubscriber.ConnectAsync(broker.TcpServer, topic);
        using var client = await TestMqttClient.ConnectAsync(broker.TcpServer, Token);

        await client.PublishTextAsync(topic, "to mosquitto", MqttQos.ExactlyOnce, cancellationToken: Token);

        (await subscriber.Messages.WaitForTopicAsync(topic)).Should().BeEquivalentTo(new ReceivedMessage(topic, Encoding.UTF8.GetBytes("to mosquitto"), MqttQos.AtLeastOnce, false));
    }

    [Theory]
    [InlineData(0, "p2")]
    [InlineData(3, "p1")]
    [InlineData(4, "p2")]
    [InlineData(5, "p5")]
    public async Task Connect_ProtocolVersionToMosquitto_ConnectsWithThatVersion(int protocolVersion, string logged)
    {
        await using var broker = await MosquittoBroker.StartAsync(cancellationToken: Token);
        var clientId = TestMqttClient.NewClientId();
        var topic = TestMqttClient.NewTopic();
        await using var subscriber = await MqttTestSubscriber.ConnectAsync(broker.TcpServer, topic);

        using var client = await TestMqttClient.ConnectAsync(
            TestMqttClient.Options(new MqttClientSettings { Server = broker.TcpServer }, protocolVersion: protocolVersion, clientId: clientId),
            Token);
        await client.PublishTextAsync(topic, $"v{protocolVersion}", cancellationToken: Token);

        await broker.WaitForLogAsync($"as {clientId} ({logged}, c1, k30)");
        (await subscriber.Messages.WaitForTopicAsync(topic)).PayloadText.Should().Be($"v{protocolVersion}");
    }

    [Fact]
    public async Task Connect_KeepAliveFractionAndKeptSession_ReachMosquittoAsWholeSeconds()
    {
        await using var broker = await MosquittoBroker.StartAsync(cancellationToken: Token);
        var clientId = TestMqttClient.NewClientId();
        var settings = new MqttClientSettings { Server = broker.TcpServer, KeepAlive = GoDuration.Parse("1.5s"), CleanSession = false };

        using var client = await TestMqttClient.ConnectAsync(TestMqttClient.Options(settings, clientId: clientId), Token);

        await broker.WaitForLogAsync($"as {clientId} (p2, c0, k2)");
    }
}
