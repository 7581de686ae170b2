using System.Text.Json.Serialization;

namespace Octopus.Mqtt.Benchmarks;

/// <summary>Source-generated metadata of <see cref="DeviceStatus"/>, camelCase (as <c>JsonSerializerOptions.Web</c>).</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(DeviceStatus))]
public sealed partial class BenchmarkJsonContext : JsonSerializerContext;
