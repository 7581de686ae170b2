using System.Text.Json.Serialization;

namespace Octopus.Mqtt.Samples.DummyFan;

/// <summary>Source-generated JSON for the fan's status: camelCase names, the gear as its spec name.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(FanStatus))]
internal sealed partial class FanJsonContext : JsonSerializerContext;
