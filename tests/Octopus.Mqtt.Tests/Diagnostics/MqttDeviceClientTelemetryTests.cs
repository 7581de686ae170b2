using System.Diagnostics;
using Octopus.Mqtt.Tests.Connection;

namespace Octopus.Mqtt.Tests.Diagnostics;

public sealed class MqttDeviceClientTelemetryTests : IAsyncDisposable
{
    private const string Template = "telemetry/:namespace/:name";

    private readonly TelemetryHarness _harness = new(Template);

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    public ValueTask DisposeAsync() => _harness.DisposeAsync();

    [Fact]
    public async Task PublishAsync_Delivered_CountsASentMessageAndItsDurationUnderTheMessagingConventions()
    {
        using var sent = _harness.Collect<long>("messaging.client.sent.messages");
        using var duration = _harness.Collect<double>("messaging.client.operation.duration");
        var client = await _harness.ConnectedAsync();

        await client.PublishAsync("on", null, Token);

        var measurement = sent.GetMeasurementSnapshot().Should().ContainSingle().Subject;
        measurement.Value.Should().Be(1);
        var conventions = new Dictionary<string, object?>
        {
            ["messaging.system"] = "mqtt",
            ["messaging.destination.name"] = Template,
            ["messaging.operation.name"] = "publish",
            ["messaging.operation.type"] = "send",
        };
        measurement.Tags.Should().BeEquivalentTo(conventions, "the destination is the topic template, never the rendered topic");
        var timed = duration.GetMeasurementSnapshot().Should().ContainSingle().Subject;
        timed.Value.Should().Be(0, "the fake clock did not move");
        timed.Tags.Should().BeEquivalentTo(conventions);
    }

    [Fact]
    public async Task PublishAsync_QueueOverflow_CountsTheDropByErrorTypeAndNoSend()
    {
        using var dropped = _harness.Collect<long>("octopus.mqtt.client.dropped.messages");
        using var sent = _harness.Collect<long>("messaging.client.sent.messages");
        using var duration = _harness.Collect<double>("messaging.client.operation.duration");
        _harness.Client.MessageChannelDepth = 1;
        var client = _harness.Create();

        await client.PublishAsync("first", null, Token);
        await client.PublishAsync("second", null, Token);

        var measurement = dropped.GetMeasurementSnapshot().Should().ContainSingle().Subject;
        measurement.Tags["error.type"].Should().Be("queue_overflow");
        measurement.Tags["messaging.destination.name"].Should().Be(Template);
        sent.GetMeasurementSnapshot().Should().BeEmpty("the dropped message was never sent");
        duration.GetMeasurementSnapshot().Should().ContainSingle().Which.Tags["error.type"].Should().Be("queue_overflow");
    }

    [Fact]
    public async Task QueuedGauge_MessagesWaitingOffline_AreCountedUntilSent()
    {
        using var queued = _harness.Collect<long>("octopus.mqtt.client.queued.messages");
        var client = _harness.Create();
        await client.PublishAsync("first", null, Token);
        await client.PublishAsync("second", null, Token);

        queued.RecordObservableInstruments();
        queued.LastMeasurement!.Value.Should().Be(2);

        await client.ConnectAsync(Token);
        await Eventually.TrueAsync(() => _harness.Broker.Published.Count == 2, "the queue is sent");
        queued.RecordObservableInstruments();
        queued.LastMeasurement!.Value.Should().Be(0);
    }

    [Fact]
    public async Task ConnectionLost_CountsAReconnectAndTheConnectionsGaugeFollows()
    {
        using var connections = _harness.Collect<long>("octopus.mqtt.client.connections");
        using var reconnects = _harness.Collect<long>("octopus.mqtt.client.reconnects");
        var client = await _harness.ConnectedAsync();
        connections.RecordObservableInstruments();
        connections.LastMeasurement!.Value.Should().Be(1);

        await _harness.Broker.Current.DropAsync();
        await Eventually.TrueAsync(() => client.State == MqttConnectionState.Reconnecting, "the loss is noticed");

        await Eventually.TrueAsync(() => reconnects.GetMeasurementSnapshot().Count == 1, "the reconnect is scheduled");
        connections.RecordObservableInstruments();
        connections.LastMeasurement!.Value.Should().Be(0);
    }

    [Fact]
    public async Task Connected_CountsTheConnectionTaggedWithTheServer()
    {
        using var connects = _harness.Collect<long>("octopus.mqtt.client.connects");

        await _harness.ConnectedAsync();

        var measurement = connects.GetMeasurementSnapshot().Should().ContainSingle().Subject;
        measurement.Tags["server.address"].Should().Be("broker");
        measurement.Tags["server.port"].Should().Be(1883);
        measurement.Tags["messaging.destination.name"].Should().Be(_harness.Template);
    }

