using System.Diagnostics;
using Octopus.Mqtt.IntegrationTests.Brokers;
using Octopus.Mqtt.IntegrationTests.Publishing;

namespace Octopus.Mqtt.IntegrationTests.Reliability;

/// <summary>
/// Brokers that do not answer: one that never sends CONNACK (client.connectTimeout), one that holds back PUBACK
/// (client.writeTimeout and client.waitTimeout). A message that was not acknowledged in time is kept and delivered.
/// </summary>
public sealed class TimeoutTests
{
    private const int WriteTimedOutEventId = 1008;
    private static readonly TimeSpan Short = TimeSpan.FromMilliseconds(300);


    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ConnectAsync_BrokerNeverSendsConnack_FailsAfterConnectTimeout()
    {
        await using var silent = SilentTcpListener.Start();
        await using var devices = new DeviceClientBuilder(silent.Server());
        devices.Options.Client.ConnectTimeout = GoDuration.FromMilliseconds(300);
        var client = devices.Build();
        var start = Stopwatch.GetTimestamp();

        var failure = await FluentActions.Awaiting(() => client.ConnectAsync(Token)).Should().ThrowAsync<MqttDeviceClientException>();

        Stopwatch.GetElapsedTime(start).Should().BeGreaterThanOrEqualTo(TestTimeouts.AtLeast(Short)).And.BeLessThan(TestTimeouts.Arrival);
        failure.Which.Message.Should().Be($"Connecting to the MQTT broker as {devices.ClientId} did not complete within client.connectTimeout 300ms.");
        failure.Which.ReasonCode.Should().BeNull();
        silent.Connections.Count.Should().Be(1);
        client.State.Should().Be(MqttConnectionState.Disconnected);
    }

    [Fact]
    public async Task ConnectAsync_ConnectTimeoutZero_WaitsUntilTheCallerCancels()
    {
        await using var silent = SilentTcpListener.Start();
        await using var devices = new DeviceClientBuilder(silent.Server());
        devices.Options.Client.ConnectTimeout = GoDuration.Zero;
        var client = devices.Build();
        using var caller = CancellationTokenSource.CreateLinkedTokenSource(Token);
        var start = Stopwatch.GetTimestamp();
        caller.CancelAfter(Short);

        await FluentActions.Awaiting(() => client.ConnectAsync(caller.Token)).Should().ThrowAsync<OperationCanceledException>();

        Stopwatch.GetElapsedTime(start).Should().BeGreaterThanOrEqualTo(TestTimeouts.AtLeast(Short), "0 means no connect timeout, not an immediate one");
        client.State.Should().Be(MqttConnectionState.Disconnected);
    }

    [Fact]
    public async Task PublishAsync_PubackHeldBeyondWriteTimeout_QueuedThenResentAndDeliveredAfterRelease()
    {
        await using var broker = await InProcessBroker.StartAsync();
        await using var devices = new DeviceClientBuilder(broker.Server);
        devices.Options.Client.WriteTimeout = GoDuration.FromMilliseconds(300);
        await using var subscriber = await MqttTestSubscriber.ConnectAsync(broker.Server, devices.Topic);
        var client = await devices.ConnectAsync();
        using var gate = broker.HoldAcknowledgements();

        await PublishHeldAsync(client);

        await devices.WaitForStateAsync(MqttConnectionState.Connected, 2);
        devices.LogCount(WriteTimedOutEventId).Should().BeGreaterThanOrEqualTo(1);
        await gate.Held.WaitForCountAsync(2);
        gate.Release();

        (await subscriber.Messages.WaitForTopicAsync(devices.Topic)).PayloadText.Should().Be("\"held\"");
        (await client.PublishAsync("next", Token)).Status.Should().NotBe(MqttPublishStatus.Dropped);
        var received = await subscriber.Messages.WaitUntilAsync(messages => messages.Any(m => m.PayloadText == "\"next\""), "the next message");
        received.Select(m => m.PayloadText).Distinct().Should().Equal(["\"held\"", "\"next\""], "a resend may repeat a message, never reorder");
    }

    [Fact]
    public async Task PublishAsync_PubackHeldBeyondWaitTimeout_QueuedOnTheSameConnectionAndDeliveredAfterRelease()
    {
        await using var broker = await InProcessBroker.StartAsync();
        await using var devices = new DeviceClientBuilder(broker.Server);
        devices.Options.Client.WaitTimeout = GoDuration.FromMilliseconds(300);
        devices.Options.Client.WriteTimeout = GoDuration.FromSeconds(30);
        await using var subscriber = await MqttTestSubscriber.ConnectAsync(broker.Server, devices.Topic);
        var client = await devices.ConnectAsync();
        using var gate = broker.HoldAcknowledgements();

        await PublishHeldAsync(client);

        gate.Release();
        (await subscriber.Messages.WaitForTopicAsync(devices.Topic)).PayloadText.Should().Be("\"held\"");
        (await client.PublishAsync("next", Token)).Should().BeSameAs(MqttPublishResult.Delivered);
        (await subscriber.Messages.WaitForCountAsync(2)).Select(m => m.PayloadText).Should().Equal("\"held\"", "\"next\"");
        devices.States.CountOf(MqttConnectionState.Connected).Should().Be(1, "waitTimeout ends the wait, not the connection");
        devices.LogCount(WriteTimedOutEventId).Should().Be(0);
        broker.Messages.GetSnapshot().Select(m => m.PayloadText).Should().Equal(["\"held\"", "\"next\""], "it was sent once");
    }

    /// <summary>Publishes while the broker holds acknowledgements: the call returns Queued, after the time limit, not before.</summary>
    private static async Task PublishHeldAsync(IMqttDeviceClient client)
    {
        var start = Stopwatch.GetTimestamp();

        var result = await client.PublishAsync("held", Token);

        Stopwatch.GetElapsedTime(start).Should().BeGreaterThanOrEqualTo(TestTimeouts.AtLeast(Short));
        result.Should().BeSameAs(MqttPublishResult.Queued);
    }
}
