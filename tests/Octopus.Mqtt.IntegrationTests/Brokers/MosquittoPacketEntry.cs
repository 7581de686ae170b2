using System.Globalization;
using System.Text.RegularExpressions;
using MQTTnet.Protocol;

namespace Octopus.Mqtt.IntegrationTests.Brokers;

/// <summary>
/// One packet mosquitto 2.0 logged with <c>log_type all</c>: "Received PUBLISH from c (d0, q2, r0, m5, 't', ... (3 bytes))",
/// "Sending PUBREC to c (m5, rc0)", "Received PUBREL from c (Mid: 5)", "Sending CONNACK to c (1, 0)", and the CONNECT
/// mosquitto reports as "New client connected from 127.0.0.1:5000 as c (p2, c0, k30)".
/// </summary>
/// <param name="Direction">Whether mosquitto received or sent the packet.</param>
/// <param name="Type">The packet type.</param>
/// <param name="ClientId">The client the packet came from or went to.</param>
/// <param name="PacketId">The packet identifier (<c>m5</c>, <c>Mid: 5</c>), or 0 when the line shows none.</param>
/// <param name="Dup">The DUP flag of a PUBLISH (<c>d1</c>).</param>
/// <param name="Qos">The QoS of a PUBLISH (<c>q2</c>), else 0.</param>
/// <param name="Retain">The RETAIN flag of a PUBLISH (<c>r1</c>).</param>
/// <param name="Topic">The topic of a PUBLISH, else <see langword="null"/>.</param>
/// <param name="PayloadLength">The payload length of a PUBLISH, else <see langword="null"/>.</param>
/// <param name="SessionPresent">The session-present flag of a CONNACK, else <see langword="null"/>.</param>
/// <param name="ReasonCode">The return code of a CONNACK or the reason code of an acknowledgement (<c>rc0</c>, <c>RC:0</c>), when logged.</param>
/// <param name="ProtocolLevel">The protocol level of a CONNECT (<c>p2</c> is 3.1.1 to mosquitto, <c>p5</c> is 5, <c>p1</c> is 3.1).</param>
/// <param name="CleanSession">The clean-session (clean-start) flag of a CONNECT, else <see langword="null"/>.</param>
/// <param name="KeepAlive">The keep-alive seconds of a CONNECT, else <see langword="null"/>.</param>
/// <param name="Line">The log line without its timestamp.</param>
public sealed partial record MosquittoPacketEntry(
    BrokerPacketDirection Direction,
    MqttControlPacketType Type,
    string ClientId,
    ushort PacketId,
    bool Dup,
    int Qos,
    bool Retain,
    string? Topic,
    int? PayloadLength,
    bool? SessionPresent,
    int? ReasonCode,
    int? ProtocolLevel,
    bool? CleanSession,
    int? KeepAlive,
    string Line)
{
    /// <summary>Reads a mosquitto log line.</summary>
    /// <param name="line">The line, with or without mosquitto's "1700000000: " timestamp.</param>
    /// <param name="entry">The packet, when the line reports one.</param>
    /// <returns>Whether the line reports a packet.</returns>
    public static bool TryParse(string line, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out MosquittoPacketEntry? entry)
    {
        entry = null;
        var text = TimestampPattern().Replace(line, string.Empty, 1);
        if (ConnectPattern().Match(text) is { Success: true } connect)
        {
            entry = new MosquittoPacketEntry(
                BrokerPacketDirection.Received, MqttControlPacketType.Connect, connect.Groups["client"].Value, 0, false, 0, false, null, null, null, null,
                Number(connect, "p"), connect.Groups["c"].Value == "1", Number(connect, "k"), text);
            return true;
        }

        var packet = PacketPattern().Match(text);
        if (!packet.Success || !Enum.TryParse<MqttControlPacketType>(packet.Groups["type"].Value, ignoreCase: true, out var type))
        {
            return false;
        }

        var direction = packet.Groups["dir"].Value == "Received" ? BrokerPacketDirection.Received : BrokerPacketDirection.Sent;
        var client = packet.Groups["client"].Value;
        var args = packet.Groups["args"].Value;
        if (type == MqttControlPacketType.Publish && PublishPattern().Match(args) is { Success: true } publish)
        {
            entry = new MosquittoPacketEntry(
                direction, type, client, (ushort)Number(publish, "m"), publish.Groups["d"].Value == "1", Number(publish, "q"), publish.Groups["r"].Value == "1",
                publish.Groups["topic"].Value, Number(publish, "len"), null, null, null, null, null, text);
            return true;
        }

        if (type == MqttControlPacketType.ConnAck && ConnAckPattern().Match(args) is { Success: true } connAck)
        {
            entry = new MosquittoPacketEntry(
                direction, type, client, 0, false, 0, false, null, null, connAck.Groups["sp"].Value == "1", Number(connAck, "rc"), null, null, null, text);
            return true;
        }

        var id = MidPattern().Match(args);
        var reason = ReasonPattern().Match(args);
        entry = new MosquittoPacketEntry(
            direction, type, client, id.Success ? (ushort)Number(id, "m") : (ushort)0, false, 0, false, null, null, null,
            reason.Success ? Number(reason, "rc") : null, null, null, null, text);
        return true;
    }

    /// <inheritdoc/>
    public override string ToString() => Line;

    private static int Number(Match match, string group) => int.Parse(match.Groups[group].Value, CultureInfo.InvariantCulture);

    [GeneratedRegex(@"^\d+: ")]
    private static partial Regex TimestampPattern();

    [GeneratedRegex(@"^New client connected from \S+ as (?<client>.+?) \(p(?<p>\d+), c(?<c>[01]), k(?<k>\d+)(?:, [^)]*)?\)\.$")]
    private static partial Regex ConnectPattern();

    [GeneratedRegex(@"^(?<dir>Received|Sending) (?<type>[A-Z]+) (?:from|to) (?<client>.+?)(?: \((?<args>.*)\))?$")]
    private static partial Regex PacketPattern();

    [GeneratedRegex(@"^d(?<d>[01]), q(?<q>[012]), r(?<r>[01]), m(?<m>\d+), '(?<topic>.*)', \.\.\. \((?<len>\d+) bytes\)$")]
    private static partial Regex PublishPattern();

    [GeneratedRegex(@"^(?<sp>[01]), (?<rc>\d+)$")]
    private static partial Regex ConnAckPattern();

    [GeneratedRegex(@"(?:\bm|Mid: )(?<m>\d+)")]
    private static partial Regex MidPattern();

    [GeneratedRegex(@"(?:\brc|RC:)(?<rc>\d+)")]
    private static partial Regex ReasonPattern();
}
