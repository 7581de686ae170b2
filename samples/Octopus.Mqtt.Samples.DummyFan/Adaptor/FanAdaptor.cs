namespace Octopus.Mqtt.Samples.DummyFan;

/// <summary>
/// The dummy fan's adaptor, the part an adaptor author writes: applies each configuration of the fan's DeviceLink
/// (its MQTT link, then the fan's spec) and publishes every change of the fan's status.
/// </summary>
/// <remarks>
/// In a cluster the adaptor gets DeviceLinks from Kubernetes; in the sample, <see cref="DeviceLinkReconciler"/> reads
/// them from a file.
/// </remarks>
internal sealed class FanAdaptor(IMqttDeviceLinks links, DummyFan fan, IReferenceResolver? references = null) : IDisposable
{
    private readonly AsyncGate _gate = new();
    private IMqttDeviceClient? _client;

    /// <summary>Gets the device's MQTT client since the last reconcile, or <see langword="null"/>.</summary>
    public IMqttDeviceClient? Client => _client;

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

    public void Dispose() => _gate.Dispose();
}
