using System.Text;
using MQTTnet;
using MQTTnet.Packets;
using MQTTnet.Protocol;
using Octopus.Mqtt.Tests.Connection;

namespace Octopus.Mqtt.Tests.Publishing;

public sealed partial class MqttDeviceClientTests : IAsyncDisposable
{
    private readonly EngineHarness _harness = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask DisposeAsync()
    {
        await _harness.DisposeAsync();
        _storeDirectory.Dispose();
    }

    private static byte[] Bytes(string text) => Encoding.UTF8.GetBytes(text);

    private string[] PublishedTexts() => _harness.Broker.Published.Select(m => m.Text).ToArray();

    [Fact]
    public async Task PublishAsync_Connected_DeliversJsonWithTheMessageDefaults()
    {
        var client = await _harness.ConnectedAsync();

        var result = await client.PublishAsync("tested", null, Ct);

        result.Should().BeSameAs(MqttPublishResult.Delivered);
        var message = _harness.Broker.Published.Should().ContainSingle().Subject;
        message.Topic.Should().Be("cattle.io/octopus/default/case1");
        message.Text.Should().Be("\"tested\"");
        message.Qos.Should().Be(MqttQualityOfServiceLevel.AtLeastOnce);
        message.Retain.Should().BeTrue();
        message.Dup.Should().BeFalse();
    }

    [Fact]
    public async Task PublishAsync_Bytes_AreSentAsTheyAre()
    {
        var client = await _harness.ConnectedAsync();

        await client.PublishAsync(new byte[] { 1, 2, 3 }, Ct);
        await client.PublishAsync(new ReadOnlyMemory<byte>([4, 5]), Ct);

        _harness.Broker.Published.Select(m => m.Payload).Should().BeEquivalentTo(new[] { new byte[] { 1, 2, 3 }, [4, 5] }, o => o.WithStrictOrdering());
    }

    [Fact]
    public async Task PublishAsync_PerCallOptions_OverrideTheDefaults()
    {
        var client = await _harness.ConnectedAsync();
        var options = new MqttPublishOptions { Qos = MqttQos.ExactlyOnce, Retained = false, RenderMap = new Dictionary<string, string> { ["name"] = "case2" } };

        var result = await client.PublishAsync(Bytes("x"), options, Ct);

        result.Status.Should().Be(MqttPublishStatus.Delivered);
        var message = _harness.Broker.Published.Should().ContainSingle().Subject;
        message.Topic.Should().Be("cattle.io/octopus/default/case2");
        message.Qos.Should().Be(MqttQualityOfServiceLevel.ExactlyOnce);
        message.Retain.Should().BeFalse();
    }

    [Fact]
    public async Task PublishAsync_RenderedTopicWithWildcard_IsRefused()
    {
        var client = await _harness.ConnectedAsync();
        var options = new MqttPublishOptions { RenderMap = new Dictionary<string, string> { ["name"] = "#" } };

        await FluentActions.Awaiting(() => client.PublishAsync(Bytes("x"), options, Ct).AsTask())
            .Should().ThrowAsync<ArgumentException>()
            .WithMessage("The rendered publish topic: \"cattle.io/octopus/default/#\" is not a valid MQTT topic: *");
        _harness.Broker.Attempts.Should().BeEmpty();
    }

    [Fact]
    public async Task PublishAsync_Offline_IsQueuedAndSentInOrderOnConnect()
    {
        var client = _harness.Create();

        var results = new List<MqttPublishResult>();
        for (var i = 0; i < 6; i++)
        {
            results.Add(await client.PublishAsync(Bytes("m" + i), new MqttPublishOptions { Qos = (MqttQos)(i % 3) }, Ct));
        }

        results.Should().AllSatisfy(r => r.Should().BeSameAs(MqttPublishResult.Queued));
        _harness.Broker.Attempts.Should().BeEmpty();
        await client.ConnectAsync(Ct);

        await Eventually.TrueAsync(() => _harness.Broker.Published.Count == 6, "the queued messages are sent");
        PublishedTexts().Should().Equal("m0", "m1", "m2", "m3", "m4", "m5");
        _harness.Broker.Published.Select(m => (int)m.Qos).Should().Equal(0, 1, 2, 0, 1, 2);
    }

