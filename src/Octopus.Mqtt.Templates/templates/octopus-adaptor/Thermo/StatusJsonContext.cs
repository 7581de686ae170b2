using System.Text.Json.Serialization;

namespace Thermo;

/// <summary>Source-generated JSON for the status (camelCase names): trimming- and AOT-safe, no reflection.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(TemperatureStatus))]
public sealed partial class StatusJsonContext : JsonSerializerContext;
