using Octopus.Mqtt.IntegrationTests.Brokers;
using static Octopus.Mqtt.IntegrationTests.Lifecycle.DeviceLinkOptions;

namespace Octopus.Mqtt.IntegrationTests.Lifecycle;

public sealed class MqttDeviceLinkManagerTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ConfigureAsync_ServerMovedWhileTheOldBrokerIsDown_CarriesTheQueuedMessagesToTheNewBroker()
    {
        await using var oldBroker = await InProcessBroker.StartAsync();
        await using var newBroker = await InProcessBroker.StartAsync();
        await using var links = new MqttDeviceLinkManager(new MqttDeviceClientFactory());
        var first = (await links.ConfigureAsync(Fan, Create(oldBroker.Server), null, Token))!;
        await oldBroker.StopAsync();
        await Poll.UntilAsync(() => first.State != MqttConnectionState.Connected, "the old broker's loss is noticed");
        var results = new List<MqttPublishResult>();
        for (var i = 1; i <= 3; i++)
        {
            results.Add(await first.PublishAsync(i, Token));
        }

        var second = await links.ConfigureAsync(Fan, Create(newBroker.Server), null, Token);

        results.Should().OnlyContain(r => r.Status == MqttPublishStatus.Queued);
        second.Should().NotBeSameAs(first);
        first.State.Should().Be(MqttConnectionState.Disposed);
        var received = await newBroker.Messages.WaitForCountAsync(3, TestTimeouts.Arrival);
        received.Select(m => m.PayloadText).Should().Equal("1", "2", "3");
        received.Should().OnlyContain(m => m.Topic == "cattle.io/octopus/default/fan" && m.ClientId == FanClientId);
    }

    [Fact]
    public async Task ConfigureAsync_CallerWaitingOnACarriedMessage_GetsItsDelivery()
    {
        await using var oldBroker = await InProcessBroker.StartAsync();
        await using var newBroker = await InProcessBroker.StartAsync();
        await using var links = new MqttDeviceLinkManager(new MqttDeviceClientFactory());
        var options = Create(oldBroker.Server);
        options.Client.WaitTimeout = GoDuration.FromSeconds(30);
        var first = (await links.ConfigureAsync(Fan, options, null, Token))!;
        await oldBroker.StopAsync();
        await Poll.UntilAsync(() => first.State != MqttConnectionState.Connected, "the old broker's loss is noticed");
        var waiting = first.PublishAsync("carried", Token).AsTask();

        options.Client.Server = newBroker.Server;
        await links.ConfigureAsync(Fan, options, null, Token);

        (await waiting.WaitAsync(TestTimeouts.Arrival, Token)).Status.Should().Be(MqttPublishStatus.Delivered);
        (await newBroker.Messages.WaitForTopicAsync("cattle.io/octopus/default/fan")).PayloadText.Should().Be("\"carried\"");
    }

    [Fact]
    public async Task ConfigureAsync_SameOptions_KeepsTheOneConnection()
    {
        await using var broker = await InProcessBroker.StartAsync();
        await using var links = new MqttDeviceLinkManager(new MqttDeviceClientFactory());
        var first = await links.ConfigureAsync(Fan, Create(broker.Server), null, Token);

        var second = await links.ConfigureAsync(Fan, Create(broker.Server), null, Token);

        second.Should().BeSameAs(first);
        broker.ConnectionAttempts.Count.Should().Be(1);
        (await second!.PublishAsync("still here", Token)).Status.Should().Be(MqttPublishStatus.Delivered);
    }

    [Fact]
    public async Task ConfigureAsync_OptionsChangedWhileConnected_DisconnectsGracefullyAndConnectsAgain()
    {
        await using var broker = await InProcessBroker.StartAsync();
        await using var links = new MqttDeviceLinkManager(new MqttDeviceClientFactory());
        var first = (await links.ConfigureAsync(Fan, Create(broker.Server), null, Token))!;
        (await first.PublishAsync("before", Token)).Status.Should().Be(MqttPublishStatus.Delivered);
        var changed = Create(broker.Server);
        changed.Message.Retained = false;

        var second = (await links.ConfigureAsync(Fan, changed, null, Token))!;

        await broker.Disconnections.WaitForAsync(id => id == FanClientId);
        broker.ConnectionAttempts.Count.Should().Be(2);
        (await second.PublishAsync("after", Token)).Status.Should().Be(MqttPublishStatus.Delivered);
        (await broker.Messages.WaitForAsync(m => m.PayloadText == "\"after\"")).Retain.Should().BeFalse();
    }

    [Fact]
    public async Task DisposeAsync_ConnectedDevices_DisconnectsEach()
    {
        await using var broker = await InProcessBroker.StartAsync();
        var links = new MqttDeviceLinkManager(new MqttDeviceClientFactory());
        var lamp = new DeviceIdentity("default", "lamp", "1c6f2a5e-0b8d-4d3e-9f1a-2b3c4d5e6f70");
        await links.ConfigureAsync(Fan, Create(broker.Server), null, Token);
        await links.ConfigureAsync(lamp, Create(broker.Server), null, Token);

        await links.DisposeAsync();

        var gone = await broker.Disconnections.WaitForCountAsync(2, TestTimeouts.Arrival);
        gone.Should().BeEquivalentTo(FanClientId, "octopus-1c6f2a5e0b8d4d3e9f1a2b3c4d5e6f70");
    }
}
