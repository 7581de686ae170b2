using System.Text.Json;
using static Octopus.Mqtt.Tests.Testing.FakeSetup;

namespace Octopus.Mqtt.Tests.Testing;

public sealed partial class FakeMqttDeviceClientTests
{
    private static readonly Dictionary<string, string> GearPath = new() { ["path"] = "gear" };

    [Fact]
    public async Task PublishAsync_Connected_DeliveredWithTheMessageDefaults()
    {
        var client = await ConnectAsync();

        var result = await client.PublishAsync(new FanStatus("fast", 200), Ct);

        result.Should().BeSameAs(MqttPublishResult.Delivered);
        var message = _broker.Published.LatestRecord;
        message.Topic.Should().Be(FanTopic);
        message.PayloadText.Should().Be("""{"gear":"fast","rotatingSpeed":200}""");
        message.Qos.Should().Be(MqttQos.AtLeastOnce);
        message.Retained.Should().BeTrue();
        message.ClientId.Should().Be(FanClientId);
        message.Timestamp.Should().Be(_time.GetUtcNow());
        client.Published.GetSnapshot().Should().Equal(message);
    }

    [Fact]
    public async Task PublishAsync_String_IsSentAsAJsonString()
    {
        var client = await ConnectAsync();

        await client.PublishAsync("tested", Ct);

        _broker.Published.LatestRecord.PayloadText.Should().Be("\"tested\"");
    }

    [Fact]
    public async Task PublishAsync_Bytes_AreSentAsTheyAre()
    {
        var client = await ConnectAsync();

        await client.PublishAsync(Bytes("raw 1"), Ct);
        await client.PublishAsync(new ArraySegment<byte>(Bytes("xraw 2"), 1, 5), Ct);
        await client.PublishAsync((ReadOnlyMemory<byte>)Bytes("raw 3"), Ct);
        await client.PublishAsync(Bytes("raw 4").AsMemory(), Ct);
        await client.PublishAsync((byte[]?)null, Ct);

        _broker.Published.GetSnapshot().Select(m => m.PayloadText).Should().Equal("raw 1", "raw 2", "raw 3", "raw 4", string.Empty);
    }

    [Fact]
    public async Task PublishAsync_TypeInfo_UsesTheSourceGeneratedContract()
    {
        var client = await ConnectAsync();

        await client.PublishAsync(new FanStatus("slow", 0), FakeJsonContext.Default.FanStatus, Ct);

        _broker.Published.LatestRecord.PayloadText.Should().Be("""{"gear":"slow","rotatingSpeed":0}""");
    }

    [Fact]
    public async Task PublishAsync_JsonSerializerOptions_AreThoseOfTheClientOptions()
    {
        var client = await ConnectAsync(clientOptions: new MqttDeviceClientOptions { JsonSerializerOptions = new JsonSerializerOptions { WriteIndented = true, IndentSize = 1 } });

        await client.PublishAsync(new FanStatus("middle", 100), Ct);

        _broker.Published.LatestRecord.PayloadText.Should().Be("{\n \"Gear\": \"middle\",\n \"RotatingSpeed\": 100\n}");
    }

    [Fact]
    public async Task PublishAsync_PerCallOptions_OverrideTopicQosAndRetain()
    {
        var client = await ConnectAsync(o => o.Message.Operator = new MqttTopicOperator { Write = "set" }, topic: "cattle.io/octopus/:operator/device/:namespace/:name/:path");

        await client.PublishAsync(Bytes("x"), new MqttPublishOptions { RenderMap = GearPath, Qos = MqttQos.ExactlyOnce, Retained = false }, Ct);
        await client.PublishAsync(Bytes("y"), new MqttPublishOptions { Qos = MqttQos.AtMostOnce }, Ct);

        _broker.Published.GetSnapshot().Select(m => (m.Topic, m.Qos, m.Retained)).Should().Equal(
            ("cattle.io/octopus/set/device/default/fan/gear", MqttQos.ExactlyOnce, false),
            ("cattle.io/octopus/set/device/default/fan", MqttQos.AtMostOnce, true));
    }

