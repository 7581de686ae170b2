using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using static Octopus.Mqtt.Tests.Lifecycle.LifecycleOptions;

namespace Octopus.Mqtt.Tests.Lifecycle;

public sealed class MqttDevicesHostedServiceTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task StopAsync_ShutdownTimeoutPasses_ReturnsAndLetsTheRestFinish()
    {
        var factory = new StubClientFactory();
        var stuck = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var (provider, hosted) = Build(factory);
        await using var _ = provider;
        await hosted.StartAsync(Token);
        var links = provider.GetRequiredService<IMqttDeviceLinks>();
        await links.ConfigureAsync(Lamp, Create(), null, Token);
        factory.Created.Should().HaveCount(2);
        factory.Created[0].DisposeGate = stuck.Task;
        using var shutdown = new CancellationTokenSource();

        var stopping = hosted.StopAsync(shutdown.Token);
        await shutdown.CancelAsync();
        await stopping.WaitAsync(TimeSpan.FromSeconds(10), Token);

        factory.Created[1].Disposed.Should().BeTrue("every device is stopped, the adaptor's own too");
        factory.Created[0].Disposed.Should().BeFalse();
        provider.GetFakeLogCollector().GetSnapshot().Select(r => r.Message).Should().Contain(
            "Stopping the MQTT devices did not finish within the host's shutdown timeout; the rest are left to finish on their own.");
        stuck.SetResult();
    }

    [Fact]
    public async Task StartAsync_NoNamedDevice_CreatesNothing()
    {
        var factory = new StubClientFactory();
        var services = new ServiceCollection();
        services.AddSingleton<IMqttDeviceClientFactory>(factory);
        services.AddOctopusMqtt();
        await using var provider = services.BuildServiceProvider();
        var hosted = provider.GetServices<IHostedService>().Single();

        await hosted.StartAsync(Token);
        await hosted.StopAsync(Token);

        factory.Created.Should().BeEmpty();
    }

    private static (ServiceProvider Provider, IHostedService Hosted) Build(StubClientFactory factory)
    {
        var services = new ServiceCollection();
        services.AddFakeLogging();
        services.AddSingleton<IMqttDeviceClientFactory>(factory);
        services.AddOctopusMqtt("fan", Fan, o =>
        {
            o.Client.Server = "tcp://broker:1883";
            o.Message.Topic = "devices/:name";
        });
        var provider = services.BuildServiceProvider();
        return (provider, provider.GetServices<IHostedService>().Single());
    }
}
