namespace Octopus.Mqtt;

/// <summary>The MQTT quality of service of a publish or a subscription.</summary>
public enum MqttQos
{
    /// <summary>QoS 0: sent at most once, never acknowledged.</summary>
    AtMostOnce = 0,

    /// <summary>QoS 1: sent at least once, acknowledged by PUBACK.</summary>
    AtLeastOnce = 1,

    /// <summary>QoS 2: sent exactly once, with the four-packet handshake.</summary>
    ExactlyOnce = 2,
}