    [Fact]
    public async Task PublishAsync_BadQos_Throws()
    {
        var client = await ConnectAsync();

        var publish = () => client.PublishAsync(Bytes("x"), new MqttPublishOptions { Qos = (MqttQos)7 }, Ct).AsTask();

        await publish.Should().ThrowAsync<ArgumentException>().WithMessage("The QoS 7 is not 0, 1 or 2. (Parameter 'options')");
    }

    [Fact]
    public async Task PublishAsync_RenderMapInjectsAWildcard_Throws()
    {
        var client = await ConnectAsync(topic: "devices/:name/:path");

        var publish = () => client.PublishAsync(Bytes("x"), new MqttPublishOptions { RenderMap = new Dictionary<string, string> { ["path"] = "a/#" } }, Ct).AsTask();

        await publish.Should().ThrowAsync<MqttTopicException>()
            .WithMessage("The value \"a/#\" of :path would put the wildcard \"#\" into the topic; a value cannot contain \"+\", \"#\" or U+0000.");
        _broker.Published.Count.Should().Be(0);
    }

    [Fact]
    public async Task PublishAsync_SubscribeOnlyTemplate_ThrowsWhenPublishing()
    {
        var client = await ConnectAsync(topic: "devices/:name/+/set");

        var publish = () => client.PublishAsync(Bytes("x"), Ct).AsTask();

        await publish.Should().ThrowAsync<MqttTopicException>()
            .WithMessage("The topic template \"devices/:name/+/set\" has the wildcard level \"+\"; a publish topic cannot contain wildcards.");
    }

    [Fact]
    public async Task PublishAsync_CancelledToken_Throws()
    {
        var client = await ConnectAsync();

        var publish = () => client.PublishAsync(Bytes("x"), new CancellationToken(canceled: true)).AsTask();

        await publish.Should().ThrowAsync<OperationCanceledException>();
        _broker.Published.Count.Should().Be(0);
    }

    [Fact]
    public async Task PublishAsync_BeforeConnect_QueuedThenDeliveredInOrderOnConnect()
    {
        var client = Create();

        (await client.PublishAsync(Bytes("1"), Ct)).Should().BeSameAs(MqttPublishResult.Queued);
        (await client.PublishAsync(Bytes("2"), Ct)).Should().BeSameAs(MqttPublishResult.Queued);
        client.QueuedCount.Should().Be(2);
        _broker.Published.Count.Should().Be(0);
        await client.ConnectAsync(Ct);

        client.QueuedCount.Should().Be(0);
        _broker.Published.GetSnapshot().Select(m => m.PayloadText).Should().Equal("1", "2");
    }

    [Fact]
    public async Task PublishAsync_QueueFullDropOldest_TheOldestIsDropped()
    {
        var client = await ConnectAsync(o =>
        {
            o.Client.MessageChannelDepth = 2;
            o.Client.WaitTimeout = GoDuration.FromSeconds(30);
        });
        client.SimulateDisconnect();

        var first = client.PublishAsync(Bytes("1"), Ct).AsTask();
        var second = client.PublishAsync(Bytes("2"), Ct).AsTask();
        var third = client.PublishAsync(Bytes("3"), Ct).AsTask();

        (await first).Should().BeSameAs(MqttPublishResult.Dropped(MqttDropReason.QueueOverflow));
        client.QueuedCount.Should().Be(2);
        await client.SimulateReconnectAsync();
        (await second).Should().BeSameAs(MqttPublishResult.Delivered);
        (await third).Should().BeSameAs(MqttPublishResult.Delivered);
        _broker.Published.GetSnapshot().Select(m => m.PayloadText).Should().Equal("2", "3");
    }

