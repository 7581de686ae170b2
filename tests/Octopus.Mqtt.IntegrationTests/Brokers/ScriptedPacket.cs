using System.Buffers;
using System.Text;
using MQTTnet.Formatter;
using MQTTnet.Packets;
using MQTTnet.Protocol;

namespace Octopus.Mqtt.IntegrationTests.Brokers;

/// <summary>One packet a <see cref="ScriptedBroker"/> received or sent, recorded as it crossed the socket.</summary>
/// <param name="Connection">The connection's number, from 1 in accept order.</param>
/// <param name="ClientId">The client ID of the connection (empty before its CONNECT named one).</param>
/// <param name="Direction">Whether the broker received or sent it.</param>
/// <param name="Type">The packet type.</param>
/// <param name="PacketId">The packet identifier, or 0 for packets without one.</param>
/// <param name="Dup">The DUP flag of a PUBLISH.</param>
/// <param name="Qos">The QoS of a PUBLISH.</param>
/// <param name="Retain">The RETAIN flag of a PUBLISH.</param>
/// <param name="Topic">The topic of a PUBLISH; the topic filters of a SUBSCRIBE or UNSUBSCRIBE joined by ','; else <see langword="null"/>.</param>
/// <param name="Payload">The payload of a PUBLISH (a copy), else empty.</param>
/// <param name="ReasonCodes">
/// The codes the packet carries: a CONNACK's reason code (MQTT 5) or return code (3.x), an acknowledgement's or a
/// DISCONNECT's reason code, a SUBACK's or UNSUBACK's per filter; empty when none.
/// </param>
/// <param name="UserProperties">The MQTT 5 user properties, in order.</param>
/// <param name="SessionPresent">The session-present flag of a CONNACK, the clean-session (clean-start) flag of a CONNECT.</param>
/// <param name="Protocol">The connection's protocol version (unknown before its CONNECT).</param>
/// <param name="Raw">The decoded (or encoded) MQTTnet packet, for anything else; do not change it.</param>
public sealed record ScriptedPacket(
    int Connection,
    string ClientId,
    BrokerPacketDirection Direction,
    MqttControlPacketType Type,
    ushort PacketId,
    bool Dup,
    MqttQualityOfServiceLevel Qos,
    bool Retain,
    string? Topic,
    ReadOnlyMemory<byte> Payload,
    IReadOnlyList<int> ReasonCodes,
    IReadOnlyList<KeyValuePair<string, string>> UserProperties,
    bool SessionPresent,
    MqttProtocolVersion Protocol,
    MqttPacket Raw)
{
    /// <summary>Gets the payload as UTF-8 text.</summary>
    public string PayloadText => Encoding.UTF8.GetString(Payload.Span);

    /// <summary>Gets the single reason code, or -1 when the packet carries none.</summary>
    public int ReasonCode => ReasonCodes.Count > 0 ? ReasonCodes[0] : -1;

    /// <summary>Describes the packet in one short line, for failure messages.</summary>
    /// <returns>For example "#2 Sent PubRec m5 [0]".</returns>
    public override string ToString() =>
        $"#{Connection} {ClientId} {Direction} {Type}" + (PacketId == 0 ? string.Empty : $" m{PacketId}") +
        (Type == MqttControlPacketType.Publish ? $" d{(Dup ? 1 : 0)} q{(int)Qos} r{(Retain ? 1 : 0)} '{Topic}'" : string.Empty) +
        (ReasonCodes.Count == 0 ? string.Empty : $" [{string.Join(',', ReasonCodes)}]") +
        (Type is MqttControlPacketType.ConnAck or MqttControlPacketType.Connect ? $" {(SessionPresent ? 1 : 0)}" : string.Empty);

    /// <summary>Records an MQTTnet packet.</summary>
    /// <param name="connection">The connection's number.</param>
    /// <param name="clientId">The connection's client ID.</param>
    /// <param name="direction">Which way it travelled.</param>
    /// <param name="protocol">The connection's protocol version.</param>
    /// <param name="packet">The packet.</param>
    /// <returns>The record.</returns>
    internal static ScriptedPacket From(int connection, string clientId, BrokerPacketDirection direction, MqttProtocolVersion protocol, MqttPacket packet)
    {
        var record = new ScriptedPacket(
            connection, clientId, direction, TypeOf(packet), (packet as MqttPacketWithIdentifier)?.PacketIdentifier ?? 0, false,
            MqttQualityOfServiceLevel.AtMostOnce, false, null, ReadOnlyMemory<byte>.Empty, [], [], false, protocol, packet);
        return packet switch
        {
            MqttConnectPacket p => record with { SessionPresent = p.CleanSession, UserProperties = Properties(p.UserProperties) },
            MqttConnAckPacket p => record with
            {
                SessionPresent = p.IsSessionPresent,
                ReasonCodes = [protocol == MqttProtocolVersion.V500 ? (int)p.ReasonCode : (int)p.ReturnCode],
                UserProperties = Properties(p.UserProperties),
            },
            MqttPublishPacket p => record with
            {
                Dup = p.Dup, Qos = p.QualityOfServiceLevel, Retain = p.Retain, Topic = p.Topic, Payload = p.Payload.ToArray(), UserProperties = Properties(p.UserProperties),
            },
            MqttPubAckPacket p => record with { ReasonCodes = [(int)p.ReasonCode], UserProperties = Properties(p.UserProperties) },
            MqttPubRecPacket p => record with { ReasonCodes = [(int)p.ReasonCode], UserProperties = Properties(p.UserProperties) },
            MqttPubRelPacket p => record with { ReasonCodes = [(int)p.ReasonCode], UserProperties = Properties(p.UserProperties) },
            MqttPubCompPacket p => record with { ReasonCodes = [(int)p.ReasonCode], UserProperties = Properties(p.UserProperties) },
            MqttSubscribePacket p => record with { Topic = string.Join(',', p.TopicFilters.Select(f => f.Topic)), UserProperties = Properties(p.UserProperties) },
            MqttSubAckPacket p => record with { ReasonCodes = [.. p.ReasonCodes.Select(c => (int)c)], UserProperties = Properties(p.UserProperties) },
            MqttUnsubscribePacket p => record with { Topic = string.Join(',', p.TopicFilters), UserProperties = Properties(p.UserProperties) },
            MqttUnsubAckPacket p => record with { ReasonCodes = [.. (p.ReasonCodes ?? []).Select(c => (int)c)], UserProperties = Properties(p.UserProperties) },
            MqttDisconnectPacket p => record with { ReasonCodes = [(int)p.ReasonCode], UserProperties = Properties(p.UserProperties) },
            _ => record,
        };
    }

    private static MqttControlPacketType TypeOf(MqttPacket packet) => packet switch
    {
        MqttConnectPacket => MqttControlPacketType.Connect,
        MqttConnAckPacket => MqttControlPacketType.ConnAck,
        MqttPublishPacket => MqttControlPacketType.Publish,
        MqttPubAckPacket => MqttControlPacketType.PubAck,
        MqttPubRecPacket => MqttControlPacketType.PubRec,
        MqttPubRelPacket => MqttControlPacketType.PubRel,
        MqttPubCompPacket => MqttControlPacketType.PubComp,
        MqttSubscribePacket => MqttControlPacketType.Subscribe,
        MqttSubAckPacket => MqttControlPacketType.SubAck,
        MqttUnsubscribePacket => MqttControlPacketType.Unsubscribe,
        MqttUnsubAckPacket => MqttControlPacketType.UnsubAck,
        MqttPingReqPacket => MqttControlPacketType.PingReq,
        MqttPingRespPacket => MqttControlPacketType.PingResp,
        MqttDisconnectPacket => MqttControlPacketType.Disconnect,
        _ => MqttControlPacketType.Auth,
    };

    private static KeyValuePair<string, string>[] Properties(List<MqttUserProperty>? properties) =>
        properties is null ? [] : [.. properties.Select(p => KeyValuePair.Create(p.Name, p.ReadValueAsString()))];
}
