namespace Octopus.Mqtt.LoadTool.Workload;

/// <summary>
/// The status a device publishes: the dummy fan's status plus what the subscriber needs to count and time it
/// (case, device, sequence number, send time). About 120 bytes of JSON.
/// </summary>
internal sealed class StatusMessage
{
    public int Case { get; set; }

    public int Device { get; set; }

    public int Seq { get; set; }

    /// <summary>Gets or sets the <see cref="System.Diagnostics.Stopwatch"/> timestamp of the publish call.</summary>
    public long SentAt { get; set; }

    public string Gear { get; set; } = "fast";

    public int RotatingSpeed { get; set; }

    public bool On { get; set; } = true;

    public string Location { get; set; } = "living-room";
}
