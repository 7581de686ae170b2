using Octopus.Mqtt.IntegrationTests.Brokers;

namespace Octopus.Mqtt.IntegrationTests.Publishing;

public sealed class MqttDeviceClientFactoryTests
{
    private static readonly DeviceIdentity Fan = new("default", "living-room-fan", "9e8efcb0-4b79-45e7-a4c4-3349562292e3");

    [Fact]
    public async Task Create_SeedOptions_PublishesStatusToTheRenderedTopicRetainedAtQos1()
    {
        await using var broker = await InProcessBroker.StartAsync();
        var options = Options(broker.Server, "cattle.io/octopus/:namespace/:name");
        await using var client = new MqttDeviceClientFactory().Create(Fan, options);

        await client.ConnectAsync(TestContext.Current.CancellationToken);
        var result = await client.PublishAsync(new FanStatus("slow", 1), TestContext.Current.CancellationToken);

        result.Status.Should().Be(MqttPublishStatus.Delivered);
        var message = await broker.Messages.WaitForAsync(m => m.Topic == "cattle.io/octopus/default/living-room-fan");
        message.PayloadText.Should().Be("""{"gear":"slow","rotatingSpeed":1}""");
        message.Qos.Should().Be(MqttQos.AtLeastOnce);
        message.Retain.Should().BeTrue();
        message.ClientId.Should().Be("octopus-9e8efcb04b7945e7a4c43349562292e3");
    }

    [Fact]
    public async Task Create_ProtocolVersion3_ConnectsWithThe23CharacterClientId()
    {
        await using var broker = await InProcessBroker.StartAsync();
        var options = Options(broker.Server, "devices/:name");
        options.Client.ProtocolVersion = 3;
        await using var client = new MqttDeviceClientFactory().Create(Fan, options);

        await client.ConnectAsync(TestContext.Current.CancellationToken);

        var attempt = await broker.ConnectionAttempts.WaitForAsync(_ => true);
        attempt.ClientId.Should().Be("octopus-efcb04957c34593");
        client.ClientId.Should().Be("octopus-efcb04957c34593");
    }

    [Fact]
    public async Task Create_WildcardTemplate_SubscribesAndRefusesOnlyTheDefaultPublish()
    {
        await using var broker = await InProcessBroker.StartAsync();
        var options = Options(broker.Server, "cattle.io/octopus/+/:name");
        await using var client = new MqttDeviceClientFactory().Create(Fan, options);
        await client.ConnectAsync(TestContext.Current.CancellationToken);
        var received = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        await client.SubscribeAsync(
            [new MqttDeviceSubscription()],
            (index, topic, payload, ct) =>
            {
                received.TrySetResult($"{index} {topic} {System.Text.Encoding.UTF8.GetString(payload.Span)}");
                return ValueTask.CompletedTask;
            },
            TestContext.Current.CancellationToken);

        using var other = await TestMqttClient.ConnectAsync(broker.Server, TestContext.Current.CancellationToken);
        await other.PublishTextAsync("cattle.io/octopus/set/living-room-fan", "on", cancellationToken: TestContext.Current.CancellationToken);

        (await received.Task.WaitAsync(TestTimeouts.Arrival, TestContext.Current.CancellationToken))
            .Should().Be("0 cattle.io/octopus/set/living-room-fan on");
        await FluentActions.Awaiting(async () => await client.PublishAsync("x", TestContext.Current.CancellationToken))
            .Should().ThrowAsync<MqttTopicException>();
    }

    [Fact]
    public void Create_InvalidOptions_ThrowsWithEveryProblem()
    {
        var options = Options("ftp://broker", "devices/:name/");
        options.Message.Qos = (MqttQos)3;

        var create = () => new MqttDeviceClientFactory().Create(Fan, options);

        create.Should().Throw<MqttOptionsException>()
            .Which.Problems.Select(p => p.Path).Should().BeEquivalentTo("client.server", "message.qos", "message.topic");
    }

    private static MqttOptions Options(string server, string topic)
    {
        var options = new MqttOptions();
        options.Client.Server = server;
        options.Message.Topic = topic;
        return options;
    }
}
