using System.Text;
using Octopus.Mqtt.IntegrationTests.Brokers;

namespace Octopus.Mqtt.IntegrationTests.Transport;

public sealed class RetainedTransportTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Publish_RetainedToMosquitto_ReachesALaterSubscriberAsRetained()
    {
        await using var broker = await MosquittoBroker.StartAsync(cancellationToken: Token);
        var retained = TestMqttClient.NewTopic();
        var plain = TestMqttClient.NewTopic();
        using (var client = await TestMqttClient.ConnectAsync(broker.TcpServer, Token))
        {
            await client.PublishTextAsync(retained, "{\"gear\":\"slow\"}", MqttQos.AtLeastOnce, retain: true, Token);
            await client.PublishTextAsync(plain, "not kept", MqttQos.AtLeastOnce, retain: false, Token);
        }

        await using var later = await MqttTestSubscriber.ConnectAsync(broker.TcpServer, plain, retained);

        (await later.Messages.WaitForTopicAsync(retained)).Should().BeEquivalentTo(
            new ReceivedMessage(retained, Encoding.UTF8.GetBytes("{\"gear\":\"slow\"}"), MqttQos.AtLeastOnce, true));
        later.Messages.GetSnapshot().Should().ContainSingle();
    }
}
