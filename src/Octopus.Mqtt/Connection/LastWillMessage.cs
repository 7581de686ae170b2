namespace Octopus.Mqtt;

/// <summary>The last will sent in CONNECT, its topic already rendered.</summary>
/// <param name="Topic">The rendered will topic.</param>
/// <param name="Payload">The will payload (the decoded <c>message.will.content</c>).</param>
/// <param name="Qos">The will's QoS.</param>
/// <param name="Retain">Whether the broker retains the will when it publishes it.</param>
internal sealed record LastWillMessage(string Topic, byte[] Payload, MqttQos Qos, bool Retain);
