namespace Octopus.Mqtt.Testing;

/// <summary>A message waiting in a fake client's offline queue.</summary>
/// <param name="Topic">The rendered topic.</param>
/// <param name="Payload">The payload.</param>
/// <param name="Qos">The QoS.</param>
/// <param name="Retain">The retain flag.</param>
internal sealed record QueuedMessage(string Topic, byte[] Payload, MqttQos Qos, bool Retain)
{
    /// <summary>Gets the message's outcome, set when it is delivered or dropped.</summary>
    public TaskCompletionSource<MqttPublishResult> Outcome { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
}
