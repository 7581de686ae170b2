namespace Octopus.Mqtt;

/// <summary>
/// One device's place in <see cref="MqttDeviceLinkManager"/>: its lock, its client, what the client was made from, and
/// since when it has not been connected. Fields other than the lock are written under the lock.
/// </summary>
internal sealed class DeviceLinkSlot(DeviceIdentity device, TimeProvider time)
{
    private readonly object _stateGate = new();
    private volatile IMqttDeviceClient? _client;
    private DateTimeOffset? _disconnectedSince;

    public DeviceIdentity Device { get; } = device;

    /// <summary>Gets the lock that makes calls for the device run one after another.</summary>
    public SemaphoreSlim Lock { get; } = new(1, 1);

    /// <summary>Gets or sets a value indicating whether the slot left the manager (a waiter must take a new one).</summary>
    public bool Removed { get; set; }

    /// <summary>Gets the current client.</summary>
    public IMqttDeviceClient? Client => _client;

    /// <summary>Gets the copy of the options the client was made from.</summary>
    public MqttOptions? Options { get; private set; }

    /// <summary>Gets what the references the options use resolved to.</summary>
    public ReferenceFingerprint? Fingerprint { get; private set; }

    /// <summary>Gets the resolver the client reads its references through.</summary>
    public CurrentReferenceResolver References { get; } = new();

    /// <summary>Makes <paramref name="client"/> the device's client and starts watching its connection.</summary>
    public void Attach(IMqttDeviceClient client, MqttOptions options, ReferenceFingerprint fingerprint)
    {
        lock (_stateGate)
        {
            _disconnectedSince = client.State == MqttConnectionState.Connected ? null : time.GetUtcNow();
        }

        client.StateChanged += OnStateChanged;
        _client = client;
        Options = options;
        Fingerprint = fingerprint;
    }

    /// <summary>Stops watching the current client and forgets it.</summary>
    /// <returns>The client, or <see langword="null"/>.</returns>
    public IMqttDeviceClient? Detach()
    {
        var client = _client;
        if (client is not null)
        {
            client.StateChanged -= OnStateChanged;
        }

        _client = null;
        Options = null;
        Fingerprint = null;
        return client;
    }

    /// <summary>Takes a snapshot of the client's state.</summary>
    /// <returns>The status, or <see langword="null"/> when there is no client.</returns>
    public MqttDeviceLinkStatus? GetStatus()
    {
        var client = _client;
        if (client is null)
        {
            return null;
        }

        var state = client.State;
        DateTimeOffset? since;
        lock (_stateGate)
        {
            since = state == MqttConnectionState.Connected ? null : _disconnectedSince ?? time.GetUtcNow();
        }

        return new MqttDeviceLinkStatus(Device, client.ClientId, state, since) { Problem = (client as IDeviceClientHealth)?.Problem };
    }

    private void OnStateChanged(object? sender, MqttConnectionStateChangedEventArgs e)
    {
        lock (_stateGate)
        {
            if (e.State == MqttConnectionState.Connected)
            {
                _disconnectedSince = null;
            }
            else if (e.PreviousState == MqttConnectionState.Connected || _disconnectedSince is null)
            {
                _disconnectedSince = time.GetUtcNow();
            }
        }
    }
}
