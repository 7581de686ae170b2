using System.Text.Json;
using System.Text.Json.Serialization;

namespace Octopus.Mqtt;

/// <summary>Reads and writes a <see cref="GoDuration"/> as its Go string (<c>"1m30s"</c>).</summary>
internal sealed class GoDurationJsonConverter : JsonConverter<GoDuration>
{
    public override GoDuration Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.String)
        {
            throw new JsonException($"expected {GoDurationParser.Allowed}");
        }

        return GoDuration.TryParse(reader.GetString(), out var duration, out var error) ? duration : throw new JsonException(error);
    }

    public override void Write(Utf8JsonWriter writer, GoDuration value, JsonSerializerOptions options)
    {
        Span<char> buffer = stackalloc char[40];
        _ = value.TryFormat(buffer, out var written, default, null);
        writer.WriteStringValue(buffer[..written]);
    }
}