    [Fact]
    public async Task PublishAsync_QueueFullDropOldest_DropsTheOldestAndTellsItsCaller()
    {
        _harness.Client.MessageChannelDepth = 3;
        _harness.Client.WaitTimeout = GoDuration.FromMinutes(1);
        var client = _harness.Create();

        var calls = Enumerable.Range(1, 4).Select(i => client.PublishAsync(Bytes("m" + i), null, Ct).AsTask()).ToList();

        (await calls[0]).Should().BeSameAs(MqttPublishResult.Dropped(MqttDropReason.QueueOverflow));
        calls.Skip(1).Should().OnlyContain(c => !c.IsCompleted);
        client.DroppedCount.Should().Be(1);
        var log = _harness.Logger.Collector.GetSnapshot().Should().ContainSingle(r => r.Id.Id == 1100).Subject;
        log.Message.Should().Be($"Dropped message 1 of {EngineHarness.LongClientId} to cattle.io/octopus/default/case1: QueueOverflow.");

        await client.ConnectAsync(Ct);
        (await Task.WhenAll(calls.Skip(1))).Should().OnlyContain(r => r == MqttPublishResult.Delivered);
        PublishedTexts().Should().Equal("m2", "m3", "m4");
    }

    [Fact]
    public async Task PublishAsync_QueueFullDropNewest_DropsTheNewMessage()
    {
        _harness.Client.MessageChannelDepth = 2;
        _harness.Options.QueueOverflowPolicy = MqttQueueOverflowPolicy.DropNewest;
        var client = _harness.Create();

        (await client.PublishAsync(Bytes("m1"), null, Ct)).Should().BeSameAs(MqttPublishResult.Queued);
        (await client.PublishAsync(Bytes("m2"), null, Ct)).Should().BeSameAs(MqttPublishResult.Queued);
        (await client.PublishAsync(Bytes("m3"), null, Ct)).Should().BeSameAs(MqttPublishResult.Dropped(MqttDropReason.QueueOverflow));

        client.DroppedCount.Should().Be(1);
        await client.ConnectAsync(Ct);
        await Eventually.TrueAsync(() => _harness.Broker.Published.Count == 2, "the queued messages are sent");
        PublishedTexts().Should().Equal("m1", "m2");
    }

    [Fact]
    public async Task PublishAsync_QueueFullRefuse_Throws()
    {
        _harness.Client.MessageChannelDepth = 1;
        _harness.Options.QueueOverflowPolicy = MqttQueueOverflowPolicy.Refuse;
        var client = _harness.Create();
        await client.PublishAsync(Bytes("m1"), null, Ct);

        await FluentActions.Awaiting(() => client.PublishAsync(Bytes("m2"), null, Ct).AsTask())
            .Should().ThrowAsync<MqttDeviceClientException>()
            .WithMessage("The message queue is full: 1 message(s) are waiting to be sent (client.messageChannelDepth); the publish was refused.");
        client.QueuedCount.Should().Be(1);
    }

    [Fact]
    public async Task PublishAsync_QueueFullWait_AcceptsWhenRoomIsMade()
    {
        _harness.Client.MessageChannelDepth = 1;
        _harness.Options.QueueOverflowPolicy = MqttQueueOverflowPolicy.Wait;
        var client = _harness.Create();
        await client.PublishAsync(Bytes("m1"), null, Ct);

        var waiting = client.PublishAsync(Bytes("m2"), null, Ct).AsTask();
        waiting.IsCompleted.Should().BeFalse();
        await client.ConnectAsync(Ct);

        (await waiting.WaitAsync(Eventually.DefaultTimeout, Ct)).Status.Should().NotBe(MqttPublishStatus.Dropped);
        await Eventually.TrueAsync(() => _harness.Broker.Published.Count == 2, "both messages are sent");
        PublishedTexts().Should().Equal("m1", "m2");
    }

