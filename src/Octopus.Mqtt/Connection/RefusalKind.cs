namespace Octopus.Mqtt;

/// <summary>What a broker's refusal (CONNACK) or goodbye (DISCONNECT) reason code asks of the client.</summary>
internal enum RefusalKind
{
    /// <summary>Try again with the normal backoff: the broker is busy, restarting, or unreachable.</summary>
    Transient,

    /// <summary>
    /// Trying again will fail the same way until the options or the references change (bad credentials, not
    /// authorised, banned, a client ID or protocol version the broker refuses): retried at <c>maxReconnectInterval</c>.
    /// </summary>
    Fatal,

    /// <summary>0x9C Use Another Server or 0x9D Server Moved: go to the Server Reference, or the next server.</summary>
    Redirect,

    /// <summary>0x8E Session Taken Over: another client with this client ID connected.</summary>
    Takeover,
}
