using System.Collections.Frozen;
using BenchmarkDotNet.Attributes;

namespace Octopus.Mqtt.Benchmarks;

/// <summary>
/// Rendering a bound device's topic, as a device client does on every publish: without render maps (the topic
/// rendered at bind), and with one render map overriding <c>:path</c> and <c>:operator</c>.
/// </summary>
[MemoryDiagnoser]
[MinColumn]
[MedianColumn]
public class TopicRenderingBenchmarks
{
    private const string Template = "cattle.io/:operator/octopus/:namespace/ccc/:name/:path";

    private static readonly DeviceIdentity Device = new("default", "test", "835aea2e-5f80-4d14-88f5-40c4bda41aa3");

    private static readonly MqttMessageSettings Message = new()
    {
        Topic = Template,
        Path = "path-xyz",
        Operator = new MqttTopicOperator { Read = "status", Write = "set" },
    };

    private readonly Dictionary<string, string> _renderMap = new() { ["path"] = "path-abc", ["operator"] = "_set_" };
    private FrozenDictionary<string, string> _frozenRenderMap = FrozenDictionary<string, string>.Empty;
    private MqttDeviceTopic _topic = null!;

    [GlobalSetup]
    public void Setup()
    {
        _topic = MqttTopicTemplate.Parse(Template).Bind(Device, Message);
        _frozenRenderMap = _renderMap.ToFrozenDictionary();
    }

    [Benchmark(Baseline = true)]
    public string PublishWithoutRenderMap() => _topic.RenderForPublish();

    [Benchmark]
    public string PublishWithRenderMap() => _topic.RenderForPublish(_renderMap);

    [Benchmark]
    public string PublishWithFrozenRenderMap() => _topic.RenderForPublish(_frozenRenderMap);

    [Benchmark]
    public string SubscribeWithRenderMap() => _topic.RenderForSubscribe(_renderMap);

    [Benchmark]
    public MqttDeviceTopic ParseAndBind() => MqttTopicTemplate.Parse(Template).Bind(Device, Message);
}
