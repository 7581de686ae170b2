using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Thermo.Tests;

/// <summary>The whole adaptor as Program.cs registers it, on the fake broker, with the DeviceLink file it ships.</summary>
public sealed class TemperatureWorkerTests
{
    [Fact]
    public async Task StartAsync_ShippedDeviceLink_PublishesTheFirstReadingRetained()
    {
        var services = new ServiceCollection();
        services.AddOctopusMqtt();
        services.AddFakeOctopusMqtt();
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<TemperatureSensor>();
        services.AddSingleton<TemperatureAdaptor>();
        services.AddHostedService<TemperatureWorker>();
        await using var provider = services.BuildServiceProvider();
        var worker = provider.GetServices<IHostedService>().OfType<TemperatureWorker>().Single();

        await worker.StartAsync(CancellationToken.None);
        var message = await provider.GetFakeMqttBroker().Published.WaitForMessageAsync(_ => true, TimeSpan.FromSeconds(10));
        await worker.StopAsync(CancellationToken.None);

        Assert.Equal("cattle.io/octopus/default/living-room-sensor", message.Topic);
        Assert.Equal("celsius", message.ReadJson(StatusJsonContext.Default.TemperatureStatus)!.Unit);
        Assert.True(message.Retained);
    }
}
