namespace Octopus.Mqtt.Samples.DummyFan;

/// <summary>What the DeviceLink asks of the fan (<c>spec.template.spec</c> of a DummySpecialDevice).</summary>
/// <param name="Gear">The gear (<c>gear</c>); <see cref="FanGear.Slow"/> when absent.</param>
/// <param name="On">Whether the fan is switched on (<c>on</c>); off when absent.</param>
/// <param name="Location">Where the fan is (<c>protocol.location</c>), or <see langword="null"/>; the simulation does not use it.</param>
internal sealed record FanSpec(FanGear Gear, bool On, string? Location = null);
