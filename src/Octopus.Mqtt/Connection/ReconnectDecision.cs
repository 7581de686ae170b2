namespace Octopus.Mqtt;

/// <summary>What the supervisor does after a lost connection: wait <paramref name="Delay"/>, for <paramref name="Reason"/>.</summary>
/// <param name="Delay">The wait before the next round of attempts.</param>
/// <param name="Reason">Why.</param>
internal readonly record struct ReconnectDecision(TimeSpan Delay, ReconnectReason Reason);
