using Microsoft.Extensions.Hosting;
using Octopus.Mqtt;

namespace Thermo;

/// <summary>
/// Drives the adaptor: configures the device from its DeviceLink (here a file; in a cluster, every change Kubernetes
/// reports), then publishes a reading of the sensor at once and every <see cref="Interval"/>.
/// </summary>
public sealed class TemperatureWorker(TemperatureAdaptor adaptor, TemperatureSensor sensor, TimeProvider time) : BackgroundService
{
    /// <summary>How often the sensor is read and its status published.</summary>
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(5);

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var json = await File.ReadAllTextAsync(Path.Combine(AppContext.BaseDirectory, "devicelink.json"), stoppingToken);
        var deviceLink = MqttOptionsJson.ReadDeviceLink(json);
        await adaptor.ConfigureAsync(deviceLink.Identity, deviceLink.Options, stoppingToken);

        using var timer = new PeriodicTimer(Interval, time);
        do
        {
            await adaptor.PublishAsync(sensor.Read(), stoppingToken);
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}
