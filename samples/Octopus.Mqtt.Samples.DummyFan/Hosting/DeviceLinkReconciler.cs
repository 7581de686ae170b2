using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Octopus.Mqtt.Samples.DummyFan;

/// <summary>
/// Plays the part of Kubernetes for the sample: hands the fan's DeviceLink to the adaptor at start and after every edit
/// of the file, and runs the adaptor's publishing until the host stops. When the first DeviceLink cannot be applied
/// (invalid, or the broker cannot be reached) it says why and stops the host with exit code 1.
/// </summary>
internal sealed class DeviceLinkReconciler(
    DeviceLinkSource source,
    FanAdaptor adaptor,
    SampleExitCode exitCode,
    IHostApplicationLifetime lifetime,
    ILogger<DeviceLinkReconciler> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await ApplyAsync(stoppingToken);
        }
        catch (Exception e) when (IsConfigurationError(e))
        {
            Log.CannotStart(logger, e.Message);
            exitCode.Value = 1;
            lifetime.StopApplication();
            return;
        }

        Log.Running(logger);
        using var watch = source.Watch(() => _ = ReloadAsync(stoppingToken));
        await adaptor.PublishStatusChangesAsync(stoppingToken);
    }

    private static bool IsConfigurationError(Exception e) =>
        e is DeviceLinkException or MqttOptionsException or MqttTopicException or MqttDeviceClientException or MqttCredentialsException;

    private async Task ApplyAsync(CancellationToken cancellationToken)
    {
        var link = source.Load();
        foreach (var warning in link.Warnings)
        {
            Log.DeviceLinkWarning(logger, warning);
        }

        await adaptor.ReconcileAsync(link, cancellationToken);
        var device = link.Identity;
        if (link.Mqtt is not { } mqtt || adaptor.Client is not { } client)
        {
            Log.NoMqtt(logger, device.Namespace, device.Name);
            return;
        }

        var topic = MqttTopicTemplate.Parse(mqtt.Message.Topic).Bind(device, mqtt.Message).RenderForPublish();
        Log.Configured(logger, device.Namespace, device.Name, link.Spec.Gear.ToSpecName(), link.Spec.On ? "on" : "off", topic, mqtt.Client.Server, client.ClientId);
    }

    private async Task ReloadAsync(CancellationToken cancellationToken)
    {
        try
        {
            await ApplyAsync(cancellationToken);
        }
        catch (Exception e) when (IsConfigurationError(e))
        {
            Log.EditNotApplied(logger, e.Message);
        }
        catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException && cancellationToken.IsCancellationRequested)
        {
            // The sample is stopping.
        }
    }
}
