using System.Text;
using Octopus.Mqtt.IntegrationTests.Brokers;
using Octopus.Mqtt.IntegrationTests.Engine;
using Octopus.Mqtt.IntegrationTests.Publishing;

namespace Octopus.Mqtt.IntegrationTests.Interop;

/// <summary>The device client's last will with mosquitto: published when the socket is cut, not after a graceful dispose.</summary>
public sealed class MosquittoWillTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Will_SocketCutAbruptly_MosquittoPublishesItRetainedToTheDefaultWillTopic()
    {
        await using var broker = await MosquittoBroker.StartAsync(cancellationToken: Token);
        await using var proxy = new TcpProxy(broker.TcpPort);
        await using var devices = new DeviceClientBuilder($"tcp://127.0.0.1:{proxy.Port}");
        devices.Options.Message.Will = new MqttWillSettings { Content = Encoding.UTF8.GetBytes("offline") };
        var willTopic = devices.Topic + "/$will";
        await using var watcher = await MqttTestSubscriber.ConnectAsync(broker.TcpServer, willTopic);
        var client = await devices.ConnectAsync();
        (await client.PublishAsync("online", Token)).Should().BeSameAs(MqttPublishResult.Delivered);

        proxy.CutAll();

        (await watcher.Messages.WaitForTopicAsync(willTopic)).PayloadText.Should().Be("offline");
        await using var later = await MqttTestSubscriber.ConnectAsync(broker.TcpServer, willTopic);
        (await later.Messages.WaitForTopicAsync(willTopic)).Should().BeEquivalentTo(
            new ReceivedMessage(willTopic, Encoding.UTF8.GetBytes("offline"), MqttQos.AtLeastOnce, true));
    }

    [Fact]
    public async Task Will_GracefulDispose_IsNotPublished()
    {
        await using var broker = await MosquittoBroker.StartAsync(cancellationToken: Token);
        await using var devices = new DeviceClientBuilder(broker.TcpServer);
        devices.Options.Message.Will = new MqttWillSettings { Content = Encoding.UTF8.GetBytes("offline") };
        var willTopic = devices.Topic + "/$will";
        await using var watcher = await MqttTestSubscriber.ConnectAsync(broker.TcpServer, willTopic, devices.Topic + "/marker");
        var client = await devices.ConnectAsync();
        (await client.PublishAsync("online", Token)).Should().BeSameAs(MqttPublishResult.Delivered);

        await client.DisposeAsync();
        await broker.WaitForLogAsync($"Client {devices.ClientId} disconnected.");
        using var marker = await TestMqttClient.ConnectAsync(broker.TcpServer, Token);
        await marker.PublishTextAsync(devices.Topic + "/marker", "after", cancellationToken: Token);

        await watcher.Messages.WaitForTopicAsync(devices.Topic + "/marker");
        watcher.Messages.GetSnapshot().Select(m => m.Topic).Should().Equal(devices.Topic + "/marker");
        client.State.Should().Be(MqttConnectionState.Disposed);
    }
}
