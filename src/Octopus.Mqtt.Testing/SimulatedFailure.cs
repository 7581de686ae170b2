namespace Octopus.Mqtt.Testing;

/// <summary>One armed failure of a fake client: an exception to throw, or a publish result to return.</summary>
/// <param name="Exception">The exception, or <see langword="null"/> for the default failure.</param>
/// <param name="Result">The publish result to return instead of throwing, if any.</param>
internal sealed record SimulatedFailure(Exception? Exception, MqttPublishResult? Result = null);
