using System.Text.Json;
using BenchmarkDotNet.Attributes;

namespace Octopus.Mqtt.Benchmarks;

/// <summary>
/// The library's own allocations per publish: the device client publishes to a <see cref="SinkBroker"/>, which
/// allocates nothing per packet, so every byte in the Allocated column is the client's (publish call, queue, sender,
/// write, and for QoS 1 the PUBACK read from the socket and decoded by the library's reader). One awaited publish (order on),
/// and a burst of 64 publishes awaited together (order off, 64 in flight: one write for the burst).
/// </summary>
[MemoryDiagnoser]
[MinColumn]
[MedianColumn]
public class PublishAllocationBenchmarks
{
    private const int Burst = 64;

    private readonly ValueTask<MqttPublishResult>[] _burst = new ValueTask<MqttPublishResult>[Burst];
    private SinkBroker _broker = null!;
    private IMqttDeviceClient _ordered = null!;
    private IMqttDeviceClient _pipelined = null!;
    private byte[] _payload = [];

    [Params(MqttQos.AtMostOnce, MqttQos.AtLeastOnce)]
    public MqttQos Qos { get; set; }

    [GlobalSetup]
    public async Task SetupAsync()
    {
        _broker = SinkBroker.Start();
        _payload = JsonSerializer.SerializeToUtf8Bytes(new DeviceStatus(), BenchmarkJsonContext.Default.DeviceStatus);
        _ordered = await ConnectAsync("fan", order: true);
        _pipelined = await ConnectAsync("fan-2", order: false);
    }

    [GlobalCleanup]
    public async Task CleanupAsync()
    {
        await _ordered.DisposeAsync();
        await _pipelined.DisposeAsync();
        await _broker.DisposeAsync();
    }

    [Benchmark(Description = "one publish, awaited")]
    public ValueTask<MqttPublishResult> Awaited() => _ordered.PublishAsync(_payload.AsMemory(), null, CancellationToken.None);

    [Benchmark(Description = "64 publishes, awaited together", OperationsPerInvoke = Burst)]
    public async Task Pipelined()
    {
        for (var i = 0; i < Burst; i++)
        {
#pragma warning disable CA2012 // Kept to be awaited once each, below.
            _burst[i] = _pipelined.PublishAsync(_payload.AsMemory(), null, CancellationToken.None);
#pragma warning restore CA2012
        }

        // Each awaited once, in order: no Task per publish (AsTask, WhenAll) to blur the library's figure.
        for (var i = 0; i < Burst; i++)
        {
            await _burst[i];
        }
    }

    private async Task<IMqttDeviceClient> ConnectAsync(string name, bool order)
    {
        var options = new MqttOptions
        {
            Client = new MqttClientSettings { Server = _broker.Server, Order = order },
            Message = new MqttMessageSettings { Topic = "octopus/bench/:namespace/:name", Qos = Qos, Retained = false },
        };
        var client = new MqttDeviceClientFactory().Create(new DeviceIdentity("default", name, Guid.NewGuid().ToString()), options);
        await client.ConnectAsync();
        return client;
    }
}