    [Fact]
    public async Task SessionTakenOver_CountsATakeover()
    {
        using var takeovers = _harness.Collect<long>("octopus.mqtt.client.takeovers");
        _harness.Client.ProtocolVersion = 5;
        var client = await _harness.ConnectedAsync();

        _harness.Broker.Current.Write(new MQTTnet.Packets.MqttDisconnectPacket { ReasonCode = MQTTnet.Protocol.MqttDisconnectReasonCode.SessionTakenOver });

        await Eventually.TrueAsync(() => takeovers.GetMeasurementSnapshot().Count == 1, "the takeover is counted");
        takeovers.LastMeasurement!.Tags["error.type"].Should().Be("session_taken_over");
        client.TakeoverCount.Should().Be(1);
    }

    [Fact]
    public async Task WriteTimeout_CountsAFailedSendAsTimeout()
    {
        using var failed = _harness.Collect<long>("messaging.client.sent.messages");
        _harness.Client.WriteTimeout = GoDuration.FromSeconds(5);
        var client = await _harness.ConnectedAsync();
        _harness.Broker.HoldPublishes = true;

        var publish = client.PublishAsync("held", null, Token).AsTask();
        await Eventually.TrueAsync(() => _harness.Broker.Attempts.Count == 1, "the message is sent");
        await Eventually.TrueAsync(() => _harness.Time.HasTimerDueIn(TimeSpan.FromSeconds(5)), "the write timeout is watched (armed once the write ended)");
        _harness.Time.Advance(TimeSpan.FromSeconds(5));

        await Eventually.TrueAsync(() => failed.GetMeasurementSnapshot().Count == 1, "the send times out");
        failed.LastMeasurement!.Tags["error.type"].Should().Be("timeout");
        failed.LastMeasurement.Tags["messaging.operation.name"].Should().Be("publish");
        _harness.Broker.HoldPublishes = false;
        _harness.Broker.ReleasePublishes();
        (await publish).Status.Should().Be(MqttPublishStatus.Queued);
    }

    [Fact]
    public async Task PublishAsync_SomeoneListens_TracesAProducerSpanUntilTheOutcome()
    {
        var spans = new List<Activity>();
        using var listener = Listen(spans, ActivitySamplingResult.AllDataAndRecorded);
        var client = await _harness.ConnectedAsync();
        using var caller = new Activity("caller").Start();

        await client.PublishAsync("on", null, Token);

        Activity.Current.Should().BeSameAs(caller, "the publish span does not stay current");
        var span = spans.Should().ContainSingle().Subject;
        span.DisplayName.Should().Be("publish " + Template);
        span.Kind.Should().Be(ActivityKind.Producer);
        span.ParentId.Should().Be(caller.Id);
        span.IsStopped.Should().BeTrue();
        span.TagObjects.Should().BeEquivalentTo(new Dictionary<string, object?>
        {
            ["messaging.system"] = "mqtt",
            ["messaging.operation.name"] = "publish",
            ["messaging.operation.type"] = "send",
            ["messaging.destination.template"] = Template,
            ["messaging.client.id"] = "octopus-9e8efcb04b7945e7a4c43349562292e3",
            ["messaging.message.body.size"] = 4,
            ["octopus.mqtt.publish.status"] = "delivered",
        });
    }

    [Fact]
    public async Task PublishAsync_Dropped_EndsTheSpanWithAnError()
    {
        var spans = new List<Activity>();
        using var listener = Listen(spans, ActivitySamplingResult.AllDataAndRecorded);
        _harness.Client.MessageChannelDepth = 1;
        var client = _harness.Create();

        await client.PublishAsync("first", null, Token);
        await client.PublishAsync("second", null, Token);

        var span = spans.Should().ContainSingle(s => s.IsStopped).Subject;
        span.Status.Should().Be(ActivityStatusCode.Error);
        span.GetTagItem("error.type").Should().Be("queue_overflow");
        span.GetTagItem("octopus.mqtt.publish.status").Should().Be("dropped");
    }

    [Fact]
    public async Task PublishAsync_ListenerDoesNotSample_CreatesNoSpan()
    {
        var spans = new List<Activity>();
        using var listener = Listen(spans, ActivitySamplingResult.None);
        var client = await _harness.ConnectedAsync();

        await client.PublishAsync("on", null, Token);

        spans.Should().BeEmpty();
    }

    private static ActivityListener Listen(List<Activity> spans, ActivitySamplingResult sampling)
    {
        var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == OctopusMqttTelemetry.ActivitySourceName,
            Sample = (ref ActivityCreationOptions<ActivityContext> options) =>
                options.Name.EndsWith(Template, StringComparison.Ordinal) ? sampling : ActivitySamplingResult.None,
            ActivityStarted = activity =>
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
}
