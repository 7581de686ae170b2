using System.Diagnostics;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Octopus.Mqtt.IntegrationTests.Brokers;
using Octopus.Mqtt.IntegrationTests.Lifecycle;

namespace Octopus.Mqtt.IntegrationTests.Telemetry;

public sealed class MetricsAndTracingTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task AddOctopusMqtt_HostMeterFactory_ReportsTheClientsMetrics()
    {
        await using var broker = await InProcessBroker.StartAsync();
        var services = new ServiceCollection();
        services.AddMetrics();
        services.AddOctopusMqtt();
        await using var provider = services.BuildServiceProvider();
        var meters = provider.GetRequiredService<IMeterFactory>();
        using var sent = new MetricCollector<long>(meters, OctopusMqttTelemetry.MeterName, "messaging.client.sent.messages");
        using var duration = new MetricCollector<double>(meters, OctopusMqttTelemetry.MeterName, "messaging.client.operation.duration");
        using var connections = new MetricCollector<long>(meters, OctopusMqttTelemetry.MeterName, "octopus.mqtt.client.connections");
        using var reconnects = new MetricCollector<long>(meters, OctopusMqttTelemetry.MeterName, "octopus.mqtt.client.reconnects");
        using var queued = new MetricCollector<long>(meters, OctopusMqttTelemetry.MeterName, "octopus.mqtt.client.queued.messages");
        var links = provider.GetRequiredService<IMqttDeviceLinks>();
        var client = (await links.ConfigureAsync(DeviceLinkOptions.Fan, DeviceLinkOptions.Create(broker.Server), null, Token))!;

        await client.PublishAsync("on", Token);

        sent.LastMeasurement!.Value.Should().Be(1);
        sent.LastMeasurement.Tags["messaging.destination.name"].Should().Be("cattle.io/octopus/:namespace/:name");
        duration.LastMeasurement!.Value.Should().BeGreaterThan(0);
        connections.RecordObservableInstruments();
        connections.LastMeasurement!.Value.Should().Be(1);

        await broker.StopAsync();
        await reconnects.WaitForMeasurementsAsync(1, TestTimeouts.Arrival);
        await client.PublishAsync("offline", Token);
        connections.RecordObservableInstruments();
        connections.LastMeasurement!.Value.Should().Be(0);
        queued.RecordObservableInstruments();
        queued.LastMeasurement!.Value.Should().Be(1);
    }

    [Fact]
    public async Task PublishAsync_ListenerOnTheActivitySource_GetsAProducerSpanPerPublish()
    {
        await using var broker = await InProcessBroker.StartAsync();
        const string Template = "traced/:namespace/:name";
        var spans = new List<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == OctopusMqttTelemetry.ActivitySourceName,
            Sample = (ref ActivityCreationOptions<ActivityContext> options) =>
                options.Name == "publish " + Template ? ActivitySamplingResult.AllDataAndRecorded : ActivitySamplingResult.None,
            ActivityStopped = activity =>
            {
                lock (spans)
                {
                    spans.Add(activity);
                }
            },
        };
        ActivitySource.AddActivityListener(listener);
        await using var client = new MqttDeviceClientFactory().Create(DeviceLinkOptions.Fan, DeviceLinkOptions.Create(broker.Server, Template));
        await client.ConnectAsync(Token);

        await client.PublishAsync("on", Token);
        await client.PublishAsync("off", Token);

        spans.Should().HaveCount(2).And.OnlyContain(s => s.Kind == ActivityKind.Producer && s.DisplayName == "publish " + Template);
        spans.Select(s => s.GetTagItem("octopus.mqtt.publish.status")).Should().Equal("delivered", "delivered");
        spans.Should().OnlyContain(s => s.GetTagItem("messaging.destination.template") as string == Template);
        spans.SelectMany(s => s.TagObjects).Select(t => t.Value?.ToString()).Should().NotContain(v => v!.Contains("default/fan"), "the rendered topic is not a tag");
    }
}
