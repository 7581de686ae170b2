using System.Text.Json;
using BenchmarkDotNet.Attributes;

namespace Octopus.Mqtt.Benchmarks;

/// <summary>
/// Encoding a device status into its payload: the library's path (UTF-8 JSON written into a pooled array by a reused
/// per-thread writer, the array returned to the pool once sent) beside plain <see cref="JsonSerializer.SerializeToUtf8Bytes{TValue}(TValue, JsonSerializerOptions?)"/>,
/// which allocates the exact-size array a raw MQTTnet publish would carry.
/// </summary>
[MemoryDiagnoser]
[MinColumn]
[MedianColumn]
public class JsonPayloadBenchmarks
{
    private readonly DeviceStatus _status = new();

    [Benchmark(Baseline = true, Description = "SerializeToUtf8Bytes (source-generated)")]
    public byte[] PlainSourceGenerated() => JsonSerializer.SerializeToUtf8Bytes(_status, BenchmarkJsonContext.Default.DeviceStatus);

    [Benchmark(Description = "JsonPayload (source-generated), pooled")]
    public int LibrarySourceGenerated()
    {
        var payload = JsonPayload.Serialize(_status, BenchmarkJsonContext.Default.DeviceStatus);
        var length = payload.Length;
        payload.Release();
        return length;
    }

    [Benchmark(Description = "SerializeToUtf8Bytes (reflection, Web options)")]
    public byte[] PlainReflection() => JsonSerializer.SerializeToUtf8Bytes(_status, JsonSerializerOptions.Web);

    [Benchmark(Description = "JsonPayload (reflection, Web options), pooled")]
    public int LibraryReflection()
    {
        var payload = JsonPayload.Serialize(_status, (JsonSerializerOptions?)null);
        var length = payload.Length;
        payload.Release();
        return length;
    }
}
