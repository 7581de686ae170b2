namespace Octopus.Mqtt.LoadTool.Workload;

/// <summary>Who publishes: the library's device client, or a raw MQTTnet client doing the same work by hand.</summary>
internal enum ClientKind
{
    Library,
    Raw,
}
