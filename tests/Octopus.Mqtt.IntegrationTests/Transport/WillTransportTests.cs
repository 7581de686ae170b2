using System.Text;
using MQTTnet;
using Octopus.Mqtt.IntegrationTests.Brokers;

namespace Octopus.Mqtt.IntegrationTests.Transport;

public sealed class WillTransportTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData(4)]
    [InlineData(5)]
    public async Task Connect_SocketCutWithoutDisconnect_MosquittoPublishesTheWill(int protocolVersion)
    {
        await using var broker = await MosquittoBroker.StartAsync(cancellationToken: Token);
        var willTopic = TestMqttClient.NewTopic() + "/$will";
        await using var subscriber = await MqttTestSubscriber.ConnectAsync(broker.TcpServer, willTopic);
        var will = new LastWillMessage(willTopic, Encoding.UTF8.GetBytes("gone"), MqttQos.AtLeastOnce, true);
        var client = await TestMqttClient.ConnectAsync(
            TestMqttClient.Options(new MqttClientSettings { Server = broker.TcpServer }, will: will, protocolVersion: protocolVersion),
            Token);

        // Disposing a connected MQTTnet client closes its socket without sending DISCONNECT.
        client.Dispose();

        (await subscriber.Messages.WaitForTopicAsync(willTopic)).PayloadText.Should().Be("gone");
        await using var later = await MqttTestSubscriber.ConnectAsync(broker.TcpServer, willTopic);
        (await later.Messages.WaitForTopicAsync(willTopic)).Should().BeEquivalentTo(
            new ReceivedMessage(willTopic, Encoding.UTF8.GetBytes("gone"), MqttQos.AtLeastOnce, true));
    }

    [Fact]
    public async Task Disconnect_Graceful_SendsNoWill()
    {
        await using var broker = await MosquittoBroker.StartAsync(cancellationToken: Token);
        var topic = TestMqttClient.NewTopic();
        await using var subscriber = await MqttTestSubscriber.ConnectAsync(broker.TcpServer, topic + "/#");
        var clientId = TestMqttClient.NewClientId();
        var will = new LastWillMessage(topic + "/$will", Encoding.UTF8.GetBytes("gone"), MqttQos.AtLeastOnce, false);
        using var client = await TestMqttClient.ConnectAsync(
            TestMqttClient.Options(new MqttClientSettings { Server = broker.TcpServer }, will: will, clientId: clientId),
            Token);

        await client.DisconnectAsync(new MqttClientDisconnectOptions(), Token);
        await broker.WaitForLogAsync($"Client {clientId} disconnected.");
        using var marker = await TestMqttClient.ConnectAsync(broker.TcpServer, Token);
        await marker.PublishTextAsync(topic + "/marker", "after", cancellationToken: Token);

        await subscriber.Messages.WaitForTopicAsync(topic + "/marker");
        subscriber.Messages.GetSnapshot().Select(m => m.Topic).Should().Equal(topic + "/marker");
    }
}
