using Microsoft.Extensions.Logging;
using Octopus.Mqtt.Tests.Connection;

namespace Octopus.Mqtt.Tests.Publishing;

/// <summary>The session: packet identifiers across a reconnect, a lost session, a broker without QoS 2, a store that fails.</summary>
public sealed partial class MqttDeviceClientTests
{
    [Fact]
    public async Task Session_ResumedAfterACut_ResendsEachUnacknowledgedPublishWithItsIdentifierAndDup()
    {
        _harness.Client.CleanSession = false;
        _harness.Client.Order = false;
        _harness.Broker.SessionPresent = true;
        _harness.Broker.HoldPublishes = true;
        var client = await _harness.ConnectedAsync();
        var calls = Enumerable.Range(1, 3).Select(i => client.PublishAsync(Bytes("m" + i), null, Ct).AsTask()).ToList();
        await Eventually.TrueAsync(() => _harness.Broker.Attempts.Count == 3, "three messages are in flight");
        var first = _harness.Broker.Attempts.ToArray();

        await CutAndWaitForResendsAsync(6);

        (await Task.WhenAll(calls).WaitAsync(Eventually.DefaultTimeout, Ct)).Should().OnlyContain(r => r == MqttPublishResult.Delivered);
        var resent = _harness.Broker.Attempts.Where(a => a.Connection == 1).ToArray();
        resent.Select(a => (a.Text, a.PacketId)).Should().Equal(first.Select(a => (a.Text, a.PacketId)), "the same messages, with the same identifiers, in the same order");
        resent.Should().OnlyContain(a => a.Dup);
        first.Should().OnlyContain(a => !a.Dup);
        _harness.Logger.Collector.GetSnapshot().Should().Contain(r => r.Id.Id == 1500).And.NotContain(r => r.Id.Id == 1501);
    }

    [Fact]
    public async Task Session_BrokerLostTheSession_SendsAgainAsNewMessagesAndWarnsOnce()
    {
        _harness.Client.CleanSession = false;
        _harness.Broker.HoldPublishes = true;
        var client = await _harness.ConnectedAsync();
        var lost = new List<int>();
        client.SessionLost += (_, e) => lost.Add(e.ResentAsNew);
        var call = client.PublishAsync(Bytes("m1"), null, Ct).AsTask();
        await Eventually.TrueAsync(() => _harness.Broker.Attempts.Count == 1, "the message is in flight");

        await CutAndWaitForResendsAsync(2);

        (await call.WaitAsync(Eventually.DefaultTimeout, Ct)).Should().BeSameAs(MqttPublishResult.Delivered);
        _harness.Broker.Attempts.Last().Dup.Should().BeFalse("a new session: a new message");
        _harness.Logger.Collector.GetSnapshot().Where(r => r.Id.Id == 1501).Should().ContainSingle()
            .Which.Level.Should().Be(LogLevel.Warning);
        lost.Should().Equal([1], "the event says one message is sent again as new");
    }

    [Fact]
    public async Task Session_CleanSession_ResendsWithoutWarningOfALostSession()
    {
        _harness.Broker.HoldPublishes = true;
        var client = await _harness.ConnectedAsync();
        var call = client.PublishAsync(Bytes("m1"), null, Ct).AsTask();
        await Eventually.TrueAsync(() => _harness.Broker.Attempts.Count == 1, "the message is in flight");

        await CutAndWaitForResendsAsync(2);

        (await call.WaitAsync(Eventually.DefaultTimeout, Ct)).Should().BeSameAs(MqttPublishResult.Delivered);
        _harness.Logger.Collector.GetSnapshot().Should().NotContain(r => r.Id.Id == 1501);
    }

    [Fact]
    public async Task Session_BrokerAnswersQos2WithPubAck_DeliveredAtQos1AndTheQueueGoesOn()
    {
        _harness.Broker.Qos2AnsweredWithPubAck = true;
        var client = await _harness.ConnectedAsync();

        var results = new List<MqttPublishResult>();
        for (var i = 1; i <= 3; i++)
        {
            results.Add(await client.PublishAsync(Bytes("m" + i), new MqttPublishOptions { Qos = MqttQos.ExactlyOnce }, Ct).AsTask().WaitAsync(Eventually.DefaultTimeout, Ct));
        }

        results.Should().OnlyContain(r => r == MqttPublishResult.Delivered);
        PublishedTexts().Should().Equal("m1", "m2", "m3");
        _harness.Logger.Collector.GetSnapshot().Where(r => r.Id.Id == 1502).Should().ContainSingle("it is said once per connection");
    }

