namespace Octopus.Mqtt;

/// <summary>Why the supervisor waits what it waits before its next round of connection attempts.</summary>
internal enum ReconnectReason
{
    /// <summary>The normal backoff: 1 second, doubling per failed round or unstable connection, up to the cap.</summary>
    Backoff,

    /// <summary>The broker sent the client elsewhere (0x9C, 0x9D): at once, to the referenced or the next server.</summary>
    Redirect,

    /// <summary>The broker refused for a reason retrying will not fix: at <c>maxReconnectInterval</c>.</summary>
    Fatal,

    /// <summary>Another client with this client ID took the session (0x8E): at <c>maxReconnectInterval</c>.</summary>
    Takeover,

    /// <summary>
    /// The broker closed connection after connection soon after accepting it, as brokers do on a takeover without
    /// saying 0x8E (MQTT 3.1.1, mosquitto 2.0 on MQTT 5): at <c>maxReconnectInterval</c>.
    /// </summary>
    SuspectedTakeover,
}
