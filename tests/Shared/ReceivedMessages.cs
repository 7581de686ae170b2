namespace Octopus.Mqtt.Tests.Shared;

/// <summary>Keeps a message a handler received beyond the call (its payload and correlation data are valid only during it).</summary>
internal static class ReceivedMessages
{
    /// <summary>Copies the message, its payload and correlation data included.</summary>
    /// <param name="message">The message the handler got.</param>
    /// <returns>A copy that stays valid.</returns>
    public static MqttReceivedMessage Keep(MqttReceivedMessage message) => new(message.Topic, message.Payload.ToArray())
    {
        Qos = message.Qos,
        Retained = message.Retained,
        Duplicate = message.Duplicate,
        SubscriptionIndex = message.SubscriptionIndex,
        ContentType = message.ContentType,
        PayloadFormat = message.PayloadFormat,
        MessageExpiryInterval = message.MessageExpiryInterval,
        ResponseTopic = message.ResponseTopic,
        CorrelationData = message.CorrelationData.ToArray(),
        UserProperties = message.UserProperties,
        SubscriptionIdentifiers = message.SubscriptionIdentifiers,
    };
}
