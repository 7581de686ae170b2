using Microsoft.Extensions.Logging;
using MQTTnet;
using MQTTnet.Formatter;

namespace Octopus.Mqtt;

/// <summary>The connection's log messages (event ids 1000-1099).</summary>
internal static partial class Log
{
    [LoggerMessage(1000, LogLevel.Debug, "Connecting to the MQTT broker {Server} as {ClientId} (protocol {ProtocolVersion}).")]
    public static partial void Connecting(ILogger logger, ServerAddress server, string clientId, MqttProtocolVersion protocolVersion);

    [LoggerMessage(1001, LogLevel.Information, "Connected to the MQTT broker {Server} as {ClientId} (session present: {SessionPresent}).")]
    public static partial void Connected(ILogger logger, ServerAddress server, string clientId, bool sessionPresent);

    [LoggerMessage(1017, LogLevel.Warning, "Another client with the client ID {ClientId} is connected to the MQTT broker {Server}: {Problem}. Waiting {Delay} (client.maxReconnectInterval) before connecting again, so the two do not take turns; two adaptors running the same device (a rolling update, a DeviceLink moved to another node) is the usual cause.")]
    public static partial void TakenOver(ILogger logger, string clientId, ServerAddress server, string problem, TimeSpan delay);

    [LoggerMessage(1018, LogLevel.Information, "The MQTT broker {Server} sent {ClientId} to {Target}.")]
    public static partial void Redirected(ILogger logger, ServerAddress server, string clientId, ServerAddress target);

    [LoggerMessage(1019, LogLevel.Information, "Trying the next MQTT broker of the list, {Server}, for {ClientId}.")]
    public static partial void TryingNextServer(ILogger logger, ServerAddress server, string clientId);

    [LoggerMessage(1020, LogLevel.Error, "The MQTT broker refused {ClientId} for a reason that retrying will not fix until the options or references change; retrying in {Delay} (client.maxReconnectInterval).")]
    public static partial void RefusedUntilChanged(ILogger logger, string clientId, TimeSpan delay);

    [LoggerMessage(1002, LogLevel.Warning, "The MQTT broker refused the connection of {ClientId}: {ResultCode} ({ReasonCode}).")]
    public static partial void ConnectRefused(ILogger logger, string clientId, MqttClientConnectResultCode resultCode, int reasonCode);

    [LoggerMessage(1003, LogLevel.Warning, "{Reason}")]
    public static partial void ConnectFailed(ILogger logger, string reason);

    [LoggerMessage(1016, LogLevel.Debug, "Connecting to the MQTT broker as {ClientId} failed; the exception in full.")]
    public static partial void ConnectFailedDetail(ILogger logger, Exception exception, string clientId);

    [LoggerMessage(1004, LogLevel.Warning, "The connection of {ClientId} to the MQTT broker was lost.")]
    public static partial void ConnectionLost(ILogger logger, Exception? exception, string clientId);

    [LoggerMessage(1005, LogLevel.Information, "Reconnecting {ClientId} to the MQTT broker in {Delay} (retry {Retry}).")]
    public static partial void ReconnectScheduled(ILogger logger, string clientId, TimeSpan delay, int retry);

    [LoggerMessage(1006, LogLevel.Warning, "The MQTT broker refused MQTT 3.1.1 for {ClientId}; falling back to MQTT 3.1 (client.protocolVersion 0).")]
    public static partial void FallingBackToMqtt31(ILogger logger, string clientId);

    [LoggerMessage(1007, LogLevel.Warning, "The keep-alive check of {ClientId} failed; dropping the connection.")]
    public static partial void KeepAliveFailed(ILogger logger, Exception exception, string clientId);

    [LoggerMessage(1008, LogLevel.Warning, "Message {Sequence} of {ClientId} was not acknowledged within client.writeTimeout {WriteTimeout}; dropping the connection, the message will be sent again.")]
    public static partial void WriteTimedOut(ILogger logger, long sequence, string clientId, GoDuration writeTimeout);

    [LoggerMessage(1009, LogLevel.Information, "Disconnecting {ClientId} from the MQTT broker.")]
    public static partial void Disconnecting(ILogger logger, string clientId);

    [LoggerMessage(1010, LogLevel.Debug, "Sending DISCONNECT for {ClientId} failed.")]
    public static partial void DisconnectFailed(ILogger logger, Exception exception, string clientId);

    [LoggerMessage(1011, LogLevel.Warning, "{Count} message(s) of {ClientId} were still waiting or in flight after client.disconnectQuiesce {Quiesce}.")]
    public static partial void QuiesceTimedOut(ILogger logger, int count, string clientId, GoDuration quiesce);

    [LoggerMessage(1012, LogLevel.Error, "A StateChanged handler of {ClientId} threw; the exception is ignored.")]
    public static partial void StateChangedHandlerFailed(ILogger logger, Exception exception, string clientId);

    [LoggerMessage(1013, LogLevel.Warning, "Preparing the connection of {ClientId} after connecting failed; reconnecting.")]
    public static partial void ActivationFailed(ILogger logger, Exception exception, string clientId);

    [LoggerMessage(1014, LogLevel.Warning, "Publishing the availability payload of {ClientId} to {Topic} failed.")]
    public static partial void AvailabilityPublishFailed(ILogger logger, Exception exception, string clientId, string topic);

    [LoggerMessage(1015, LogLevel.Information, "Disconnected {ClientId} from the MQTT broker.")]
    public static partial void Disconnected(ILogger logger, string clientId);
}
