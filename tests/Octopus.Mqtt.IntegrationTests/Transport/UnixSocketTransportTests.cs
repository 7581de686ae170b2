using Octopus.Mqtt.IntegrationTests.Brokers;

namespace Octopus.Mqtt.IntegrationTests.Transport;

public sealed class UnixSocketTransportTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Connect_AbsoluteUnixSocketToMosquitto_PublishesAndReceives()
    {
        await using var broker = await MosquittoBroker.StartAsync(new MosquittoOptions { UnixSocket = true }, Token);
        var topic = TestMqttClient.NewTopic();
        await using var subscriber = await MqttTestSubscriber.ConnectAsync(broker.TcpServer, topic);

        broker.UnixServer.Should().StartWith("unix:///");
        using var client = await TestMqttClient.ConnectAsync(broker.UnixServer, Token);
        await client.PublishTextAsync(topic, "over a unix socket", cancellationToken: Token);

        (await subscriber.Messages.WaitForTopicAsync(topic)).PayloadText.Should().Be("over a unix socket");
        await broker.WaitForLogAsync($"New client connected from {broker.UnixSocketPath}");
    }

    [Fact]
    public async Task Connect_RelativeUnixSocketToMosquitto_ResolvesFromCurrentDirectory()
    {
        await using var broker = await MosquittoBroker.StartAsync(new MosquittoOptions { Tcp = false, UnixSocket = true }, Token);
        var relative = Path.GetRelativePath(Environment.CurrentDirectory, broker.UnixSocketPath!);
        var topic = TestMqttClient.NewTopic();
        await using var subscriber = await MqttTestSubscriber.ConnectAsync(broker.UnixServer, topic);

        relative.Should().NotStartWith("/");
        using var client = await TestMqttClient.ConnectAsync($"unix://{relative}", Token);
        await client.PublishTextAsync(topic, "relative", cancellationToken: Token);

        (await subscriber.Messages.WaitForTopicAsync(topic)).PayloadText.Should().Be("relative");
    }
}
