namespace Octopus.Mqtt.Samples.DummyFan;

/// <summary>The fan's status, published whole on every change: <c>{"gear":"slow","rotatingSpeed":1}</c>.</summary>
/// <param name="Gear">The gear the fan runs in.</param>
/// <param name="RotatingSpeed">The speed; 0 while the fan is off.</param>
internal sealed record FanStatus(FanGear Gear, int RotatingSpeed);
