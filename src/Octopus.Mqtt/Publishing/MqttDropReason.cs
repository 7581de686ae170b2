namespace Octopus.Mqtt;

/// <summary>Why a published message was dropped.</summary>
public enum MqttDropReason
{
    /// <summary>The message was not dropped.</summary>
    None = 0,

    /// <summary>The message queue was full (<c>client.messageChannelDepth</c>) and the overflow policy dropped this message.</summary>
    QueueOverflow = 1,

    /// <summary>The broker acknowledged the message with a failure reason code (MQTT 5), for example NotAuthorized.</summary>
    RefusedByBroker = 2,

    /// <summary>The client was disposed before the message could be delivered, and no File store keeps it.</summary>
    Disposed = 3,

    /// <summary>The message cannot be sent at all, for example because its topic is not a valid MQTT topic.</summary>
    Invalid = 4,

    /// <summary>The File store could not keep the message (for example, the disk is full or not writable); the error is logged.</summary>
    StoreFailed = 5,

    /// <summary>
    /// The message's expiry interval (<see cref="MqttPublishOptions.MessageExpiryInterval"/>, <c>message.expiry</c>)
    /// passed while it waited unsent, in the queue or in the File store.
    /// </summary>
    Expired = 6,

    /// <summary>
    /// A newer retained publish on the same topic replaced the message while it waited unsent
    /// (<c>message.coalesceRetained</c>).
    /// </summary>
    Superseded = 7,
}
