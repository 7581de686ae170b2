using Octopus.Mqtt.IntegrationTests.Brokers;
using Octopus.Mqtt.IntegrationTests.Publishing;

namespace Octopus.Mqtt.IntegrationTests.Interop;

/// <summary>The device client against Debian's mosquitto over plain TCP and a Unix socket, with every protocol version.</summary>
public sealed class MosquittoProtocolTests
{
    private static readonly DeviceIdentity SeedDevice = new("default", "fan", "9e8efcb0-4b79-45e7-a4c4-3349562292e3");

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    /// <summary>mosquitto logs the protocol as p1 (3.1), p2 (3.1.1) or p5 (5.0).</summary>
    [Theory]
    [InlineData(0, "octopus-9e8efcb04b7945e7a4c43349562292e3", 2)]
    [InlineData(3, "octopus-efcb04957c34593", 1)]
    [InlineData(4, "octopus-9e8efcb04b7945e7a4c43349562292e3", 2)]
    [InlineData(5, "octopus-9e8efcb04b7945e7a4c43349562292e3", 5)]
    public async Task PublishAsync_ProtocolVersion_DeliveredWithTheContractsClientId(int protocolVersion, string clientId, int mosquittoProtocol)
    {
        await using var broker = await MosquittoBroker.StartAsync(cancellationToken: Token);
        await using var devices = new DeviceClientBuilder(broker.TcpServer) { Device = SeedDevice };
        devices.Options.Client.ProtocolVersion = protocolVersion;
        await using var subscriber = await MqttTestSubscriber.ConnectAsync(broker.TcpServer, devices.Topic);
        var client = await devices.ConnectAsync();

        var result = await client.PublishAsync(new FanStatus("slow", 1), Token);

        result.Should().BeSameAs(MqttPublishResult.Delivered);
        (await subscriber.Messages.WaitForTopicAsync(devices.Topic)).Should().BeEquivalentTo(
            new ReceivedMessage(devices.Topic, """{"gear":"slow","rotatingSpeed":1}"""u8.ToArray(), MqttQos.AtLeastOnce, false));
        client.ClientId.Should().Be(clientId);
        await broker.WaitForLogAsync($"as {clientId} (p{mosquittoProtocol}, c1, k30)");
    }

    [Fact]
    public async Task PublishAsync_Retained_StatusDeliveredToALaterSubscriber()
    {
        await using var broker = await MosquittoBroker.StartAsync(cancellationToken: Token);
        await using var devices = new DeviceClientBuilder(broker.TcpServer);
        var client = await devices.ConnectAsync();

        (await client.PublishAsync(new FanStatus("middle", 100), Token)).Should().BeSameAs(MqttPublishResult.Delivered);
        (await client.PublishAsync(new FanStatus("fast", 200), Token)).Should().BeSameAs(MqttPublishResult.Delivered);
        await using var later = await MqttTestSubscriber.ConnectAsync(broker.TcpServer, devices.Topic);

        (await later.Messages.WaitForTopicAsync(devices.Topic)).Should().BeEquivalentTo(
            new ReceivedMessage(devices.Topic, """{"gear":"fast","rotatingSpeed":200}"""u8.ToArray(), MqttQos.AtLeastOnce, true));
    }

    [Fact]
    public async Task SubscribeAsync_CommandFromAnotherClient_ReachesTheHandler()
    {
        await using var broker = await MosquittoBroker.StartAsync(cancellationToken: Token);
        await using var devices = new DeviceClientBuilder(broker.TcpServer);
        var client = await devices.ConnectAsync();
        var received = new ConditionRecorder<string>();
        await client.SubscribeAsync(
            [new MqttDeviceSubscription { RenderMap = new Dictionary<string, string> { ["path"] = "set" } }],
            (index, topic, payload, _) =>
            {
                received.Add($"{index} {topic} {System.Text.Encoding.UTF8.GetString(payload.Span)}");
                return ValueTask.CompletedTask;
            },
            Token);

        using var commander = await TestMqttClient.ConnectAsync(broker.TcpServer, Token);
        await commander.PublishTextAsync(devices.TopicWithPath("set"), """{"gear":"fast"}""", cancellationToken: Token);

        (await received.WaitForCountAsync(1)).Should().Equal($$"""0 {{devices.TopicWithPath("set")}} {"gear":"fast"}""");
    }

    [Fact]
    public async Task PublishAsync_UnixSocketListener_Delivered()
    {
        await using var broker = await MosquittoBroker.StartAsync(new MosquittoOptions { UnixSocket = true }, Token);
        await using var devices = new DeviceClientBuilder(broker.UnixServer);
        await using var subscriber = await MqttTestSubscriber.ConnectAsync(broker.TcpServer, devices.Topic);
        var client = await devices.ConnectAsync();

        var result = await client.PublishAsync("over a unix socket", Token);

        result.Should().BeSameAs(MqttPublishResult.Delivered);
        (await subscriber.Messages.WaitForTopicAsync(devices.Topic)).PayloadText.Should().Be("\"over a unix socket\"");
        await broker.WaitForLogAsync($"as {devices.ClientId} (p2, c1, k30)");
    }
}
