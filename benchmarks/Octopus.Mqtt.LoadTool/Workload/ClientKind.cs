namespace Octopus.Mqtt.LoadTool.Workload;

/// <summary>
/// Who publishes: the library's device client, a raw MQTTnet client doing the same work by hand, or (with
/// <c>--bare</c>) MQTT written by hand on a socket, for the broker's ceiling.
/// </summary>
internal enum ClientKind
{
    Library,
    Raw,
    Bare,
}