    [Fact]
    public async Task PublishAsync_QueueFullWait_DropsAfterWaitTimeout()
    {
        _harness.Client.MessageChannelDepth = 1;
        _harness.Client.WaitTimeout = GoDuration.FromSeconds(10);
        _harness.Options.QueueOverflowPolicy = MqttQueueOverflowPolicy.Wait;
        var client = _harness.Create();
        _ = client.PublishAsync(Bytes("m1"), null, Ct).AsTask();

        var waiting = client.PublishAsync(Bytes("m2"), null, Ct).AsTask();
        await Eventually.TrueAsync(() => _harness.Time.HasTimerDueIn(TimeSpan.FromSeconds(10)), "the call waits for room");
        _harness.Time.Advance(TimeSpan.FromSeconds(10));

        (await waiting.WaitAsync(Eventually.DefaultTimeout, Ct)).Should().BeSameAs(MqttPublishResult.Dropped(MqttDropReason.QueueOverflow));
        client.QueuedCount.Should().Be(1);
    }

    [Fact]
    public async Task PublishAsync_QueueFullWait_CancelledCallThrowsAndIsNotQueued()
    {
        _harness.Client.MessageChannelDepth = 1;
        _harness.Options.QueueOverflowPolicy = MqttQueueOverflowPolicy.Wait;
        var client = _harness.Create();
        await client.PublishAsync(Bytes("m1"), null, Ct);
        using var cancel = new CancellationTokenSource();

        var waiting = client.PublishAsync(Bytes("m2"), null, cancel.Token).AsTask();
        await cancel.CancelAsync();

        await FluentActions.Awaiting(() => waiting).Should().ThrowAsync<OperationCanceledException>();
        client.QueuedCount.Should().Be(1);
    }

    [Fact]
    public async Task PublishAsync_OrderTrue_OneMessageInFlightAtATime()
    {
        _harness.Broker.HoldPublishes = true;
        var client = await _harness.ConnectedAsync();

        var calls = Enumerable.Range(1, 3).Select(i => client.PublishAsync(Bytes("m" + i), null, Ct).AsTask()).ToList();
        await Eventually.TrueAsync(() => _harness.Broker.Attempts.Count == 1, "the first message is sent");
        client.QueuedCount.Should().Be(2);

        for (var sent = 1; sent <= 3; sent++)
        {
            var count = sent;
            await Eventually.TrueAsync(() => _harness.Broker.Attempts.Count == count, $"message {count} is sent");
            _harness.Broker.Attempts.Count.Should().Be(count, "the next message waits for the acknowledgement");
            _harness.Broker.Current.AcknowledgePending();
        }

        (await Task.WhenAll(calls)).Should().OnlyContain(r => r == MqttPublishResult.Delivered);
        PublishedTexts().Should().Equal("m1", "m2", "m3");
    }

    [Fact]
    public async Task PublishAsync_OrderFalseBurstQueuedOffline_GoesOutInOneWrite()
    {
        _harness.Client.Order = false;
        var client = _harness.Create();
        var calls = new List<MqttPublishResult>();
        for (var i = 0; i < 6; i++)
        {
            calls.Add(await client.PublishAsync(Bytes("m" + i), new MqttPublishOptions { Qos = (MqttQos)(i % 2) }, Ct));
        }

        await client.ConnectAsync(Ct);

        await Eventually.TrueAsync(() => _harness.Broker.Published.Count == 6, "the queued messages are sent");
        PublishedTexts().Should().Equal("m0", "m1", "m2", "m3", "m4", "m5");
        _harness.Broker.Current.Writes.Should().Contain(6, "the six messages ready at once are handed over together and written once");
    }

