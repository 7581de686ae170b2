using System.Text.Json.Serialization;

namespace Octopus.Mqtt;

/// <summary>Source-generated JSON metadata of the options: documented camelCase names, no reflection at run time.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    Converters = [typeof(GoDurationJsonConverter), typeof(MqttStoreTypeJsonConverter), typeof(WillContentJsonConverter)])]
[JsonSerializable(typeof(MqttOptions))]
internal sealed partial class MqttOptionsJsonContext : JsonSerializerContext;
