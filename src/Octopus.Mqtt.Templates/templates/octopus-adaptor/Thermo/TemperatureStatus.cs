namespace Thermo;

/// <summary>The device's status, published whole as JSON: <c>{"temperature":21.5,"unit":"celsius"}</c>.</summary>
/// <param name="Temperature">The temperature the sensor measured.</param>
/// <param name="Unit">The unit of <paramref name="Temperature"/>.</param>
public sealed record TemperatureStatus(double Temperature, string Unit);
