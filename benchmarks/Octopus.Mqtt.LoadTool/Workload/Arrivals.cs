using System.Text.Json.Serialization;

namespace Octopus.Mqtt.LoadTool.Workload;

/// <summary>What the subscriber saw of one case: messages expected and received (first arrivals), duplicates, and the end-to-end latency percentiles in µs (NaN when none arrived).</summary>
internal sealed record Arrivals(int Expected, int Received, int Duplicates, double P50, double P99)
{
    public int Lost => Expected - Received;
}

/// <summary>Source-generated JSON metadata of <see cref="Arrivals"/>, NaN allowed (its own context, so the status's serialisation stays the generator's fast path).</summary>
[JsonSourceGenerationOptions(NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals)]
[JsonSerializable(typeof(Arrivals))]
internal sealed partial class ArrivalsJsonContext : JsonSerializerContext;
