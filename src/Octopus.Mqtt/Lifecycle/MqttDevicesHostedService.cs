using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Octopus.Mqtt;

/// <summary>
/// Starts the devices registered with AddOctopusMqtt(name, device, …) with the host (in parallel; a failed first
/// connect fails the start only when <c>ConfigureClient</c> chose <see cref="MqttFirstConnectPolicy.FailFast"/>; the
/// default of clients made through dependency injection retries in the background), and at shutdown disconnects every
/// device of <see cref="IMqttDeviceLinks"/> gracefully, in parallel, within the host's shutdown timeout.
/// </summary>
internal sealed class MqttDevicesHostedService(
    IEnumerable<MqttDeviceRegistration> registrations,
    IMqttDeviceLinks links,
    IOptionsMonitor<MqttOptions> options,
    MqttReferenceResolvers references,
    ILoggerFactory? loggerFactory = null) : IHostedService
{
    private readonly MqttDeviceRegistration[] _registrations = [.. registrations];
    private readonly ILogger _logger = (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger("Octopus.Mqtt.Hosting");

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (_registrations.Length == 0)
        {
            return;
        }

        Log.StartingDevices(_logger, _registrations.Length);
        var starts = new Task[_registrations.Length];
        for (var i = 0; i < starts.Length; i++)
        {
            var registration = _registrations[i];
            starts[i] = links.ConfigureAsync(registration.Device, options.Get(registration.Name), references.Get(registration.Name), cancellationToken);
        }

        await Task.WhenAll(starts).ConfigureAwait(false);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        var devices = links.GetStatus();
        if (devices.Count == 0)
        {
            return;
        }

        Log.StoppingDevices(_logger, devices.Count);
        try
        {
            var stopping = links is MqttDeviceLinkManager manager
                ? manager.StopAllAsync(cancellationToken)
                : Task.WhenAll(devices.Select(d => links.RemoveAsync(d.Device, CancellationToken.None))).WaitAsync(cancellationToken);
            await stopping.ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            Log.StopTimedOut(_logger);
        }
    }
}
