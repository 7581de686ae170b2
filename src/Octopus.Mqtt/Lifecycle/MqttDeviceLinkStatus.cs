namespace Octopus.Mqtt;

/// <summary>The connection state of one device's client, as <see cref="IMqttDeviceLinks.GetStatus"/> saw it.</summary>
public sealed class MqttDeviceLinkStatus
{
    /// <summary>Initializes a new instance of the <see cref="MqttDeviceLinkStatus"/> class.</summary>
    /// <param name="device">The DeviceLink.</param>
    /// <param name="clientId">The MQTT client ID.</param>
    /// <param name="state">The connection state.</param>
    /// <param name="disconnectedSince">Since when the client has not been connected, or <see langword="null"/> while it is.</param>
    public MqttDeviceLinkStatus(DeviceIdentity device, string clientId, MqttConnectionState state, DateTimeOffset? disconnectedSince)
    {
        ArgumentNullException.ThrowIfNull(device);
        ArgumentNullException.ThrowIfNull(clientId);
        Device = device;
        ClientId = clientId;
        State = state;
        DisconnectedSince = disconnectedSince;
    }

    /// <summary>Gets the DeviceLink.</summary>
    public DeviceIdentity Device { get; }

    /// <summary>Gets the MQTT client ID.</summary>
    public string ClientId { get; }

    /// <summary>Gets the connection state.</summary>
    public MqttConnectionState State { get; }

    /// <summary>
    /// Gets since when the client has not been connected: when it was created, or when it lost its connection;
    /// <see langword="null"/> while it is connected.
    /// </summary>
    public DateTimeOffset? DisconnectedSince { get; }

    /// <summary>Gets what makes the device unhealthy even while connected (for example, its File store's last write failed), or <see langword="null"/>.</summary>
    public string? Problem { get; init; }

    /// <summary>Describes the status, e.g. <c>default/fan: Reconnecting</c>.</summary>
    /// <returns>The description.</returns>
    public override string ToString() => $"{Device.Namespace}/{Device.Name}: {State}";
}
