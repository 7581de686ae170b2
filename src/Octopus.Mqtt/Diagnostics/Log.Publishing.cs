using Microsoft.Extensions.Logging;
using MQTTnet;

namespace Octopus.Mqtt;

/// <summary>The publish and subscribe log messages (event ids 1100-1199).</summary>
internal static partial class Log
{
    [LoggerMessage(1100, LogLevel.Warning, "Dropped message {Sequence} of {ClientId} to {Topic}: {Reason}.")]
    public static partial void MessageDropped(ILogger logger, long sequence, string clientId, string topic, MqttDropReason reason);

    [LoggerMessage(1101, LogLevel.Warning, "The MQTT broker refused message {Sequence} of {ClientId} to {Topic}: {ReasonCode} ({Code}); it is dropped.")]
    public static partial void PublishRefused(ILogger logger, long sequence, string clientId, string topic, MqttClientPublishReasonCode reasonCode, int code);

    [LoggerMessage(1102, LogLevel.Debug, "Publishing message {Sequence} of {ClientId} failed; it will be sent again after reconnecting.")]
    public static partial void PublishFailed(ILogger logger, Exception exception, long sequence, string clientId);

    [LoggerMessage(1103, LogLevel.Warning, "Message {Sequence} of {ClientId} to {Topic} cannot be sent and is dropped.")]
    public static partial void PublishInvalid(ILogger logger, Exception exception, long sequence, string clientId, string topic);

    [LoggerMessage(1104, LogLevel.Error, "The message handler of {ClientId} threw for subscription {Index} on topic {Topic}; the exception is ignored.")]
    public static partial void HandlerFailed(ILogger logger, Exception exception, string clientId, int index, string topic);

    [LoggerMessage(1105, LogLevel.Warning, "The MQTT broker refused the subscription of {ClientId} to {TopicFilter}: {ResultCode} ({Code}).")]
    public static partial void SubscriptionRefused(ILogger logger, string clientId, string topicFilter, MqttClientSubscribeResultCode resultCode, int code);

    [LoggerMessage(1106, LogLevel.Warning, "The MQTT broker refused to unsubscribe {ClientId} from {TopicFilter}: {ResultCode} ({Code}).")]
    public static partial void UnsubscribeRefused(ILogger logger, string clientId, string topicFilter, MqttClientUnsubscribeResultCode resultCode, int code);

    [LoggerMessage(1107, LogLevel.Warning, "The MQTT broker did not acknowledge a subscription change of {ClientId} within client.writeTimeout {WriteTimeout}; dropping the connection.")]
    public static partial void SubscribeTimedOut(ILogger logger, string clientId, GoDuration writeTimeout);

    [LoggerMessage(1108, LogLevel.Warning, "Subscription {Index} of {ClientId} is the device's own publish topic {Topic}: the handler will receive the device's own status, and commands sent there land on the status topic. Give the template an :operator level and set message.operator.read and write to different values (docs/topics.md).")]
    public static partial void SubscribedToOwnPublishTopic(ILogger logger, int index, string clientId, string topic);
}