    [Fact]
    public async Task PublishAsync_OrderTrueBurstQueuedOffline_GoesOutOneWriteEach()
    {
        _harness.Client.Order = true;
        var client = _harness.Create();
        for (var i = 0; i < 3; i++)
        {
            await client.PublishAsync(Bytes("m" + i), new MqttPublishOptions { Qos = MqttQos.AtLeastOnce }, Ct);
        }

        await client.ConnectAsync(Ct);

        await Eventually.TrueAsync(() => _harness.Broker.Published.Count == 3, "the queued messages are sent");
        _harness.Broker.Current.Writes.Should().OnlyContain(n => n == 1, "with order on a message waits for the one before it");
    }

    [Fact]
    public async Task PublishAsync_OrderFalse_PipelinesMessages()
    {
        _harness.Client.Order = false;
        _harness.Broker.HoldPublishes = true;
        var client = await _harness.ConnectedAsync();

        var calls = Enumerable.Range(1, 5).Select(i => client.PublishAsync(Bytes("m" + i), null, Ct).AsTask()).ToList();

        await Eventually.TrueAsync(() => _harness.Broker.Attempts.Count == 5, "all messages are in flight at once");
        _harness.Broker.ReleasePublishes();
        (await Task.WhenAll(calls)).Should().OnlyContain(r => r == MqttPublishResult.Delivered);
    }

    [Fact]
    public async Task PublishAsync_BadQos_FaultsTheReturnedTaskInsteadOfThrowing()
    {
        var client = await _harness.ConnectedAsync();

        var call = client.PublishAsync(Bytes("x"), new MqttPublishOptions { Qos = (MqttQos)7 }, Ct);

        call.IsFaulted.Should().BeTrue("a publish reports its faults in its task, as an async method does");
        await FluentActions.Awaiting(async () => await call).Should().ThrowAsync<ArgumentException>().WithMessage("The QoS 7 is not 0, 1 or 2. (Parameter 'options')");
        _harness.Broker.Published.Should().BeEmpty();
    }

    [Fact]
    public async Task PublishAsync_TokenCancelledBefore_ReturnsACancelledTaskAndSendsNothing()
    {
        var client = await _harness.ConnectedAsync();
        using var cancel = new CancellationTokenSource();
        await cancel.CancelAsync();

        var call = client.PublishAsync(Bytes("x"), null, cancel.Token);

        call.IsCanceled.Should().BeTrue();
        (await client.PublishAsync(Bytes("y"), null, Ct)).Should().Be(MqttPublishResult.Delivered);
        PublishedTexts().Should().Equal("y");
    }

    [Fact]
    public async Task PublishAsync_ManyPipelinedBurstsOfEveryQos_EachArrivesOnceAsPublished()
    {
        // Messages are reused once their publish is over: a message reused while the sender, a wait or the session still
        // read it would send another call's payload or QoS, twice, or not at all.
        _harness.Client.Order = false;
        var client = await _harness.ConnectedAsync();
        var expected = new List<(string Text, MqttQos Qos)>();
        for (var burst = 0; burst < 20; burst++)
        {
            var calls = new List<Task<MqttPublishResult>>();
            for (var i = 0; i < 30; i++)
            {
                var qos = (MqttQos)(i % 3);
                expected.Add(($"b{burst}-{i}", qos));
                calls.Add(client.PublishAsync(Bytes($"b{burst}-{i}"), new MqttPublishOptions { Qos = qos }, Ct).AsTask());
            }

            (await Task.WhenAll(calls).WaitAsync(TimeSpan.FromSeconds(10), Ct)).Should().OnlyContain(r => r == MqttPublishResult.Delivered);
        }

        _harness.Broker.Published.Select(m => (m.Text, (MqttQos)m.Qos)).Should().BeEquivalentTo(expected);
    }

    [Fact]
    public async Task PublishAsync_AcknowledgementsArrivingTogether_QueuedMessagesFillTheWindowInOneWrite()
    {
        var (client, calls) = await FillWindowOfFourAsync("a", null);
        calls.AddRange(Enumerable.Range(1, 4).Select(i => client.PublishAsync(Bytes("b" + i), null, Ct).AsTask()));

        _harness.Broker.ReleasePublishes();

        (await Task.WhenAll(calls)).Should().OnlyContain(r => r == MqttPublishResult.Delivered);
        PublishedTexts().Should().Equal("a1", "a2", "a3", "a4", "b1", "b2", "b3", "b4");
        _harness.Broker.Current.Writes.Should().EndWith(4, "the four PUBACKs arrived together, so the sender is woken once, when the reader has handled them all");
    }

