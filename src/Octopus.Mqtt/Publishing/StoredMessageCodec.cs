using System.Buffers.Binary;
using System.Text;

namespace Octopus.Mqtt;

/// <summary>
/// The File store's format of one message, little-endian throughout: a header, the UTF-8 topic, the MQTT 5 properties
/// (version 3), the payload, and an FNV-1a 64-bit checksum of everything before it.
/// </summary>
/// <remarks>
/// <para>
/// Version 3 (written): a 24-byte header, version 2's with version 3 and then the length of the properties (int32, 0
/// when the message has none), which follow the topic (<see cref="StoredPropertiesCodec"/>).
/// </para>
/// <para>
/// Version 2 (still read, from clients before properties were kept): a 20-byte header of magic <c>OMQS</c>, version 2,
/// QoS, flags (bit 0: retain), the handshake phase (<see cref="OutboundPhase"/>), topic length (int32), payload length
/// (int32), the packet identifier (uint16, 0 when none is bound) and two reserved zero bytes.
/// </para>
/// <para>
/// Version 1 (still read, from clients before packet identifiers were kept): a 16-byte header of magic, version 1,
/// QoS, flags, a zero byte, topic length and payload length; it reads back with packet identifier 0 and phase
/// <see cref="OutboundPhase.Unsent"/>.
/// </para>
/// </remarks>
internal static class StoredMessageCodec
{
    /// <summary>The header length of the version written.</summary>
    public const int HeaderLength = 24;

    /// <summary>The header length of version 2.</summary>
    public const int Version2HeaderLength = 20;

    /// <summary>The header length of version 1.</summary>
    public const int Version1HeaderLength = 16;

    public const int ChecksumLength = 8;

    /// <summary>The version written.</summary>
    public const byte Version = 3;

    /// <summary>UTF-8 that refuses what is not UTF-8 (a damaged entry fails its read, never decodes to something else).</summary>
    internal static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>Gets the encoded length of a message.</summary>
    /// <param name="topic">The topic.</param>
    /// <param name="payloadLength">The payload's length.</param>
    /// <param name="properties">The message's properties, or <see langword="null"/>.</param>
    /// <returns>The length in bytes.</returns>
    public static int GetLength(string topic, int payloadLength, MessageProperties? properties = null) =>
        checked(HeaderLength + StrictUtf8.GetByteCount(topic) + StoredPropertiesCodec.GetLength(properties) + payloadLength + ChecksumLength);

    /// <summary>Encodes a message into <paramref name="destination"/>, exactly <see cref="GetLength"/> bytes long.</summary>
    /// <param name="destination">Where to write.</param>
    /// <param name="topic">The topic.</param>
    /// <param name="payload">The payload.</param>
    /// <param name="qos">The QoS.</param>
    /// <param name="retain">The retain flag.</param>
    /// <param name="packetId">The packet identifier bound to the message, or 0 when none is.</param>
    /// <param name="phase">Where the message stands in its handshake.</param>
    /// <param name="properties">The message's properties, or <see langword="null"/>.</param>
    /// <exception cref="ArgumentException">
    /// The phase is unknown, a sent message (<see cref="OutboundPhase.Published"/> or <see cref="OutboundPhase.Released"/>)
    /// has no packet identifier, or a message other than QoS 2 is <see cref="OutboundPhase.Released"/>.
    /// </exception>
    public static void Encode(Span<byte> destination, string topic, ReadOnlySpan<byte> payload, MqttQos qos, bool retain, ushort packetId = 0, OutboundPhase phase = OutboundPhase.Unsent, MessageProperties? properties = null)
    {
        if (!IsConsistent(qos, packetId, phase))
        {
            throw new ArgumentException($"A message of QoS {(int)qos} in phase {phase} with packet identifier {packetId} cannot be stored: a sent message needs a packet identifier, and only QoS 2 is released.", nameof(phase));
        }

        "OMQS"u8.CopyTo(destination);
        destination[4] = Version;
        destination[5] = (byte)qos;
        destination[6] = retain ? (byte)1 : (byte)0;
        destination[7] = (byte)phase;
        var topicLength = StrictUtf8.GetBytes(topic, destination[HeaderLength..]);
        BinaryPrimitives.WriteInt32LittleEndian(destination[8..], topicLength);
        BinaryPrimitives.WriteInt32LittleEndian(destination[12..], payload.Length);
        BinaryPrimitives.WriteUInt16LittleEndian(destination[16..], packetId);
        destination[18] = 0;
        destination[19] = 0;
        var propertiesLength = StoredPropertiesCodec.GetLength(properties);
        BinaryPrimitives.WriteInt32LittleEndian(destination[20..], propertiesLength);
        StoredPropertiesCodec.Encode(destination.Slice(HeaderLength + topicLength, propertiesLength), properties);
        payload.CopyTo(destination[(HeaderLength + topicLength + propertiesLength)..]);
        var body = HeaderLength + topicLength + propertiesLength + payload.Length;
        BinaryPrimitives.WriteUInt64LittleEndian(destination[body..], Checksum(destination[..body]));
    }

