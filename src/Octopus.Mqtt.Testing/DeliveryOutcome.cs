namespace Octopus.Mqtt.Testing;

/// <summary>What handing one message to a client's handler did.</summary>
/// <param name="Calls">How many times the handler was called (once per matching subscription index).</param>
/// <param name="Errors">The exceptions the handler threw, if any.</param>
internal readonly record struct DeliveryOutcome(int Calls, IReadOnlyList<Exception>? Errors);
