using System.Text.Json;
using System.Text.Json.Serialization;

namespace Octopus.Mqtt;

/// <summary>Reads bytes from base64 in any of its common forms and writes standard, padded base64.</summary>
internal sealed class WillContentJsonConverter : JsonConverter<byte[]>
{
    public override byte[] Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.TokenType == JsonTokenType.String && WillContent.TryDecode(reader.GetString()!, out var bytes)
            ? bytes
            : throw new JsonException($"expected {WillContent.Allowed}");

    public override void Write(Utf8JsonWriter writer, byte[] value, JsonSerializerOptions options) =>
        writer.WriteBase64StringValue(value);
}
