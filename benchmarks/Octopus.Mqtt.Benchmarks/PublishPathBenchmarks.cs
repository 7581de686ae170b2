using System.Buffers;
using System.Text.Json;
using BenchmarkDotNet.Attributes;
using MQTTnet;
using MQTTnet.Formatter;
using MQTTnet.Protocol;

namespace Octopus.Mqtt.Benchmarks;

/// <summary>
/// One whole publish, awaited until the broker acknowledged it (QoS 1) or MQTTnet wrote it (QoS 0), to an in-process
/// MQTTnet.Server broker: raw MQTTnet's <see cref="IMqttClient.PublishAsync"/> of a message built once (the baseline),
/// raw MQTTnet as an adaptor would use it (serialise, build the message, publish), and the library's device client
/// (order on) publishing the same bytes and the same status object. The broker runs in this process, so its
/// allocations are in every row alike; the library's own allocations are a row's difference from the baseline.
/// </summary>
[MemoryDiagnoser]
[MinColumn]
[MedianColumn]
public class PublishPathBenchmarks
{
    private const string Topic = "octopus/bench/default/fan";

    private readonly DeviceStatus _status = new();
    private InProcessBroker _broker = null!;
    private IMqttClient _raw = null!;
    private IMqttDeviceClient _library = null!;
    private MqttApplicationMessage _message = null!;
    private byte[] _payload = [];

    [Params(MqttQos.AtMostOnce, MqttQos.AtLeastOnce)]
    public MqttQos Qos { get; set; }

    [GlobalSetup]
    public async Task SetupAsync()
    {
        _broker = await InProcessBroker.StartAsync();
        _payload = JsonSerializer.SerializeToUtf8Bytes(_status, BenchmarkJsonContext.Default.DeviceStatus);
        _message = NewMessage(_payload);

        var factory = new MqttClientFactory();
        _raw = factory.CreateMqttClient();
        await _raw.ConnectAsync(factory.CreateClientOptionsBuilder()
            .WithTcpServer("127.0.0.1", _broker.Port)
            .WithClientId("bench-raw")
            .WithProtocolVersion(MqttProtocolVersion.V311)
            .Build());

        var options = new MqttOptions
        {
            Client = new MqttClientSettings { Server = _broker.Server, Order = true },
            Message = new MqttMessageSettings { Topic = "octopus/bench/:namespace/:name", Qos = Qos, Retained = false },
        };
        _library = new MqttDeviceClientFactory().Create(new DeviceIdentity("default", "fan", "0d6ad3b0-6f0e-4a7c-9d3c-5b1f9f0e2a11"), options);
        await _library.ConnectAsync();
    }

    [GlobalCleanup]
    public async Task CleanupAsync()
    {
        await _library.DisposeAsync();
        await _raw.DisconnectAsync();
        _raw.Dispose();
        await _broker.DisposeAsync();
    }

    [Benchmark(Baseline = true, Description = "raw MQTTnet PublishAsync, message built once")]
    public Task<MqttClientPublishResult> RawPrebuilt() => _raw.PublishAsync(_message);

    [Benchmark(Description = "raw MQTTnet: serialise, new message, PublishAsync")]
    public Task<MqttClientPublishResult> RawSerializeEach() =>
        _raw.PublishAsync(NewMessage(JsonSerializer.SerializeToUtf8Bytes(_status, BenchmarkJsonContext.Default.DeviceStatus)));

    [Benchmark(Description = "Octopus.Mqtt PublishAsync(bytes)")]
    public ValueTask<MqttPublishResult> LibraryBytes() => _library.PublishAsync(_payload.AsMemory(), null, CancellationToken.None);

    [Benchmark(Description = "Octopus.Mqtt PublishAsync(status, JsonTypeInfo)")]
    public ValueTask<MqttPublishResult> LibraryJson() => _library.PublishAsync(_status, BenchmarkJsonContext.Default.DeviceStatus, null, CancellationToken.None);

    private MqttApplicationMessage NewMessage(byte[] payload) => new()
    {
        Topic = Topic,
        Payload = new ReadOnlySequence<byte>(payload),
        QualityOfServiceLevel = (MqttQualityOfServiceLevel)Qos,
    };
}
