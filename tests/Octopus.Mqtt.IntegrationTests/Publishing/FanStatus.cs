namespace Octopus.Mqtt.IntegrationTests.Publishing;

/// <summary>The dummy fan's status, as the sample adaptor publishes it.</summary>
/// <param name="Gear">slow, middle or fast.</param>
/// <param name="RotatingSpeed">The speed.</param>
internal sealed record FanStatus(string Gear, int RotatingSpeed);
