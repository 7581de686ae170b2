using Microsoft.Extensions.Logging;

namespace Octopus.Mqtt;

/// <summary>The session log messages: resends, lost sessions, the inbound side (event ids 1500-1599).</summary>
internal static partial class Log
{
    [LoggerMessage(1500, LogLevel.Information, "{ClientId} resumes its session: {Publishes} PUBLISH and {Releases} PUBREL sent again with their packet identifiers.")]
    public static partial void SessionResumed(ILogger logger, string clientId, int publishes, int releases);

    [LoggerMessage(1501, LogLevel.Warning, "The MQTT broker has no session for {ClientId} (CONNACK session present 0) though cleanSession is false; {Count} unacknowledged message(s) are sent again as new messages, and subscriptions are made again.")]
    public static partial void SessionLost(ILogger logger, string clientId, int count);

    [LoggerMessage(1502, LogLevel.Warning, "The MQTT broker answered a QoS 2 PUBLISH of {ClientId} with PUBACK (it does not support QoS 2, as RabbitMQ 3.x); such messages count as delivered at QoS 1 on this connection.")]
    public static partial void Qos2Downgraded(ILogger logger, string clientId);

    [LoggerMessage(1503, LogLevel.Warning, "Handling an incoming packet of {ClientId} failed; it is acknowledged and the session goes on.")]
    public static partial void InboundFailed(ILogger logger, Exception exception, string clientId);

    [LoggerMessage(1504, LogLevel.Error, "The File store of {ClientId} could not save message {Sequence}; it is dropped.")]
    public static partial void StoreSaveFailed(ILogger logger, Exception exception, string clientId, long sequence);

    [LoggerMessage(1505, LogLevel.Debug, "The MQTT broker acknowledged packet {PacketId} of {ClientId}, which is not in flight; ignored.")]
    public static partial void UnknownAcknowledgement(ILogger logger, string clientId, ushort packetId);

    [LoggerMessage(1506, LogLevel.Warning, "A listener of {ClientId} failed; the client goes on.")]
    public static partial void ListenerFailed(ILogger logger, Exception exception, string clientId);
}
