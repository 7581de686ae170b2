using System.Diagnostics;
using System.Globalization;
using System.Text;
using Octopus.Mqtt.IntegrationTests.Brokers;
using Octopus.Mqtt.IntegrationTests.Publishing;

namespace Octopus.Mqtt.IntegrationTests.Reliability;

/// <summary>
/// The offline queue (client.messageChannelDepth 3) overflowing while the broker is down, under each overflow policy,
/// through the public client: what each publish returns, and what reaches the broker when it is back.
/// </summary>
public sealed class QueueOverflowTests : IAsyncLifetime
{
    private const int Depth = 3;
    private const int MessageDroppedEventId = 1100;

    private InProcessBroker _broker = null!;
    private DeviceClientBuilder _devices = null!;

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _broker = await InProcessBroker.StartAsync();
        _devices = new DeviceClientBuilder(_broker.Server);
        _devices.Options.Client.MessageChannelDepth = Depth;
    }

    public async ValueTask DisposeAsync()
    {
        await _devices.DisposeAsync();
        await _broker.DisposeAsync();
    }

    [Fact]
    public async Task PublishAsync_DropOldest_KeepsTheNewestMessages()
    {
        var client = await OfflineClientAsync(MqttQueueOverflowPolicy.DropOldest);

        var results = await PublishAsync(client, 0, 5);

        results.Should().OnlyContain(r => r == MqttPublishResult.Queued, "each call returned before a later one pushed it out");
        _devices.LogCount(MessageDroppedEventId).Should().Be(2);
        (await ArrivalsAfterRestartAsync(client, 3)).Should().Equal("m2", "m3", "m4");
    }

    [Fact]
    public async Task PublishAsync_DropNewest_DropsWhatDoesNotFit()
    {
        var client = await OfflineClientAsync(MqttQueueOverflowPolicy.DropNewest);

        var results = await PublishAsync(client, 0, 5);

        results.Should().Equal(
            MqttPublishResult.Queued,
            MqttPublishResult.Queued,
            MqttPublishResult.Queued,
            MqttPublishResult.Dropped(MqttDropReason.QueueOverflow),
            MqttPublishResult.Dropped(MqttDropReason.QueueOverflow));
        (await ArrivalsAfterRestartAsync(client, 3)).Should().Equal("m0", "m1", "m2");
    }

    [Fact]
    public async Task PublishAsync_Refuse_ThrowsForWhatDoesNotFit()
    {
        var client = await OfflineClientAsync(MqttQueueOverflowPolicy.Refuse);
        (await PublishAsync(client, 0, 3)).Should().OnlyContain(r => r == MqttPublishResult.Queued);

        var refused = await FluentActions.Awaiting(() => PublishAsync(client, 3, 1)).Should().ThrowAsync<MqttDeviceClientException>();

        refused.Which.Message.Should().Be("The message queue is full: 3 message(s) are waiting to be sent (client.messageChannelDepth); the publish was refused.");
        (await ArrivalsAfterRestartAsync(client, 3)).Should().Equal("m0", "m1", "m2");
    }

    [Fact]
    public async Task PublishAsync_WaitWithWaitTimeout_DropsAfterWaitTimeout()
    {
        _devices.Options.Client.WaitTimeout = GoDuration.FromMilliseconds(300);
        var client = await OfflineClientAsync(MqttQueueOverflowPolicy.Wait);
        (await PublishAsync(client, 0, 3)).Should().OnlyContain(r => r == MqttPublishResult.Queued);
        var start = Stopwatch.GetTimestamp();

        var results = await PublishAsync(client, 3, 1);

        Stopwatch.GetElapsedTime(start).Should().BeGreaterThanOrEqualTo(TimeSpan.FromMilliseconds(280), "it waited for room until waitTimeout (a timer may fire a tick early)");
        results.Should().Equal(MqttPublishResult.Dropped(MqttDropReason.QueueOverflow));
        (await ArrivalsAfterRestartAsync(client, 3)).Should().Equal("m0", "m1", "m2");
    }

    [Fact]
    public async Task PublishAsync_WaitWithoutWaitTimeout_WaitsForRoomAndIsDelivered()
    {
        var client = await OfflineClientAsync(MqttQueueOverflowPolicy.Wait);
        (await PublishAsync(client, 0, 3)).Should().OnlyContain(r => r == MqttPublishResult.Queued);

        var waiting = PublishAsync(client, 3, 1);
        await RestartAsync();

        (await waiting).Should().Equal(MqttPublishResult.Delivered);
        (await ArrivalsAsync(client, 4)).Should().Equal("m0", "m1", "m2", "m3");
    }

    /// <summary>A connected client whose broker then stopped: it is reconnecting, and publishes go to the queue.</summary>
    private async Task<IMqttDeviceClient> OfflineClientAsync(MqttQueueOverflowPolicy policy)
    {
        _devices.Behaviour.QueueOverflowPolicy = policy;
        var client = await _devices.ConnectAsync();
        await _broker.StopAsync();
        await _devices.WaitForStateAsync(MqttConnectionState.Reconnecting);
        return client;
    }

    private static async Task<MqttPublishResult[]> PublishAsync(IMqttDeviceClient client, int start, int count)
    {
        var results = new MqttPublishResult[count];
        for (var i = 0; i < count; i++)
        {
            var payload = Encoding.UTF8.GetBytes("m" + (start + i).ToString(CultureInfo.InvariantCulture));
            results[i] = await client.PublishAsync(payload, null, Token);
        }

        return results;
    }

    private async Task<IEnumerable<string>> ArrivalsAfterRestartAsync(IMqttDeviceClient client, int expected)
    {
        await RestartAsync();
        return await ArrivalsAsync(client, expected);
    }

    private async Task RestartAsync()
    {
        await _broker.StartAsync();
        await _devices.WaitForStateAsync(MqttConnectionState.Connected, 2);
    }

    /// <summary>
    /// Waits for <paramref name="expected"/> messages (the queue is then empty), publishes an end marker, and returns
    /// the payloads that reached the broker before it: with order true, nothing sent earlier can come after it.
    /// </summary>
    private async Task<IEnumerable<string>> ArrivalsAsync(IMqttDeviceClient client, int expected)
    {
        await _broker.Messages.WaitForCountAsync(expected);
        (await client.PublishAsync("end"u8.ToArray(), null, Token)).Should().BeSameAs(MqttPublishResult.Delivered);
        var arrived = await _broker.Messages.WaitUntilAsync(messages => messages.Any(m => m.PayloadText == "end"), "the end marker");
        return arrived.Select(m => m.PayloadText).TakeWhile(text => text != "end");
    }
}