    [Fact]
    public async Task PublishAsync_QueueFullDropNewest_TheNewOneIsDropped()
    {
        var client = await ConnectAsync(o => o.Client.MessageChannelDepth = 2, new MqttDeviceClientOptions { QueueOverflowPolicy = MqttQueueOverflowPolicy.DropNewest });
        client.SimulateDisconnect();

        (await client.PublishAsync(Bytes("1"), Ct)).Should().BeSameAs(MqttPublishResult.Queued);
        (await client.PublishAsync(Bytes("2"), Ct)).Should().BeSameAs(MqttPublishResult.Queued);
        (await client.PublishAsync(Bytes("3"), Ct)).Should().BeSameAs(MqttPublishResult.Dropped(MqttDropReason.QueueOverflow));
        await client.SimulateReconnectAsync();

        _broker.Published.GetSnapshot().Select(m => m.PayloadText).Should().Equal("1", "2");
    }

    [Fact]
    public async Task PublishAsync_QueueFullRefuse_Throws()
    {
        var client = await ConnectAsync(o => o.Client.MessageChannelDepth = 1, new MqttDeviceClientOptions { QueueOverflowPolicy = MqttQueueOverflowPolicy.Refuse });
        client.SimulateDisconnect();
        await client.PublishAsync(Bytes("1"), Ct);

        var publish = () => client.PublishAsync(Bytes("2"), Ct).AsTask();

        await publish.Should().ThrowAsync<MqttDeviceClientException>()
            .WithMessage("The message queue is full: 1 message(s) are waiting to be sent (client.messageChannelDepth); the publish was refused.");
        client.QueuedCount.Should().Be(1);
    }

    [Fact]
    public async Task PublishAsync_QueueFullWait_WaitsForRoomThenDelivers()
    {
        var client = await ConnectAsync(o => o.Client.MessageChannelDepth = 1, new MqttDeviceClientOptions { QueueOverflowPolicy = MqttQueueOverflowPolicy.Wait });
        client.SimulateDisconnect();
        await client.PublishAsync(Bytes("1"), Ct);

        var waiting = client.PublishAsync(Bytes("2"), Ct).AsTask();
        waiting.IsCompleted.Should().BeFalse();
        await client.SimulateReconnectAsync();

        (await waiting).Should().BeSameAs(MqttPublishResult.Delivered);
        _broker.Published.GetSnapshot().Select(m => m.PayloadText).Should().Equal("1", "2");
    }

    [Fact]
    public async Task PublishAsync_QueueFullWaitWithWaitTimeout_DroppedWhenTheTimeIsUp()
    {
        var client = await ConnectAsync(
            o =>
            {
                o.Client.MessageChannelDepth = 1;
                o.Client.WaitTimeout = GoDuration.FromSeconds(5);
            },
            new MqttDeviceClientOptions { QueueOverflowPolicy = MqttQueueOverflowPolicy.Wait });
        client.SimulateDisconnect();
        _ = client.PublishAsync(Bytes("1"), Ct).AsTask();

        var waiting = client.PublishAsync(Bytes("2"), Ct).AsTask();
        _time.Advance(TimeSpan.FromSeconds(5));

        (await waiting).Should().BeSameAs(MqttPublishResult.Dropped(MqttDropReason.QueueOverflow));
        client.QueuedCount.Should().Be(1);
    }

    [Fact]
    public async Task PublishAsync_QueueFullWaitCancelled_Throws()
    {
        var client = await ConnectAsync(o => o.Client.MessageChannelDepth = 1, new MqttDeviceClientOptions { QueueOverflowPolicy = MqttQueueOverflowPolicy.Wait });
        client.SimulateDisconnect();
        await client.PublishAsync(Bytes("1"), Ct);
        using var cancel = new CancellationTokenSource();

        var waiting = client.PublishAsync(Bytes("2"), cancel.Token).AsTask();
        await cancel.CancelAsync();

        await waiting.Awaiting(w => w).Should().ThrowAsync<OperationCanceledException>();
        await client.SimulateReconnectAsync();
        _broker.Published.GetSnapshot().Select(m => m.PayloadText).Should().Equal("1");
    }

