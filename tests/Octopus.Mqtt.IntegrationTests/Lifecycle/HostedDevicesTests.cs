using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Octopus.Mqtt.IntegrationTests.Brokers;
using static Octopus.Mqtt.IntegrationTests.Lifecycle.DeviceLinkOptions;

namespace Octopus.Mqtt.IntegrationTests.Lifecycle;

public sealed class HostedDevicesTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Host_NamedDevice_ConnectsAtStartAndDisconnectsAtStop()
    {
        await using var broker = await InProcessBroker.StartAsync();
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Devices:Fan:client:server"] = broker.Server,
            ["Devices:Fan:message:topic"] = "cattle.io/octopus/:namespace/:name",
            ["Devices:Fan:message:retained"] = "false",
        });
        builder.Services.AddOctopusMqtt("fan", Fan, builder.Configuration.GetSection("Devices:Fan"));
        using var host = builder.Build();
        var client = host.Services.GetRequiredKeyedService<IMqttDeviceClient>("fan");

        await host.StartAsync(Token);

        client.State.Should().Be(MqttConnectionState.Connected);
        (await broker.ConnectionAttempts.WaitForAsync(_ => true)).ClientId.Should().Be(FanClientId);
        (await client.PublishAsync(new { gear = "slow" }, Token)).Status.Should().Be(MqttPublishStatus.Delivered);
        var message = await broker.Messages.WaitForTopicAsync("cattle.io/octopus/default/fan");
        message.PayloadText.Should().Be("""{"gear":"slow"}""");
        message.Retain.Should().BeFalse();

        await host.StopAsync(Token);

        client.State.Should().Be(MqttConnectionState.Disconnected, "the device is removed: the named client has none now");
        await broker.Disconnections.WaitForAsync(id => id == FanClientId);
    }

    [Fact]
    public async Task Host_NamedDeviceBrokerDown_StartsAndRetriesInTheBackground()
    {
        var port = PortPicker.Pick();
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Services.AddOctopusMqtt("fan", Fan, o =>
        {
            o.Client.Server = $"tcp://127.0.0.1:{port}";
            o.Message.Topic = "devices/:name";
        });
        using var host = builder.Build();

        await host.StartAsync(Token);

        host.Services.GetRequiredKeyedService<IMqttDeviceClient>("fan").State.Should().NotBe(MqttConnectionState.Connected);
        await host.StopAsync(Token);
    }

    [Fact]
    public async Task Host_NamedDeviceBrokerDownWithFailFast_FailsTheStart()
    {
        var port = PortPicker.Pick();
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Services.AddOctopusMqtt("fan", Fan, o =>
        {
            o.Client.Server = $"tcp://127.0.0.1:{port}";
            o.Message.Topic = "devices/:name";
        }).ConfigureClient(o => o.FirstConnectPolicy = MqttFirstConnectPolicy.FailFast);
        using var host = builder.Build();

        var start = () => host.StartAsync(Token);

        (await start.Should().ThrowAsync<MqttDeviceClientException>()).Which.Message.Should().StartWith($"Connecting to the MQTT broker as {FanClientId} failed: ");
    }
}
