using System.Text.Json;
using System.Text.Json.Serialization;

namespace Octopus.Mqtt;

/// <summary>Reads a store type in any case and writes it as documented (<c>"Memory"</c>, <c>"File"</c>).</summary>
internal sealed class MqttStoreTypeJsonConverter : JsonConverter<MqttStoreType>
{
    public override MqttStoreType Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.TokenType == JsonTokenType.String && MqttStoreTypeNames.TryParse(reader.GetString()!, out var type)
            ? type
            : throw new JsonException($"expected a store type: {MqttStoreTypeNames.Allowed}");

    public override void Write(Utf8JsonWriter writer, MqttStoreType value, JsonSerializerOptions options) =>
        writer.WriteStringValue(MqttStoreTypeNames.Format(value));
}
