using System.Text.Json.Serialization;

namespace Octopus.Mqtt.Tests.Testing;

/// <summary>The status the dummy fan publishes.</summary>
public sealed record FanStatus(string Gear, int RotatingSpeed);

/// <summary>Source-generated JSON metadata for the fake's tests.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(FanStatus))]
internal sealed partial class FakeJsonContext : JsonSerializerContext;
