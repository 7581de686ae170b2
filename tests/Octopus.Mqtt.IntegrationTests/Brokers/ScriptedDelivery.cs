using System.Text;
using MQTTnet.Protocol;

namespace Octopus.Mqtt.IntegrationTests.Brokers;

/// <summary>
/// An application message a <see cref="ScriptedBroker"/> accepted for delivery to subscribers: once per QoS 0 or 1
/// PUBLISH, once per QoS 2 message however often it is sent again before its PUBREL.
/// </summary>
/// <param name="Connection">The number of the connection it came on.</param>
/// <param name="ClientId">The publisher's client ID.</param>
/// <param name="Topic">The topic.</param>
/// <param name="Payload">The payload.</param>
/// <param name="Qos">The QoS it was published with.</param>
/// <param name="PacketId">The packet identifier it came with (0 for QoS 0).</param>
public sealed record ScriptedDelivery(int Connection, string ClientId, string Topic, ReadOnlyMemory<byte> Payload, MqttQualityOfServiceLevel Qos, ushort PacketId)
{
    /// <summary>Gets the payload as UTF-8 text.</summary>
    public string PayloadText => Encoding.UTF8.GetString(Payload.Span);

    /// <inheritdoc/>
    public override string ToString() => $"#{Connection} {ClientId} m{PacketId} q{(int)Qos} '{Topic}' '{PayloadText}'";
}
