using Octopus.Mqtt.Testing;
using static Octopus.Mqtt.Tests.Testing.FakeSetup;

namespace Octopus.Mqtt.Tests.Testing;

public sealed class FakeMqttDeviceClientFactoryTests
{
    [Fact]
    public async Task Create_TwoDevices_RemembersThem()
    {
        var factory = new FakeMqttDeviceClientFactory();
        IMqttDeviceClientFactory asInterface = factory;

        await using var fan = asInterface.Create(Fan, CreateOptions("devices/:name"));
        await using var lamp = factory.Create(Lamp, CreateOptions("devices/:name"));

        fan.Should().BeOfType<FakeMqttDeviceClient>();
        factory.GetClients().Cast<IMqttDeviceClient>().Should().Equal(fan, lamp);
        factory.GetClient(Fan).Should().BeSameAs(fan);
        factory.GetClient(Lamp).Should().BeSameAs(lamp);
    }

    [Fact]
    public async Task Create_SharedBroker_OneDeviceReceivesWhatAnotherPublished()
    {
        var factory = new FakeMqttDeviceClientFactory();
        await using var fan = factory.Create(Fan, CreateOptions("devices/:name"));
        await using var watcher = factory.Create(Lamp, CreateOptions("devices/#"));
        await fan.ConnectAsync(Ct);
        await watcher.ConnectAsync(Ct);
        var recorder = new HandlerRecorder();
        await watcher.SubscribeAsync([new MqttDeviceSubscription()], recorder.Handler, Ct);

        await fan.PublishAsync("on", Ct);

        (await recorder.WaitForCountAsync(1)).Should().Equal("0:devices/fan:\"on\"");
    }

    [Fact]
    public async Task GetClient_Replaced_ReturnsTheLatest()
    {
        var factory = new FakeMqttDeviceClientFactory();
        await using var first = factory.Create(Fan, CreateOptions());
        await using var second = factory.Create(Fan, CreateOptions("other/:name"));

        factory.GetClient(Fan).Should().BeSameAs(second);
        factory.GetClients().Should().Equal(first, second);
    }

    [Fact]
    public void GetClient_Unknown_ThrowsListingTheDevices()
    {
        var factory = new FakeMqttDeviceClientFactory();
        factory.Invoking(f => f.GetClient(Fan)).Should().Throw<InvalidOperationException>()
            .WithMessage("No fake MQTT client was created for the device default/fan (uid 9e8efcb0-4b79-45e7-a4c4-3349562292e3); clients were created for: none.");

        factory.Create(Lamp, CreateOptions());

        factory.Invoking(f => f.GetClient(Fan)).Should().Throw<InvalidOperationException>()
            .WithMessage("No fake MQTT client was created for the device default/fan (uid 9e8efcb0-4b79-45e7-a4c4-3349562292e3); clients were created for: default/lamp (uid 1c7b9b5e-0c7e-4a1b-9a57-3a1c2f3d4e5f).");
    }

    [Fact]
    public async Task Create_ClientOptions_AppliedToEveryClient()
    {
        var factory = new FakeMqttDeviceClientFactory(new FakeMqttBroker(), new MqttDeviceClientOptions { QueueOverflowPolicy = MqttQueueOverflowPolicy.DropNewest });
        await using var client = factory.Create(Fan, CreateOptions(configure: o => o.Client.MessageChannelDepth = 1));

        await client.PublishAsync("1", Ct);

        (await client.PublishAsync("2", Ct)).Should().BeSameAs(MqttPublishResult.Dropped(MqttDropReason.QueueOverflow));
        factory.ClientOptions.QueueOverflowPolicy.Should().Be(MqttQueueOverflowPolicy.DropNewest);
    }

    [Fact]
    public void Constructor_NullBroker_Throws()
    {
        FluentActions.Invoking(() => new FakeMqttDeviceClientFactory(null!)).Should().Throw<ArgumentNullException>().WithParameterName("broker");
    }
}
