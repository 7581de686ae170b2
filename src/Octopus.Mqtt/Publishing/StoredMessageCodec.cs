using System.Buffers.Binary;
using System.Text;

namespace Octopus.Mqtt;

/// <summary>
/// The File store's format of one message: a header (magic <c>OMQS</c>, version, QoS, flags, topic and payload
/// lengths), the UTF-8 topic, the payload, and an FNV-1a 64-bit checksum of all that, little-endian throughout.
/// </summary>
internal static class StoredMessageCodec
{
    public const int HeaderLength = 16;
    public const int ChecksumLength = 8;
    private const byte Version = 1;
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>Gets the encoded length of a message.</summary>
    /// <param name="topic">The topic.</param>
    /// <param name="payloadLength">The payload's length.</param>
    /// <returns>The length in bytes.</returns>
    public static int GetLength(string topic, int payloadLength) =>
        checked(HeaderLength + StrictUtf8.GetByteCount(topic) + payloadLength + ChecksumLength);

    /// <summary>Encodes a message into <paramref name="destination"/>, exactly <see cref="GetLength"/> bytes long.</summary>
    /// <param name="destination">Where to write.</param>
    /// <param name="topic">The topic.</param>
    /// <param name="payload">The payload.</param>
    /// <param name="qos">The QoS.</param>
    /// <param name="retain">The retain flag.</param>
    public static void Encode(Span<byte> destination, string topic, ReadOnlySpan<byte> payload, MqttQos qos, bool retain)
    {
        "OMQS"u8.CopyTo(destination);
        destination[4] = Version;
        destination[5] = (byte)qos;
        destination[6] = retain ? (byte)1 : (byte)0;
        destination[7] = 0;
        var topicLength = StrictUtf8.GetBytes(topic, destination[HeaderLength..]);
        BinaryPrimitives.WriteInt32LittleEndian(destination[8..], topicLength);
        BinaryPrimitives.WriteInt32LittleEndian(destination[12..], payload.Length);
        payload.CopyTo(destination[(HeaderLength + topicLength)..]);
        var body = HeaderLength + topicLength + payload.Length;
        BinaryPrimitives.WriteUInt64LittleEndian(destination[body..], Checksum(destination[..body]));
    }

    /// <summary>Decodes a message.</summary>
    /// <param name="sequence">The sequence number (from the file name).</param>
    /// <param name="data">The encoded message.</param>
    /// <param name="message">The message.</param>
    /// <param name="error">Why the data is not a message.</param>
    /// <returns><see langword="true"/> when the data is a whole, intact message.</returns>
    public static bool TryDecode(long sequence, ReadOnlySpan<byte> data, out StoredMessage? message, out string? error)
    {
        message = null;
        if (data.Length < HeaderLength + ChecksumLength)
        {
            error = "it is " + data.Length + " bytes long, shorter than any message";
            return false;
        }

        if (!data[..4].SequenceEqual("OMQS"u8) || data[4] != Version)
        {
            error = "it does not start with the store's magic and version";
            return false;
        }

        var qos = data[5];
        var flags = data[6];
        var topicLength = BinaryPrimitives.ReadInt32LittleEndian(data[8..]);
        var payloadLength = BinaryPrimitives.ReadInt32LittleEndian(data[12..]);
        if (qos > 2 || flags > 1 || data[7] != 0 || topicLength <= 0 || payloadLength < 0
            || (long)HeaderLength + topicLength + payloadLength + ChecksumLength != data.Length)
        {
            error = "its header is inconsistent";
            return false;
        }

        var body = HeaderLength + topicLength + payloadLength;
        if (BinaryPrimitives.ReadUInt64LittleEndian(data[body..]) != Checksum(data[..body]))
        {
            error = "its checksum does not match";
            return false;
        }

        string topic;
        try
        {
            topic = StrictUtf8.GetString(data.Slice(HeaderLength, topicLength));
        }
        catch (DecoderFallbackException)
        {
            error = "its topic is not UTF-8";
            return false;
        }

        message = new StoredMessage(sequence, topic, data.Slice(HeaderLength + topicLength, payloadLength).ToArray(), (MqttQos)qos, flags == 1);
        error = null;
        return true;
    }

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