    /// <summary>Decodes a message of either version.</summary>
    /// <param name="sequence">The sequence number (from the file name).</param>
    /// <param name="data">The encoded message.</param>
    /// <param name="message">The message.</param>
    /// <param name="error">Why the data is not a message.</param>
    /// <returns><see langword="true"/> when the data is a whole, intact message.</returns>
    public static bool TryDecode(long sequence, ReadOnlySpan<byte> data, out StoredMessage? message, out string? error)
    {
        message = null;
        if (data.Length < Version1HeaderLength + ChecksumLength)
        {
            error = "it is " + data.Length + " bytes long, shorter than any message";
            return false;
        }

        var version = data[4];
        if (!data[..4].SequenceEqual("OMQS"u8) || version is not (1 or 2 or Version))
        {
            error = "it does not start with the store's magic and version";
            return false;
        }

        var headerLength = version switch { 1 => Version1HeaderLength, 2 => Version2HeaderLength, _ => HeaderLength };
        if (data.Length < headerLength + ChecksumLength)
        {
            error = "it is " + data.Length + " bytes long, shorter than any message of version " + version;
            return false;
        }

        var qos = data[5];
        var flags = data[6];
        var topicLength = BinaryPrimitives.ReadInt32LittleEndian(data[8..]);
        var payloadLength = BinaryPrimitives.ReadInt32LittleEndian(data[12..]);
        var phase = version == 1 ? OutboundPhase.Unsent : (OutboundPhase)data[7];
        var packetId = version == 1 ? (ushort)0 : BinaryPrimitives.ReadUInt16LittleEndian(data[16..]);
        var propertiesLength = version == Version ? BinaryPrimitives.ReadInt32LittleEndian(data[20..]) : 0;
        var reservedClear = version == 1 ? data[7] == 0 : data[18] == 0 && data[19] == 0;
        if (!reservedClear || qos > 2 || flags > 1 || topicLength <= 0 || payloadLength < 0 || propertiesLength < 0
            || !IsConsistent((MqttQos)qos, packetId, phase)
            || (long)headerLength + topicLength + propertiesLength + payloadLength + ChecksumLength != data.Length)
        {
            error = "its header is inconsistent";
            return false;
        }

        var body = headerLength + topicLength + propertiesLength + payloadLength;
        if (BinaryPrimitives.ReadUInt64LittleEndian(data[body..]) != Checksum(data[..body]))
        {
            error = "its checksum does not match";
            return false;
        }

        string topic;
        try
        {
            topic = StrictUtf8.GetString(data.Slice(headerLength, topicLength));
        }
        catch (DecoderFallbackException)
        {
            error = "its topic is not UTF-8";
            return false;
        }

        if (!StoredPropertiesCodec.TryDecode(data.Slice(headerLength + topicLength, propertiesLength), out var properties))
        {
            error = "its properties are inconsistent";
            return false;
        }

        var payload = data.Slice(headerLength + topicLength + propertiesLength, payloadLength).ToArray();
        message = new StoredMessage(sequence, topic, payload, (MqttQos)qos, flags == 1, packetId, phase, properties);
        error = null;
        return true;
    }

    /// <summary>Whether a phase, packet identifier and QoS can describe one stored message.</summary>
    private static bool IsConsistent(MqttQos qos, ushort packetId, OutboundPhase phase) => phase switch
    {
        OutboundPhase.Unsent => true,
        OutboundPhase.Published => packetId != 0,
        OutboundPhase.Released => packetId != 0 && qos == MqttQos.ExactlyOnce,
        _ => false,
    };

    private static ulong Checksum(ReadOnlySpan<byte> data)
    {
        const ulong OffsetBasis = 14695981039346656037;
        const ulong Prime = 1099511628211;
        var hash = OffsetBasis;
        foreach (var b in data)
        {
            hash = (hash ^ b) * Prime;
        }

        return hash;
    }
}
