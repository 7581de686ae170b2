namespace Octopus.Mqtt;

/// <summary>How the client reaches the broker, as the scheme of <c>client.server</c> names it.</summary>
internal enum MqttTransport
{
    /// <summary>Plain TCP: scheme <c>tcp</c>, default port 1883.</summary>
    Tcp,

    /// <summary>TLS over TCP: schemes <c>ssl</c>, <c>tls</c> and <c>tcps</c>, default port 8883.</summary>
    Tls,

    /// <summary>WebSocket: scheme <c>ws</c>, default port 80.</summary>
    WebSocket,

    /// <summary>WebSocket over TLS: scheme <c>wss</c>, default port 443.</summary>
    SecureWebSocket,

    /// <summary>A Unix domain socket: scheme <c>unix</c>.</summary>
    UnixSocket,
}
