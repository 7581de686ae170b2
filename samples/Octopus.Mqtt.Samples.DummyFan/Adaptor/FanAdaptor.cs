using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Octopus.Mqtt.Samples.DummyFan;

/// <summary>
/// The dummy fan's adaptor: applies its DeviceLink (the MQTT link, then the fan's spec) at start and after every edit
/// of the file, and publishes every change of the fan's status.
/// </summary>
internal sealed class FanAdaptor(
    IDeviceLinks links,
    DummyFan fan,
    DeviceLinkSource source,
    SampleExitCode exitCode,
    IHostApplicationLifetime lifetime,
    ILogger<FanAdaptor> logger,
    IReferenceResolver? references = null) : BackgroundService
{
    private readonly AsyncGate _gate = new();
    private IMqttDeviceClient? _client;

    #region snippet:adaptor
    // On every configuration of the DeviceLink: its MQTT link first (connected the first time, kept while identity,
    // options and references stay the same, replaced when they change), then the fan's own spec.
    public async Task ReconcileAsync(FanDeviceLink link, CancellationToken cancellationToken)
    {
        using var held = await _gate.EnterAsync(cancellationToken); // a reconcile may replace the client
        _client = await links.ConfigureAsync(link.Identity, link.Mqtt, references, cancellationToken);
        fan.Apply(link.Spec);
    }

    // Every change of the fan's status is published whole, as JSON, to the DeviceLink's topic.
    public async Task PublishStatusChangesAsync(CancellationToken cancellationToken)
    {
        await foreach (var status in fan.Changes.ReadAllAsync(cancellationToken))
        {
            using var held = await _gate.EnterAsync(cancellationToken);
            if (_client is { } client)
            {
                await client.PublishAsync(status, FanJsonContext.Default.FanStatus, cancellationToken);
            }
        }
    }
    #endregion

    public override void Dispose()
    {
        _gate.Dispose();
        base.Dispose();
    }

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
        await PublishStatusChangesAsync(stoppingToken);
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

        await ReconcileAsync(link, cancellationToken);
        var device = link.Identity;
        if (link.Mqtt is not { } mqtt || _client is not { } client)
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
