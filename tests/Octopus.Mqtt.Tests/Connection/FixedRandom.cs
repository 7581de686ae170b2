namespace Octopus.Mqtt.Tests.Connection;

/// <summary>A <see cref="Random"/> whose <see cref="NextDouble"/> always returns the same value.</summary>
internal sealed class FixedRandom(double value) : Random
{
    public override double NextDouble() => value;
}
