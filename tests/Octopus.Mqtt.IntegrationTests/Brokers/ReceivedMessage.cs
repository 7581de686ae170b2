using System.Text;

namespace Octopus.Mqtt.IntegrationTests.Brokers;

/// <summary>A message a broker or a subscriber received.</summary>
/// <param name="Topic">The topic.</param>
/// <param name="Payload">The payload bytes.</param>
/// <param name="Qos">The QoS it was received with.</param>
/// <param name="Retain">The retain flag it was received with.</param>
/// <param name="ClientId">The client that published it (in-process brokers only), else <see langword="null"/>.</param>
public sealed record ReceivedMessage(string Topic, byte[] Payload, MqttQos Qos, bool Retain, string? ClientId = null)
{
    /// <summary>Gets the payload as UTF-8 text.</summary>
    public string PayloadText => Encoding.UTF8.GetString(Payload);

    /// <inheritdoc />
    public override string ToString() => $"{Topic} q{(int)Qos} r{(Retain ? 1 : 0)} \"{PayloadText}\"{(ClientId is null ? string.Empty : $" from {ClientId}")}";
}
