using Octopus.Mqtt.IntegrationTests.Brokers;
using Octopus.Mqtt.IntegrationTests.Engine;
using Octopus.Mqtt.IntegrationTests.Publishing;

namespace Octopus.Mqtt.IntegrationTests.Reliability;

/// <summary>With client.cleanSession false, mosquitto keeps the device's session while it is away: commands sent meanwhile arrive after the reconnect.</summary>
public sealed class PersistentSessionTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData(4)]
    [InlineData(5)]
    public async Task SubscribeAsync_CleanSessionFalse_CommandsSentWhileDisconnectedArriveAfterTheReconnect(int protocolVersion)
    {
        await using var broker = await MosquittoBroker.StartAsync(cancellationToken: Token);
        await using var proxy = new TcpProxy(broker.TcpPort);
        var time = new RecordingTimeProvider();
        await using var devices = new DeviceClientBuilder($"tcp://127.0.0.1:{proxy.Port}") { Time = time };
        devices.Options.Client.CleanSession = false;
        devices.Options.Client.ProtocolVersion = protocolVersion;
        var client = await devices.ConnectAsync();
        var commands = await DeviceClientBuilder.SubscribeToCommandsAsync(client);

        proxy.CutAll();
        await devices.WaitForStateAsync(MqttConnectionState.Reconnecting);
        await time.Timers.WaitUntilAsync(timers => timers.Any(d => d > TimeSpan.Zero && d <= TimeSpan.FromMilliseconds(100)), "the reconnect backoff");
        await broker.WaitForLogAsync($"Client {devices.ClientId} closed its connection.");
        using var commander = await TestMqttClient.ConnectAsync(broker.TcpServer, Token);
        await commander.PublishTextAsync(devices.TopicWithPath("set"), "while away 1", cancellationToken: Token);
        await commander.PublishTextAsync(devices.TopicWithPath("set"), "while away 2", cancellationToken: Token);
        time.Advance(TimeSpan.FromMilliseconds(100));

        (await commands.WaitForCountAsync(2)).Should().Equal("while away 1", "while away 2");
        await devices.WaitForStateAsync(MqttConnectionState.Connected, 2);
        await commander.PublishTextAsync(devices.TopicWithPath("set"), "after", cancellationToken: Token);
        (await commands.WaitForCountAsync(3)).Should().Equal("while away 1", "while away 2", "after");
        await broker.WaitForLogAsync($"as {devices.ClientId} (p{(protocolVersion == 5 ? 5 : 2)}, c0, k30)");
    }
}
