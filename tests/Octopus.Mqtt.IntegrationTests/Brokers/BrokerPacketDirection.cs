namespace Octopus.Mqtt.IntegrationTests.Brokers;

/// <summary>Which way a packet travelled, seen from the broker.</summary>
public enum BrokerPacketDirection
{
    /// <summary>The broker received the packet from a client.</summary>
    Received,

    /// <summary>The broker sent the packet to a client.</summary>
    Sent,
}
