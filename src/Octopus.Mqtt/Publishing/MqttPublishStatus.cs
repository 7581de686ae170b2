namespace Octopus.Mqtt;

/// <summary>What happened to a published message by the time the publish call returned.</summary>
public enum MqttPublishStatus
{
    /// <summary>
    /// The message was delivered as its QoS promises: QoS 0 written to the connection, QoS 1 acknowledged by PUBACK,
    /// QoS 2 completed by PUBCOMP.
    /// </summary>
    Delivered = 0,

    /// <summary>
    /// The message was accepted but is not delivered yet: it was published while the client was offline, or the call
    /// stopped waiting (waitTimeout, writeTimeout or its cancellation token) before the broker acknowledged it. It will
    /// be sent, or sent again, when the client is connected.
    /// </summary>
    Queued = 1,

    /// <summary>The message will never be sent; <see cref="MqttPublishResult.DropReason"/> says why.</summary>
    Dropped = 2,
}
