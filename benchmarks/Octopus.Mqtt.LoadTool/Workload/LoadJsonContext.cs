using System.Text.Json.Serialization;

namespace Octopus.Mqtt.LoadTool.Workload;

/// <summary>Source-generated JSON metadata of <see cref="StatusMessage"/>, camelCase as the Go adaptors' tags.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(StatusMessage))]
internal sealed partial class LoadJsonContext : JsonSerializerContext;
