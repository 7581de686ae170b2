namespace Octopus.Mqtt;

/// <summary>A message read back from a store.</summary>
/// <param name="Sequence">Its publish order.</param>
/// <param name="Topic">The rendered topic.</param>
/// <param name="Payload">The payload.</param>
/// <param name="Qos">The QoS (1 or 2).</param>
/// <param name="Retain">The retain flag.</param>
/// <param name="PacketId">The packet identifier bound to it on the persistent session, or 0 when none is.</param>
/// <param name="Phase">Where it stood in its handshake with the broker.</param>
/// <param name="Properties">Its MQTT 5 properties and expiry (without a clock), or <see langword="null"/>.</param>
internal sealed record StoredMessage(long Sequence, string Topic, byte[] Payload, MqttQos Qos, bool Retain, ushort PacketId = 0, OutboundPhase Phase = OutboundPhase.Unsent, MessageProperties? Properties = null);
