namespace Octopus.Mqtt;

/// <summary>The connection state of an <see cref="IMqttDeviceClient"/>.</summary>
public enum MqttConnectionState
{
    /// <summary>Not connected, and not trying: before the first <see cref="IMqttDeviceClient.ConnectAsync"/>, after it failed, or after a loss without <c>autoReconnect</c>.</summary>
    Disconnected = 0,

    /// <summary>A connection attempt is in progress.</summary>
    Connecting = 1,

    /// <summary>Connected; subscriptions are restored and queued messages are being sent.</summary>
    Connected = 2,

    /// <summary>Not connected; waiting (with backoff) before the next attempt.</summary>
    Reconnecting = 3,

    /// <summary>Disposed; the client does nothing more.</summary>
    Disposed = 4,
}
