using System.Buffers.Binary;
using System.Text;

namespace Octopus.Mqtt;

/// <summary>
/// The File store's format of a message's MQTT 5 properties and expiry (format version 3), little-endian: a flags byte
/// (bit 0 expiry, 1 content type, 2 response topic, 3 correlation data, 4 user properties), the payload format
/// indicator, then what the flags announce in that order: the expiry as Unix milliseconds (int64), each string and the
/// correlation data as an int32 length and its bytes (strings UTF-8), and the user properties as an int32 count of
/// name and value strings.
/// </summary>
internal static class StoredPropertiesCodec
{
    private const byte HasExpiry = 1;
    private const byte HasContentType = 2;
    private const byte HasResponseTopic = 4;
    private const byte HasCorrelationData = 8;
    private const byte HasUserProperties = 16;

    /// <summary>Gets the encoded length of the properties (0 when there are none).</summary>
    /// <param name="properties">The properties, or <see langword="null"/>.</param>
    /// <returns>The length in bytes.</returns>
    public static int GetLength(MessageProperties? properties)
    {
        if (properties is null)
        {
            return 0;
        }

        var length = 2;
        length += properties.ExpiresAt is null ? 0 : 8;
        length += properties.ContentType is { } contentType ? 4 + StoredMessageCodec.StrictUtf8.GetByteCount(contentType) : 0;
        length += properties.ResponseTopic is { } responseTopic ? 4 + StoredMessageCodec.StrictUtf8.GetByteCount(responseTopic) : 0;
        length += properties.CorrelationData is { } correlation ? 4 + correlation.Length : 0;
        if (properties.UserProperties is { } userProperties)
        {
            length += 4;
            foreach (var property in userProperties)
            {
                length = checked(length + 8 + StoredMessageCodec.StrictUtf8.GetByteCount(property.Name) + StoredMessageCodec.StrictUtf8.GetByteCount(property.Value));
            }
        }

        return length;
    }

    /// <summary>Encodes the properties into <paramref name="destination"/>, exactly <see cref="GetLength"/> bytes long.</summary>
    /// <param name="destination">Where to write.</param>
    /// <param name="properties">The properties, or <see langword="null"/> (nothing is written).</param>
    public static void Encode(Span<byte> destination, MessageProperties? properties)
    {
        if (properties is null)
        {
            return;
        }

        destination[0] = (byte)((properties.ExpiresAt is null ? 0 : HasExpiry)
            | (properties.ContentType is null ? 0 : HasContentType)
            | (properties.ResponseTopic is null ? 0 : HasResponseTopic)
            | (properties.CorrelationData is null ? 0 : HasCorrelationData)
            | (properties.UserProperties is null ? 0 : HasUserProperties));
        destination[1] = (byte)properties.PayloadFormat;
        var position = 2;
        if (properties.ExpiresAt is { } expiresAt)
        {
            BinaryPrimitives.WriteInt64LittleEndian(destination[position..], expiresAt.ToUnixTimeMilliseconds());
            position += 8;
        }

        WriteString(destination, ref position, properties.ContentType);
        WriteString(destination, ref position, properties.ResponseTopic);
        if (properties.CorrelationData is { } correlation)
        {
            BinaryPrimitives.WriteInt32LittleEndian(destination[position..], correlation.Length);
            correlation.CopyTo(destination[(position + 4)..]);
            position += 4 + correlation.Length;
        }

        if (properties.UserProperties is { } userProperties)
        {
            BinaryPrimitives.WriteInt32LittleEndian(destination[position..], userProperties.Length);
            position += 4;
            foreach (var property in userProperties)
            {
                WriteString(destination, ref position, property.Name);
                WriteString(destination, ref position, property.Value);
            }
        }
    }

    /// <summary>Decodes properties written by <see cref="Encode"/>.</summary>
    /// <param name="data">Exactly the encoded properties (empty when there are none).</param>
    /// <param name="properties">The properties (without a clock), or <see langword="null"/> when there are none.</param>
    /// <returns><see langword="false"/> when the bytes are not properties.</returns>
    public static bool TryDecode(ReadOnlySpan<byte> data, out MessageProperties? properties)
    {
        properties = null;
        if (data.IsEmpty)
        {
            return true;
        }

        try
        {
            var flags = data[0];
            var format = data[1];
            if (flags > 31 || format > 1)
            {
                return false;
            }

            var position = 2;
            DateTimeOffset? expiresAt = null;
            if ((flags & HasExpiry) != 0)
            {
                expiresAt = DateTimeOffset.FromUnixTimeMilliseconds(BinaryPrimitives.ReadInt64LittleEndian(data[position..]));
                position += 8;
            }

            var contentType = (flags & HasContentType) != 0 ? ReadString(data, ref position) : null;
            var responseTopic = (flags & HasResponseTopic) != 0 ? ReadString(data, ref position) : null;
            var correlation = (flags & HasCorrelationData) != 0 ? ReadBytes(data, ref position).ToArray() : null;
            UserProperty[]? userProperties = null;
            if ((flags & HasUserProperties) != 0)
            {
                var count = BinaryPrimitives.ReadInt32LittleEndian(data[position..]);
                position += 4;
                if (count < 0 || count > data.Length)
                {
                    return false;
                }

                userProperties = new UserProperty[count];
                for (var i = 0; i < count; i++)
                {
                    var name = ReadString(data, ref position);
                    userProperties[i] = new UserProperty(name, ReadString(data, ref position));
                }
            }

            if (position != data.Length)
            {
                return false;
            }

            properties = new MessageProperties
            {
                ContentType = contentType,
                PayloadFormat = (MqttPayloadFormat)format,
                ResponseTopic = responseTopic,
                CorrelationData = correlation,
                UserProperties = userProperties,
                ExpiresAt = expiresAt,
            };
            return true;
        }
        catch (Exception exception) when (exception is ArgumentOutOfRangeException or DecoderFallbackException or IndexOutOfRangeException)
        {
            return false;
        }
    }

    private static void WriteString(Span<byte> destination, ref int position, string? value)
    {
        if (value is null)
        {
            return;
        }

        var length = StoredMessageCodec.StrictUtf8.GetBytes(value, destination[(position + 4)..]);
        BinaryPrimitives.WriteInt32LittleEndian(destination[position..], length);
        position += 4 + length;
    }

    private static string ReadString(ReadOnlySpan<byte> data, ref int position) => StoredMessageCodec.StrictUtf8.GetString(ReadBytes(data, ref position));

    private static ReadOnlySpan<byte> ReadBytes(ReadOnlySpan<byte> data, ref int position)
    {
        var length = BinaryPrimitives.ReadInt32LittleEndian(data[position..]);
        var bytes = data.Slice(position + 4, length);
        position += 4 + length;
        return bytes;
    }
}
