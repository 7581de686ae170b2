namespace Octopus.Mqtt;

/// <summary>What a publish does when <c>client.messageChannelDepth</c> messages are already waiting to be sent.</summary>
public enum MqttQueueOverflowPolicy
{
    /// <summary>The oldest waiting message is dropped to make room: the newest status matters most.</summary>
    DropOldest = 0,

    /// <summary>The new message is dropped; its publish returns <see cref="MqttPublishStatus.Dropped"/>.</summary>
    DropNewest = 1,

    /// <summary>The new message is refused: its publish throws <see cref="MqttDeviceClientException"/>.</summary>
    Refuse = 2,

    /// <summary>The publish waits for room, up to <c>client.waitTimeout</c> and its cancellation token, then drops the message.</summary>
    Wait = 3,
}
