using Microsoft.Extensions.DependencyInjection;
using Octopus.Mqtt.Testing;

namespace Octopus.Mqtt.Tests.Testing;

/// <summary>The examples of docs/testing-adaptors.md, compiled and run.</summary>
public sealed class FanAdaptorTests
{
    private static readonly DeviceIdentity Device = new("default", "fan", "9e8efcb0-4b79-45e7-a4c4-3349562292e3");

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static MqttOptions Options() => new()
    {
        Client = { Server = "tcp://broker:1883" },
        Message =
        {
            Topic = "cattle.io/octopus/:operator/device/:namespace/:name",
            Operator = new MqttTopicOperator { Read = "command", Write = "status" },
        },
    };

    [Fact]
    public async Task GearCommand_PublishesTheNewStatus()
    {
        var factory = new FakeMqttDeviceClientFactory();
        await using var adaptor = new FanAdaptor(factory);
        await adaptor.StartAsync(Device, Options(), Ct);

        await factory.Broker.PublishAsync("cattle.io/octopus/command/device/default/fan", "\"fast\""u8.ToArray(), cancellationToken: Ct);

        var status = factory.Broker.Published.LatestRecord;
        status.Topic.Should().Be("cattle.io/octopus/status/device/default/fan");
        status.ReadJson<FanStatus>().Should().Be(new FanStatus("fast", 200));
        status.PayloadText.Should().Be("""{"gear":"fast","rotatingSpeed":200}""");
        status.Retained.Should().BeTrue();
    }

    [Fact]
    public async Task BrokerAway_StatusQueuedThenSentOnReconnect()
    {
        var factory = new FakeMqttDeviceClientFactory();
        await using var adaptor = new FanAdaptor(factory);
        await adaptor.StartAsync(Device, Options(), Ct);
        var client = factory.GetClient(Device);

        client.SimulateDisconnect();
        await adaptor.SetGearAsync("middle", Ct);
        adaptor.LastResult.Should().Be(MqttPublishResult.Queued);
        await client.SimulateReconnectAsync();

        client.Published.LatestRecord.ReadJson<FanStatus>().Should().Be(new FanStatus("middle", 100));
    }

    [Fact]
    public async Task PublishRefused_TheAdaptorSeesTheDrop()
    {
        var factory = new FakeMqttDeviceClientFactory();
        await using var adaptor = new FanAdaptor(factory);
        await adaptor.StartAsync(Device, Options(), Ct);

        factory.GetClient(Device).FailNextPublish();
        await factory.Broker.PublishAsync("cattle.io/octopus/command/device/default/fan", "\"fast\""u8.ToArray(), cancellationToken: Ct);

        adaptor.LastResult!.DropReason.Should().Be(MqttDropReason.RefusedByBroker);
    }

    [Fact]
    public async Task Host_AddFakeOctopusMqtt_TheAdaptorGetsTheFake()
    {
        var services = new ServiceCollection();
        services.AddSingleton<FanAdaptor>();
        services.AddFakeOctopusMqtt();
        await using var provider = services.BuildServiceProvider();

        await provider.GetRequiredService<FanAdaptor>().StartAsync(Device, Options(), Ct);

        var status = await provider.GetFakeMqttBroker().Published.WaitForMessageAsync(m => m.Topic.StartsWith("cattle.io/octopus/status/", StringComparison.Ordinal), TimeSpan.FromSeconds(5));
        status.ReadJson<FanStatus>().Should().Be(new FanStatus("slow", 0));
    }
}