    [Fact]
    public async Task Session_StoreCannotWrite_DroppedAsStoreFailedReportedAsAProblemAndTheClientGoesOn()
    {
        var store = new FailingStore();
        _harness.Store = store;
        var client = await _harness.ConnectedAsync();

        store.Failing = true;
        var refused = await client.PublishAsync(Bytes("lost"), null, Ct);
        var problem = client.Problem;
        store.Failing = false;
        var next = await client.PublishAsync(Bytes("kept"), null, Ct);

        refused.Should().Be(MqttPublishResult.Dropped(MqttDropReason.StoreFailed));
        problem.Should().Be("the File store cannot keep messages (test store): No space left on device");
        next.Should().BeSameAs(MqttPublishResult.Delivered);
        client.Problem.Should().BeNull("the store writes again");
        PublishedTexts().Should().Equal("kept");
        _harness.Logger.Collector.GetSnapshot().Should().Contain(r => r.Id.Id == 1504);
    }

    [Fact]
    public async Task SubscribeAsync_OwnPublishTopic_WarnsThatTheHandlerGetsTheDevicesOwnStatus()
    {
        _harness.Topics = new FakeDeviceTopics("cattle.io/octopus/:namespace/:name", "cattle.io/octopus/:namespace/:name");
        var client = await _harness.ConnectedAsync();

        await client.SubscribeAsync([Sub("x")], Record, Ct);

        _harness.Logger.Collector.GetSnapshot().Where(r => r.Id.Id == 1108).Should().ContainSingle()
            .Which.Message.Should().StartWith("Subscription 0 of octopus-9e8efcb04b7945e7a4c43349562292e3 is the device's own publish topic cattle.io/octopus/default/case1:");
    }

    [Fact]
    public async Task SubscribeAsync_CommandTopic_DoesNotWarn()
    {
        var client = await _harness.ConnectedAsync();

        await client.SubscribeAsync([Sub("set")], Record, Ct);

        _harness.Logger.Collector.GetSnapshot().Should().NotContain(r => r.Id.Id == 1108);
    }

    [Fact]
    public async Task ConnectAsync_AttemptFails_OneWarningSayingWhyAndTheExceptionOnlyAtDebugLevel()
    {
        _harness.FactoryFailure = new InvalidOperationException("no route");
        var client = _harness.Create();

        await FluentActions.Awaiting(() => client.ConnectAsync(Ct)).Should().ThrowAsync<MqttDeviceClientException>();

        var records = _harness.Logger.Collector.GetSnapshot();
        var warning = records.Where(r => r.Level >= LogLevel.Warning).Should().ContainSingle().Which;
        warning.Id.Id.Should().Be(1003);
        warning.Exception.Should().BeNull("the stack trace is for debug level");
        warning.Message.Should().Be("Preparing the connection of octopus-9e8efcb04b7945e7a4c43349562292e3 failed: no route");
        records.Should().ContainSingle(r => r.Id.Id == 1016 && r.Level == LogLevel.Debug && r.Exception is InvalidOperationException);
    }

    /// <summary>Cuts the connection while publishes are held, lets the reconnect happen, waits for the resends, releases the acknowledgements.</summary>
    private async Task CutAndWaitForResendsAsync(int attempts)
    {
        await _harness.Broker.Current.DropAsync();
        await _harness.PassBackoffAsync(TimeSpan.FromSeconds(1));
        await Eventually.TrueAsync(() => _harness.Broker.Attempts.Count == attempts, $"{attempts} PUBLISH attempts in all, the resends included");
        _harness.Broker.ReleasePublishes();
    }

    private sealed class FailingStore : IMessageStore
    {
        public bool Failing { get; set; }

        public string Location => "test store";

        public IReadOnlyList<StoredMessage> Load() => [];

        public void Save(OutboundMessage message)
        {
            if (Failing)
            {
                throw new IOException("No space left on device");
            }
        }

        public void Delete(long sequence)
        {
        }

        public void Dispose()
        {
        }
    }
}
