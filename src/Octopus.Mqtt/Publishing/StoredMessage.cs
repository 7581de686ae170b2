namespace Octopus.Mqtt;

/// <summary>A message read back from a store.</summary>
/// <param name="Sequence">Its publish order.</param>
/// <param name="Topic">The rendered topic.</param>
/// <param name="Payload">The payload.</param>
/// <param name="Qos">The QoS (1 or 2).</param>
/// <param name="Retain">The retain flag.</param>
internal sealed record StoredMessage(long Sequence, string Topic, byte[] Payload, MqttQos Qos, bool Retain);
