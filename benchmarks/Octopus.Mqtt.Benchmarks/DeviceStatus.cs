namespace Octopus.Mqtt.Benchmarks;

/// <summary>A device status as an adaptor publishes it: the dummy fan's, about 120 bytes of JSON.</summary>
public sealed class DeviceStatus
{
    public string Gear { get; set; } = "fast";

    public int RotatingSpeed { get; set; } = 247;

    public bool On { get; set; } = true;

    public string Location { get; set; } = "living-room/ceiling";

    public long UpdatedAt { get; set; } = 1_767_225_600_000;

    public string Firmware { get; set; } = "2.4.1";
}
