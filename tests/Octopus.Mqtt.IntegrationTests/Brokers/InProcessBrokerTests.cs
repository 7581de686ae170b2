using MQTTnet;

namespace Octopus.Mqtt.IntegrationTests.Brokers;

public sealed class InProcessBrokerTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task StopAsync_ThenStartAsync_ListensOnTheSamePort()
    {
        await using var broker = await InProcessBroker.StartAsync();
        var port = broker.Port;
        using var client = await TestMqttClient.ConnectAsync(broker.Server, Token);
        var lost = Lost(client);

        await broker.StopAsync();
        await lost.WaitAsync(TestTimeouts.Arrival, Token);
        await broker.StartAsync();

        broker.Port.Should().Be(port);
        using var again = await TestMqttClient.ConnectAsync(broker.Server, Token);
        (await broker.ConnectionAttempts.WaitForCountAsync(2)).Should().HaveCount(2);
    }

    [Fact]
    public async Task HoldAcknowledgements_Publish_IsRecordedButNotAcknowledgedUntilReleased()
    {
        await using var broker = await InProcessBroker.StartAsync();
        using var client = await TestMqttClient.ConnectAsync(broker.Server, Token);
        using var gate = broker.HoldAcknowledgements();
        var topic = TestMqttClient.NewTopic();

        var publish = client.PublishTextAsync(topic, "held", MqttQos.AtLeastOnce, cancellationToken: Token);
        await gate.Held.WaitForCountAsync(1);

        (await broker.Messages.WaitForCountAsync(1))[0].Topic.Should().Be(topic);
        publish.IsCompleted.Should().BeFalse();
        gate.Release();
        (await publish.WaitAsync(TestTimeouts.Arrival, Token)).IsSuccess.Should().BeTrue();
    }

    [Fact]
    public async Task DisconnectClientAsync_ConnectedClient_LosesItsConnection()
    {
        await using var broker = await InProcessBroker.StartAsync();
        using var client = await TestMqttClient.ConnectAsync(broker.Server, Token);
        var lost = Lost(client);

        await broker.DisconnectClientAsync(client.Options.ClientId);

        await lost.WaitAsync(TestTimeouts.Arrival, Token);
        (await broker.Disconnections.WaitForCountAsync(1)).Should().Equal(client.Options.ClientId);
    }

    private static Task Lost(IMqttClient client)
    {
        var lost = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        client.DisconnectedAsync += _ =>
        {
            lost.TrySetResult();
            return Task.CompletedTask;
        };
        return lost.Task;
    }
}
