using Octopus.Mqtt.Tests.Connection;

namespace Octopus.Mqtt.Tests.Publishing;

public sealed partial class MqttDeviceClientTests
{
    [Fact]
    public async Task DisposeAsync_Connected_LetsInFlightWorkFinishThenSendsANormalDisconnect()
    {
        _harness.Broker.HoldPublishes = true;
        var client = await _harness.ConnectedAsync();
        var calls = Enumerable.Range(1, 2).Select(i => client.PublishAsync(Bytes("m" + i), null, Ct).AsTask()).ToList();
        await Eventually.TrueAsync(() => _harness.Broker.Attempts.Count == 1, "the first message is in flight");

        var disposing = client.DisposeAsync().AsTask();
        await FluentActions.Awaiting(() => client.PublishAsync(Bytes("late"), null, Ct).AsTask()).Should().ThrowAsync<ObjectDisposedException>();
        disposing.IsCompleted.Should().BeFalse("in-flight work gets disconnectQuiesce to finish");
        _harness.Broker.ReleasePublishes();
        await disposing.WaitAsync(Eventually.DefaultTimeout, Ct);

        (await Task.WhenAll(calls)).Should().OnlyContain(r => r == MqttPublishResult.Delivered);
        var connection = _harness.Broker.Clients[0];
        connection.DisconnectedWith!.ReasonCode.Should().Be(MQTTnet.Protocol.MqttDisconnectReasonCode.NormalDisconnection);
        connection.IsDisposed.Should().BeTrue();
        client.State.Should().Be(MqttConnectionState.Disposed);
    }

    [Fact]
    public async Task DisposeAsync_QuiesceElapses_DropsWhatIsLeftAndStillDisconnects()
    {
        _harness.Client.DisconnectQuiesce = GoDuration.FromSeconds(5);
        _harness.Client.WaitTimeout = GoDuration.FromMinutes(5);
        _harness.Broker.HoldPublishes = true;
        var client = await _harness.ConnectedAsync();
        var calls = Enumerable.Range(1, 2).Select(i => client.PublishAsync(Bytes("m" + i), null, Ct).AsTask()).ToList();
        await Eventually.TrueAsync(() => _harness.Broker.Attempts.Count == 1, "the first message is in flight");

        var disposing = client.DisposeAsync().AsTask();
        await Eventually.TrueAsync(() => _harness.Time.HasTimerDueIn(TimeSpan.FromSeconds(5)), "the quiesce wait is armed");
        _harness.Time.Advance(TimeSpan.FromSeconds(5));
        await disposing.WaitAsync(Eventually.DefaultTimeout, Ct);

        (await Task.WhenAll(calls)).Should().OnlyContain(r => r == MqttPublishResult.Dropped(MqttDropReason.Disposed));
        client.DroppedCount.Should().Be(2);
        _harness.Logger.Collector.GetSnapshot().Should().Contain(r => r.Id.Id == 1011 && r.Message.StartsWith("2 message(s)", StringComparison.Ordinal));
        _harness.Broker.Clients[0].DisconnectedWith.Should().NotBeNull();
    }

    [Fact]
    public async Task DisposeAsync_Offline_DropsTheQueueAtOnce()
    {
        _harness.Client.WaitTimeout = GoDuration.FromMinutes(5);
        var client = _harness.Create();
        var call = client.PublishAsync(Bytes("never"), null, Ct).AsTask();

        await client.DisposeAsync();

        (await call).Should().BeSameAs(MqttPublishResult.Dropped(MqttDropReason.Disposed));
        client.State.Should().Be(MqttConnectionState.Disposed);
        _harness.Broker.ConnectAttempts.Should().Be(0);
    }

    [Fact]
    public async Task DisposeAsync_Twice_IsHarmlessAndLaterCallsThrow()
    {
        var client = await _harness.ConnectedAsync();

        await client.DisposeAsync();
        await client.DisposeAsync();

        await FluentActions.Awaiting(() => client.ConnectAsync(Ct)).Should().ThrowAsync<ObjectDisposedException>();
        await FluentActions.Awaiting(() => client.SubscribeAsync([], Record, Ct)).Should().ThrowAsync<ObjectDisposedException>();
        FluentActions.Invoking(() => client.PublishAsync(Bytes("x"), null, Ct)).Should().Throw<ObjectDisposedException>();
        _harness.Broker.Clients.Should().ContainSingle();
    }

    [Fact]
    public async Task DisposeAsync_WhileReconnecting_StopsRetrying()
    {
        var client = await _harness.ConnectedAsync();
        await _harness.Broker.Current.DropAsync();
        await Eventually.TrueAsync(() => _harness.Time.HasTimerDueIn(TimeSpan.FromSeconds(1)), "waiting to reconnect");

        await client.DisposeAsync().AsTask().WaitAsync(Eventually.DefaultTimeout, Ct);
        _harness.Time.Advance(TimeSpan.FromMinutes(5));

        _harness.Broker.ConnectAttempts.Should().Be(1);
        client.State.Should().Be(MqttConnectionState.Disposed);
    }

    [Fact]
    public async Task OnlinePayload_PublishedRetainedOnEveryConnectAndOfflineOnDispose()
    {
        _harness.WillTopic = "cattle.io/octopus/default/case1/$will";
        _harness.WillPayload = Bytes("offline");
        _harness.Options.OnlinePayload = Bytes("online");
        var client = _harness.Create();
        await client.PublishAsync(Bytes("status"), null, Ct);

        await client.ConnectAsync(Ct);
        await Eventually.TrueAsync(() => _harness.Broker.Published.Count == 2, "online, then the queued status");
        await Eventually.TrueAsync(() => client.InFlightCount == 0, "the client has read the status's PUBACK (else it sends the status again after the drop, rightly)");
        await _harness.Broker.Current.DropAsync();
        await _harness.PassBackoffAsync(TimeSpan.FromSeconds(1));
        await Eventually.TrueAsync(() => _harness.Broker.Published.Count == 3, "online again after reconnecting");
        await client.DisposeAsync();

        _harness.Broker.Published.Select(m => (m.Topic, m.Text, m.Retain)).Should().Equal(
            ("cattle.io/octopus/default/case1/$will", "online", true),
            ("cattle.io/octopus/default/case1", "status", true),
            ("cattle.io/octopus/default/case1/$will", "online", true),
            ("cattle.io/octopus/default/case1/$will", "offline", true));
    }
}
