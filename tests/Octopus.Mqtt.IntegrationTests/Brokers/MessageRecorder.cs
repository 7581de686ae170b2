using MQTTnet;

namespace Octopus.Mqtt.IntegrationTests.Brokers;

/// <summary>Records received MQTT messages; wait for them with <see cref="ConditionRecorder{T}.WaitForCountAsync"/>.</summary>
public sealed class MessageRecorder : ConditionRecorder<ReceivedMessage>
{
    /// <summary>Records an MQTTnet application message.</summary>
    /// <param name="message">The message.</param>
    /// <param name="clientId">The publishing client, when known.</param>
    /// <returns>The recorded message.</returns>
    public ReceivedMessage Add(MqttApplicationMessage message, string? clientId = null)
    {
        var received = new ReceivedMessage(
            message.Topic,
            message.Payload.IsEmpty ? [] : System.Buffers.BuffersExtensions.ToArray(message.Payload),
            (MqttQos)(int)message.QualityOfServiceLevel,
            message.Retain,
            clientId);
        Add(received);
        return received;
    }

    /// <summary>Waits for the first message on <paramref name="topic"/>.</summary>
    /// <param name="topic">The topic.</param>
    /// <param name="timeout">The deadline; <see cref="TestTimeouts.Arrival"/> when <see langword="null"/>.</param>
    /// <returns>The message.</returns>
    public Task<ReceivedMessage> WaitForTopicAsync(string topic, TimeSpan? timeout = null) =>
        WaitForAsync(m => m.Topic == topic, timeout);
}
