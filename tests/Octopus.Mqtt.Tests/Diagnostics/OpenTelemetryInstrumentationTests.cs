using System.Diagnostics;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace Octopus.Mqtt.Tests.Diagnostics;

/// <summary>
/// <c>AddOctopusMqttInstrumentation()</c> of Octopus.Mqtt.OpenTelemetry on a real OpenTelemetry SDK: a publish of an
/// engine client reaches the in-memory exporter. Each test samples and reads only its own topic template, so the other
/// tests' publishes, which run at the same time, neither count here nor change there.
/// </summary>
public sealed class OpenTelemetryInstrumentationTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task MeterProviderBuilder_AddOctopusMqttInstrumentation_ExportsTheSentMessagesUnderTheConventions()
    {
        const string Template = "otel-metrics/:namespace/:name";
        var exported = new List<Metric>();
        using (var meters = Sdk.CreateMeterProviderBuilder().AddOctopusMqttInstrumentation().AddInMemoryExporter(exported).Build())
        {
            await PublishOnceAsync(Template);
            meters.ForceFlush().Should().BeTrue();
        }

        var sent = PointsOf(exported, "messaging.client.sent.messages", Template).Should().ContainSingle().Subject;
        sent.GetSumLong().Should().Be(1);
        TagsOf(sent).Should().Contain(new Dictionary<string, object?>
        {
            ["messaging.system"] = "mqtt",
            ["messaging.operation.name"] = "publish",
        });
        PointsOf(exported, "messaging.client.operation.duration", Template).Should().ContainSingle()
            .Which.GetHistogramCount().Should().Be(1);
    }

    [Fact]
    public async Task MeterProviderBuilder_WithoutTheInstrumentation_ExportsNothingOfOctopusMqtt()
    {
        const string Template = "otel-no-metrics/:namespace/:name";
        var exported = new List<Metric>();
        using (var meters = Sdk.CreateMeterProviderBuilder().AddInMemoryExporter(exported).Build())
        {
            await PublishOnceAsync(Template);
            meters.ForceFlush();
        }

        exported.Should().NotContain(m => m.MeterName == OctopusMqttTelemetry.MeterName);
    }

    [Fact]
    public async Task TracerProviderBuilder_AddOctopusMqttInstrumentation_ExportsAProducerSpanPerPublish()
    {
        const string Template = "otel-traces/:namespace/:name";
        var exported = new List<Activity>();
        using (var tracer = Sdk.CreateTracerProviderBuilder()
            .AddOctopusMqttInstrumentation()
            .SetSampler(new NameSampler("publish " + Template))
            .AddInMemoryExporter(exported)
            .Build())
        {
            await PublishOnceAsync(Template);
            tracer.ForceFlush().Should().BeTrue();
        }

        var span = exported.Should().ContainSingle().Subject;
        span.DisplayName.Should().Be("publish " + Template);
        span.Kind.Should().Be(ActivityKind.Producer);
        span.GetTagItem("octopus.mqtt.publish.status").Should().Be("delivered");
    }

    [Fact]
    public void AddOctopusMqttInstrumentation_NullBuilder_Throws()
    {
        var meters = () => OctopusMqttMeterProviderBuilderExtensions.AddOctopusMqttInstrumentation(null!);
        var traces = () => OctopusMqttTracerProviderBuilderExtensions.AddOctopusMqttInstrumentation(null!);

        meters.Should().Throw<ArgumentNullException>().WithParameterName("builder");
        traces.Should().Throw<ArgumentNullException>().WithParameterName("builder");
    }

    private static async Task PublishOnceAsync(string template)
    {
        await using var harness = new TelemetryHarness(template);
        var client = await harness.ConnectedAsync();
        (await client.PublishAsync("on", null, Token)).Status.Should().Be(MqttPublishStatus.Delivered);
    }

    private static List<MetricPoint> PointsOf(List<Metric> exported, string instrument, string template)
    {
        var points = new List<MetricPoint>();
        foreach (var metric in exported.Where(m => m.MeterName == OctopusMqttTelemetry.MeterName && m.Name == instrument))
        {
            foreach (ref readonly var point in metric.GetMetricPoints())
            {
                if (TagsOf(point).TryGetValue("messaging.destination.name", out var destination) && Equals(destination, template))
                {
                    points.Add(point);
                }
            }
        }

        return points;
    }

    private static Dictionary<string, object?> TagsOf(MetricPoint point)
    {
        var tags = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var tag in point.Tags)
        {
            tags[tag.Key] = tag.Value;
        }

        return tags;
    }

    /// <summary>Samples the spans of one name only (root spans of other names are not created for this provider).</summary>
    private sealed class NameSampler(string name) : Sampler
    {
        public override SamplingResult ShouldSample(in SamplingParameters samplingParameters) =>
            new(samplingParameters.Name == name ? SamplingDecision.RecordAndSample : SamplingDecision.Drop);
    }
}
