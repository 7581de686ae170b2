using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace Octopus.Mqtt;

/// <summary>Turns canonical JSON (see <see cref="MqttOptionsReader"/>) into options and options into JSON, through
/// <see cref="MqttOptionsJsonContext"/>.</summary>
internal static class MqttOptionsSerializer
{
    private static readonly JsonWriterOptions Compact = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
    private static readonly JsonWriterOptions Indented = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, Indented = true };

    /// <summary>Creates options from canonical JSON; absent fields keep their defaults.</summary>
    /// <param name="json">The canonical JSON.</param>
    /// <returns>The options.</returns>
    public static MqttOptions Deserialize(JsonObject json) =>
        json.Deserialize(MqttOptionsJsonContext.Default.MqttOptions) ?? new MqttOptions();

    /// <summary>Sets on <paramref name="target"/> the fields that the canonical JSON holds, and only those, as a
    /// configuration binder does: objects already there are filled in, not replaced.</summary>
    /// <param name="json">The canonical JSON.</param>
    /// <param name="target">The options to fill in.</param>
    public static void Populate(JsonObject json, MqttOptions target)
    {
        var options = new JsonSerializerOptions(MqttOptionsJsonContext.Default.Options)
        {
            TypeInfoResolver = MqttOptionsJsonContext.Default.WithAddedModifier(info =>
            {
                if (info.Type == typeof(MqttOptions))
                {
                    info.CreateObject = () => target;
                }
            }),
            PreferredObjectCreationHandling = JsonObjectCreationHandling.Populate,
        };
        _ = json.Deserialize((JsonTypeInfo<MqttOptions>)options.GetTypeInfo(typeof(MqttOptions)));
    }

    public static string Serialize(MqttOptions options, bool indented)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, indented ? Indented : Compact))
        {
            JsonSerializer.Serialize(writer, options, MqttOptionsJsonContext.Default.MqttOptions);
        }

        return System.Text.Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }
}