    [Fact]
    public async Task PublishAsync_Qos2ReceivedTogether_ReleasesGoOutInOneWrite()
    {
        var (_, calls) = await FillWindowOfFourAsync("m", new MqttPublishOptions { Qos = MqttQos.ExactlyOnce });
        var writesBefore = _harness.Broker.Current.Writes.Count;

        _harness.Broker.ReleasePublishes();

        (await Task.WhenAll(calls)).Should().OnlyContain(r => r == MqttPublishResult.Delivered);
        _harness.Broker.Current.ReceivedPackets.OfType<MqttPubRelPacket>().Select(p => (int)p.PacketIdentifier).Should().HaveCount(4).And.OnlyHaveUniqueItems();
        _harness.Broker.Current.Writes.Skip(writesBefore).Should().Equal([4], "the four PUBRECs arrived together, so their PUBRELs are written together once the reader has handled them all");
    }

    /// <summary>Connects pipelining (MQTT 5, the broker's Receive Maximum 4, publishes held) and fills the window: four publishes awaiting their acknowledgement.</summary>
    private async Task<(IMqttDeviceClient Client, List<Task<MqttPublishResult>> Calls)> FillWindowOfFourAsync(string prefix, MqttPublishOptions? options)
    {
        _harness.Client.Order = false;
        _harness.Client.ProtocolVersion = 5;
        _harness.Broker.ReceiveMaximum = 4;
        _harness.Broker.HoldPublishes = true;
        var client = await _harness.ConnectedAsync();
        var calls = Enumerable.Range(1, 4).Select(i => client.PublishAsync(Bytes(prefix + i), options, Ct).AsTask()).ToList();
        await Eventually.TrueAsync(() => _harness.Broker.Attempts.Count == 4, "the window of four is full");
        return (client, calls);
    }

    [Fact]
    public async Task PublishAsync_RefusedByBroker_IsDroppedWithTheReasonCode()
    {
        _harness.Broker.PublishReason = MqttClientPublishReasonCode.NotAuthorized;
        _harness.Client.ProtocolVersion = 5;
        var client = await _harness.ConnectedAsync();

        var result = await client.PublishAsync(Bytes("x"), null, Ct);

        result.Status.Should().Be(MqttPublishStatus.Dropped);
        result.DropReason.Should().Be(MqttDropReason.RefusedByBroker);
        result.ReasonCode.Should().Be(135);
        client.DroppedCount.Should().Be(1);
        _harness.Logger.Collector.GetSnapshot().Should().Contain(r => r.Id.Id == 1101);
    }

    [Fact]
    public async Task PublishAsync_NoMatchingSubscribers_IsDelivered()
    {
        _harness.Broker.PublishReason = MqttClientPublishReasonCode.NoMatchingSubscribers;
        var client = await _harness.ConnectedAsync();

        (await client.PublishAsync(Bytes("x"), null, Ct)).Should().BeSameAs(MqttPublishResult.Delivered);
    }

    [Fact]
    public async Task PublishAsync_ConnectionLostInFlightWithoutSession_ResendsAsNewMessagesInOrder()
    {
        _harness.Broker.HoldPublishes = true;
        var client = await _harness.ConnectedAsync();
        var calls = Enumerable.Range(1, 4).Select(i => client.PublishAsync(Bytes("m" + i), null, Ct).AsTask()).ToList();
        await Eventually.TrueAsync(() => _harness.Broker.Attempts.Count == 1, "the first message is in flight");

        await _harness.Broker.Current.DropAsync();
        await _harness.PassBackoffAsync(TimeSpan.FromSeconds(1));
        await Eventually.TrueAsync(() => _harness.Broker.ConnectAttempts == 2 && client.State == MqttConnectionState.Connected, "reconnected");
        _harness.Broker.ReleasePublishes();

        (await Task.WhenAll(calls).WaitAsync(Eventually.DefaultTimeout, Ct)).Should().OnlyContain(r => r == MqttPublishResult.Delivered);
        PublishedTexts().Should().Equal("m1", "m2", "m3", "m4");
        var resent = _harness.Broker.Attempts.Where(a => a.Connection == 1).First();
        resent.Text.Should().Be("m1");
        resent.Dup.Should().BeFalse("the broker has no session: a new PUBLISH, not a resend of one it may have");
    }

