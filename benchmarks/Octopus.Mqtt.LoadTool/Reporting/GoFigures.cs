namespace Octopus.Mqtt.LoadTool.Reporting;

/// <summary>
/// The Go original (Octopus's MQTT extension on paho.mqtt.golang) measured on this class of machine against Debian's
/// mosquitto on loopback, ~120-byte JSON status, awaiting each publish. Fixed reference figures, not re-measured: the
/// report shows them, labelled as such, when the run has no <c>--go-driver</c> (see <see cref="GoOriginalResults"/>),
/// and the QoS 1 and 2 targets of <see cref="Targets"/> use them.
/// </summary>
internal static class GoFigures
{
    public const double Qos0 = 111_000;
    public const double Qos1 = 13_100;
    public const double Qos2 = 6_900;
}
