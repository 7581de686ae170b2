namespace Octopus.Mqtt;

/// <summary>Where unacknowledged QoS 1 and 2 messages are kept until the broker acknowledges them.</summary>
public enum MqttStoreType
{
    /// <summary>In memory: kept across reconnects, lost when the process ends.</summary>
    Memory = 0,

    /// <summary>In files under <c>directoryPrefix/&lt;uid&gt;</c>: kept across reconnects and process restarts.</summary>
    File = 1,
}
