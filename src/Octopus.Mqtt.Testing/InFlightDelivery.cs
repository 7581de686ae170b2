namespace Octopus.Mqtt.Testing;

/// <summary>A QoS 1 or 2 message the broker sent a packet connection, until the client acknowledges it.</summary>
/// <param name="message">The message.</param>
internal sealed class InFlightDelivery(FakeMqttMessage message)
{
    /// <summary>Gets the message.</summary>
    public FakeMqttMessage Message { get; } = message;

    /// <summary>Gets or sets a value indicating whether the client sent PUBREC (QoS 2): the message reached it, PUBCOMP is awaited.</summary>
    public bool Received { get; set; }

    /// <summary>Gets the outcome, set when the client acknowledges the message (PUBACK or PUBCOMP) or the connection ends.</summary>
    public TaskCompletionSource<DeliveryOutcome> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
}