    [Fact]
    public async Task PublishAsync_QosZeroWhileReconnecting_IsNotLost()
    {
        var client = await _harness.ConnectedAsync();
        await _harness.Broker.Current.DropAsync();
        await Eventually.TrueAsync(() => client.State == MqttConnectionState.Reconnecting, "the loss is noticed");

        (await client.PublishAsync(Bytes("while-down"), new MqttPublishOptions { Qos = MqttQos.AtMostOnce }, Ct)).Should().BeSameAs(MqttPublishResult.Queued);
        await _harness.PassBackoffAsync(TimeSpan.FromSeconds(1));

        await Eventually.TrueAsync(() => _harness.Broker.Published.Count == 1, "the QoS 0 message is sent after reconnecting");
        _harness.Broker.Published.Single().Text.Should().Be("while-down");
    }

    [Fact]
    public async Task PublishAsync_NotAcknowledgedWithinWriteTimeout_ReturnsQueuedAndResendsOnANewConnection()
    {
        _harness.Client.WriteTimeout = GoDuration.FromSeconds(5);
        _harness.Broker.HoldPublishes = true;
        var client = await _harness.ConnectedAsync();

        var call = client.PublishAsync(Bytes("slow"), null, Ct).AsTask();
        await Eventually.TrueAsync(() => _harness.Broker.Attempts.Count == 1, "the message is in flight");
        await Eventually.TrueAsync(() => _harness.Time.HasTimerDueIn(TimeSpan.FromSeconds(5)), "the write timeout is armed");
        _harness.Time.Advance(TimeSpan.FromSeconds(5));

        (await call.WaitAsync(Eventually.DefaultTimeout, Ct)).Should().BeSameAs(MqttPublishResult.Queued);
        await Eventually.TrueAsync(() => client.State == MqttConnectionState.Reconnecting, "the connection is dropped");
        await Eventually.TrueAsync(() => _harness.Logger.Collector.GetSnapshot().Any(r => r.Id.Id == 1008), "the write timeout is logged");
        _harness.Broker.HoldPublishes = false;
        await _harness.PassBackoffAsync(TimeSpan.FromSeconds(1));
        await Eventually.TrueAsync(() => _harness.Broker.Published.Count == 1, "the message is sent again");
        _harness.Broker.Published.Single().Connection.Should().Be(1);
    }

    [Fact]
    public async Task PublishAsync_CancelledAfterAcceptance_ReturnsQueuedAndKeepsTheMessage()
    {
        _harness.Broker.HoldPublishes = true;
        var client = await _harness.ConnectedAsync();
        using var cancel = new CancellationTokenSource();

        var call = client.PublishAsync(Bytes("keep"), null, cancel.Token).AsTask();
        await Eventually.TrueAsync(() => _harness.Broker.Attempts.Count == 1, "the message is in flight");
        await cancel.CancelAsync();

        (await call).Should().BeSameAs(MqttPublishResult.Queued);
        _harness.Broker.ReleasePublishes();
        await Eventually.TrueAsync(() => _harness.Broker.Published.Count == 1, "the message is still delivered");
    }

    [Fact]
    public async Task PublishAsync_AlreadyCancelled_Throws()
    {
        var client = await _harness.ConnectedAsync();

        await FluentActions.Awaiting(() => client.PublishAsync(Bytes("x"), null, new CancellationToken(canceled: true)).AsTask())
            .Should().ThrowAsync<OperationCanceledException>();
        client.QueuedCount.Should().Be(0);
    }
}
