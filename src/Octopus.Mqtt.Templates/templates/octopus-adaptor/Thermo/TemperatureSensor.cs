namespace Thermo;

/// <summary>
/// A simulated temperature sensor: replace <see cref="Read"/> with the code that talks to your device.
/// </summary>
public sealed class TemperatureSensor(TimeProvider time)
{
    /// <summary>Reads the temperature: 20 °C to 22.9 °C, changing with the minute of the hour.</summary>
    public TemperatureStatus Read() => new(20 + (time.GetUtcNow().Minute % 30 / 10.0), "celsius");
}
