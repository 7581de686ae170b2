using Microsoft.Extensions.Hosting;

namespace Octopus.Mqtt.Samples.DummyFan;

/// <summary>Stops the sample after <c>--duration</c>, on the sample's clock.</summary>
internal sealed class DurationLimit(TimeSpan duration, TimeProvider time, IHostApplicationLifetime lifetime) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await Task.Delay(duration, time, stoppingToken);
        lifetime.StopApplication();
    }
}
