using System.Diagnostics;
using Octopus.Mqtt.IntegrationTests.Brokers;
using Octopus.Mqtt.IntegrationTests.Publishing;
using Octopus.Mqtt.Tests.Shared;

namespace Octopus.Mqtt.IntegrationTests.Telemetry;

/// <summary>W3C trace context in MQTT 5 user properties: a publisher's producer span and a subscriber's consumer span share one trace across the broker.</summary>
public sealed class TraceAcrossBrokerTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private static ActivityListener Listen(string prefix, List<Activity> spans)
    {
        var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == OctopusMqttTelemetry.ActivitySourceName,
            Sample = (ref ActivityCreationOptions<ActivityContext> options) =>
                options.Name.Contains(prefix, StringComparison.Ordinal) ? ActivitySamplingResult.AllDataAndRecorded : ActivitySamplingResult.None,
            ActivityStopped = activity =>
            {
                lock (spans)
                {
                    spans.Add(activity);
                }
            },
        };
        ActivitySource.AddActivityListener(listener);
        return listener;
    }

    private static async Task<(IMqttDeviceClient Publisher, ConditionRecorder<MqttReceivedMessage> Received)> ConnectPairAsync(
        DeviceClientBuilder publishers, DeviceClientBuilder subscribers, int protocolVersion)
    {
        publishers.Options.Client.ProtocolVersion = protocolVersion;
        subscribers.Options.Client.ProtocolVersion = protocolVersion;
        subscribers.Device = new DeviceIdentity("default", "panel", Guid.NewGuid().ToString());

        // The subscriber's own topic is the publisher's: its template names the publisher's device.
        subscribers.Options.Message.Topic = publishers.TopicPrefix + "/" + publishers.Device.Name + "/:path";
        var subscriber = await subscribers.ConnectAsync();
        var received = new ConditionRecorder<MqttReceivedMessage>();
        await subscriber.SubscribeAsync(
            (message, _) =>
            {
                received.Add(ReceivedMessages.Keep(message));
                return ValueTask.CompletedTask;
            },
            Token);
        return (await publishers.ConnectAsync(), received);
    }

    [Fact]
    public async Task PublishAsync_Mqtt5_TheConsumerSpanContinuesTheProducersTrace()
    {
        await using var broker = await InProcessBroker.StartAsync();
        await using var publishers = new DeviceClientBuilder(broker.Server);
        await using var subscribers = new DeviceClientBuilder(broker.Server);
        var spans = new List<Activity>();
        using var listener = Listen(publishers.TopicPrefix, spans);
        var (publisher, received) = await ConnectPairAsync(publishers, subscribers, 5);

        (await publisher.PublishAsync("on", Token)).Should().BeSameAs(MqttPublishResult.Delivered);

        var message = (await received.WaitForCountAsync(1)).Single();
        await Poll.UntilAsync(() => { lock (spans) { return spans.Any(s => s.Kind == ActivityKind.Consumer); } }, "the consumer span ends");
        Activity producer, consumer;
        lock (spans)
        {
            producer = spans.Single(s => s.Kind == ActivityKind.Producer);
            consumer = spans.Single(s => s.Kind == ActivityKind.Consumer);
        }

        message.GetUserProperty("traceparent").Should().Be(producer.Id);
        consumer.TraceId.Should().Be(producer.TraceId);
        consumer.ParentSpanId.Should().Be(producer.SpanId);
        consumer.DisplayName.Should().Be("process " + subscribers.Options.Message.Topic);
        consumer.GetTagItem("messaging.operation.type").Should().Be("process");
    }

    [Fact]
    public async Task PublishAsync_TraceStateOfTheCaller_TravelsInTracestate()
    {
        await using var broker = await InProcessBroker.StartAsync();
        await using var publishers = new DeviceClientBuilder(broker.Server);
        await using var subscribers = new DeviceClientBuilder(broker.Server);
        var spans = new List<Activity>();
        using var listener = Listen(publishers.TopicPrefix, spans);
        var (publisher, received) = await ConnectPairAsync(publishers, subscribers, 5);
        using (var caller = new Activity("caller"))
        {
            caller.SetIdFormat(ActivityIdFormat.W3C);
            caller.TraceStateString = "vendor=1";
            caller.Start();
            await publisher.PublishAsync("on", Token);
        }

        var message = (await received.WaitForCountAsync(1)).Single();
        message.GetUserProperty("tracestate").Should().Be("vendor=1");
    }

    [Fact]
    public async Task PublishAsync_Mqtt311_AddsNoTraceContext()
    {
        await using var broker = await InProcessBroker.StartAsync();
        await using var publishers = new DeviceClientBuilder(broker.Server);
        await using var subscribers = new DeviceClientBuilder(broker.Server);
        var spans = new List<Activity>();
        using var listener = Listen(publishers.TopicPrefix, spans);
        var (publisher, received) = await ConnectPairAsync(publishers, subscribers, 4);

        await publisher.PublishAsync("on", Token);

        var message = (await received.WaitForCountAsync(1)).Single();
        message.UserProperties.Should().BeEmpty();
        await Poll.UntilAsync(() => { lock (spans) { return spans.Any(s => s.Kind == ActivityKind.Consumer); } }, "the consumer span ends");
        lock (spans)
        {
            var consumer = spans.Single(s => s.Kind == ActivityKind.Consumer);
            consumer.TraceId.Should().NotBe(spans.Single(s => s.Kind == ActivityKind.Producer).TraceId, "nothing links them on MQTT 3.1.1");
        }
    }
}