    [Fact]
    public async Task PublishAsync_OfflineWithWaitTimeout_DeliveredWhenReconnectedInTime()
    {
        var client = await ConnectAsync(o => o.Client.WaitTimeout = GoDuration.FromSeconds(10));
        client.SimulateDisconnect();

        var waiting = client.PublishAsync(Bytes("1"), Ct).AsTask();
        _time.Advance(TimeSpan.FromSeconds(9));
        waiting.IsCompleted.Should().BeFalse();
        await client.SimulateReconnectAsync();

        (await waiting).Should().BeSameAs(MqttPublishResult.Delivered);
    }

    [Fact]
    public async Task PublishAsync_OfflineWithWaitTimeout_QueuedWhenTheTimeIsUp()
    {
        var client = await ConnectAsync(o => o.Client.WaitTimeout = GoDuration.FromSeconds(10));
        client.SimulateDisconnect();

        var waiting = client.PublishAsync(Bytes("1"), Ct).AsTask();
        _time.Advance(TimeSpan.FromSeconds(10));

        (await waiting).Should().BeSameAs(MqttPublishResult.Queued);
        await client.SimulateReconnectAsync();
        _broker.Published.GetSnapshot().Select(m => m.PayloadText).Should().Equal("1");
    }

    [Fact]
    public async Task PublishAsync_OfflineWithWaitTimeoutCancelled_Queued()
    {
        var client = await ConnectAsync(o => o.Client.WaitTimeout = GoDuration.FromSeconds(10));
        client.SimulateDisconnect();
        using var cancel = new CancellationTokenSource();

        var waiting = client.PublishAsync(Bytes("1"), cancel.Token).AsTask();
        await cancel.CancelAsync();

        (await waiting).Should().BeSameAs(MqttPublishResult.Queued);
        client.QueuedCount.Should().Be(1);
    }

    [Fact]
    public async Task FailNextPublish_Default_DroppedAsRefusedAndNotRecorded()
    {
        var client = await ConnectAsync();
        client.FailNextPublish();

        var refused = await client.PublishAsync(Bytes("1"), Ct);
        var next = await client.PublishAsync(Bytes("2"), Ct);

        refused.Status.Should().Be(MqttPublishStatus.Dropped);
        refused.DropReason.Should().Be(MqttDropReason.RefusedByBroker);
        refused.ReasonCode.Should().Be(135);
        next.Should().BeSameAs(MqttPublishResult.Delivered);
        _broker.Published.GetSnapshot().Select(m => m.PayloadText).Should().Equal("2");
    }

    [Fact]
    public async Task FailNextPublish_ExceptionAndResult_UsedInTheOrderArmed()
    {
        var client = await ConnectAsync();
        client.FailNextPublish(new MqttDeviceClientException("queue full"));
        client.FailNextPublish(MqttPublishResult.Dropped(MqttDropReason.QueueOverflow));

        var first = () => client.PublishAsync(Bytes("1"), Ct).AsTask();
        await first.Should().ThrowAsync<MqttDeviceClientException>().WithMessage("queue full");
        (await client.PublishAsync(Bytes("2"), Ct)).Should().BeSameAs(MqttPublishResult.Dropped(MqttDropReason.QueueOverflow));

        _broker.Published.Count.Should().Be(0);
    }

    [Fact]
    public async Task PublishAsync_Disposed_Throws()
    {
        var client = await ConnectAsync();
        await client.DisposeAsync();

        var publish = () => client.PublishAsync(Bytes("1"), Ct).AsTask();

        await publish.Should().ThrowAsync<ObjectDisposedException>();
    }

    [Fact]
    public async Task Published_TwoClients_EachRecordsItsOwn()
    {
        var fan = await ConnectAsync();
        var lamp = Create(device: Lamp);
        await lamp.ConnectAsync(Ct);

        await fan.PublishAsync(Bytes("fan"), Ct);
        await lamp.PublishAsync(Bytes("lamp"), Ct);

        fan.Published.GetSnapshot().Select(m => m.PayloadText).Should().Equal("fan");
        lamp.Published.GetSnapshot().Select(m => m.PayloadText).Should().Equal("lamp");
        _broker.Published.GetSnapshot().Select(m => m.Topic).Should().Equal(FanTopic, "cattle.io/octopus/default/device/lamp");
    }
}
