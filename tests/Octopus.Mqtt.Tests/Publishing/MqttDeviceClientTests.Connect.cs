using MQTTnet;
using MQTTnet.Formatter;
using Octopus.Mqtt.Tests.Connection;

namespace Octopus.Mqtt.Tests.Publishing;

public sealed partial class MqttDeviceClientTests
{
    [Fact]
    public async Task ConnectAsync_Accepted_IsConnectedWithTheTimingsApplied()
    {
        _harness.Client.KeepAlive = GoDuration.Parse("500ms");
        _harness.Client.ConnectTimeout = GoDuration.Zero;
        _harness.Client.CleanSession = false;

        var client = await _harness.ConnectedAsync();

        client.State.Should().Be(MqttConnectionState.Connected);
        _harness.States().Should().Equal(MqttConnectionState.Connecting, MqttConnectionState.Connected);
        var options = _harness.Broker.ConnectOptions.Should().ContainSingle().Subject;
        options.KeepAlivePeriod.Should().Be(TimeSpan.FromSeconds(1));
        options.Timeout.Should().Be(Timeout.InfiniteTimeSpan);
        options.CleanSession.Should().BeFalse();
        options.ProtocolVersion.Should().Be(MqttProtocolVersion.V311);
        client.ClientId.Should().Be(EngineHarness.LongClientId);
    }

    [Fact]
    public async Task ConnectAsync_OptionsOfTheAttempt_SentAsTheyWereMade()
    {
        _harness.Client.KeepAlive = GoDuration.FromSeconds(30);
        _harness.AdjustOptions = options =>
        {
            options.KeepAlivePeriod = TimeSpan.FromSeconds(7);
            options.CleanSession = false;
            options.ProtocolVersion = MqttProtocolVersion.V500;
        };

        await _harness.ConnectedAsync();

        var sent = _harness.Broker.ConnectOptions.Should().ContainSingle().Subject;
        sent.KeepAlivePeriod.Should().Be(TimeSpan.FromSeconds(7), "the options are converted once, where they are made, and never overwritten");
        sent.CleanSession.Should().BeFalse();
        sent.ProtocolVersion.Should().Be(MqttProtocolVersion.V500);
    }

    [Fact]
    public async Task ConnectAsync_Refused_FailsFastWithTheReasonAndDoesNotRetry()
    {
        _harness.Broker.ConnectResults.Enqueue(MqttClientConnectResultCode.BadUserNameOrPassword);
        var client = _harness.Create();

        var failure = await FluentActions.Awaiting(() => client.ConnectAsync(Ct)).Should().ThrowAsync<MqttDeviceClientException>();

        failure.Which.Message.Should().Be($"The MQTT broker refused the connection of {EngineHarness.LongClientId}: BadUserNameOrPassword (134). No username or password was sent: client.basicAuth is not set.");
        failure.Which.ReasonCode.Should().Be(134);
        client.State.Should().Be(MqttConnectionState.Disconnected);
        _harness.StateChanges[^1].Error.Should().BeSameAs(failure.Which);
        _harness.Logger.Collector.GetSnapshot().Should().Contain(r => r.Id.Id == 1002);
        _harness.Time.Advance(TimeSpan.FromMinutes(30));
        _harness.Broker.ConnectAttempts.Should().Be(1);
    }

    [Fact]
    public async Task ConnectAsync_RetryInBackground_RetriesWithDoublingBackoffUntilAccepted()
    {
        _harness.Options.FirstConnectPolicy = MqttFirstConnectPolicy.RetryInBackground;
        _harness.Broker.ConnectResults.Enqueue(MqttClientConnectResultCode.ServerUnavailable);
        _harness.Broker.ConnectResults.Enqueue(MqttClientConnectResultCode.ServerBusy);
        _harness.Broker.ConnectResults.Enqueue(MqttClientConnectResultCode.ServerUnavailable);
        var client = _harness.Create();

        await client.ConnectAsync(Ct);
        client.State.Should().Be(MqttConnectionState.Reconnecting);
        (await client.PublishAsync(Bytes("early"), null, Ct)).Should().BeSameAs(MqttPublishResult.Queued);

        await _harness.PassBackoffAsync(TimeSpan.FromSeconds(1));
        await Eventually.TrueAsync(() => _harness.Broker.ConnectAttempts == 2, "the first retry");
        await _harness.PassBackoffAsync(TimeSpan.FromSeconds(2));
        await Eventually.TrueAsync(() => _harness.Broker.ConnectAttempts == 3, "the second retry");
        await _harness.PassBackoffAsync(TimeSpan.FromSeconds(4));

        await Eventually.TrueAsync(() => client.State == MqttConnectionState.Connected, "connected at the fourth attempt");
        var times = _harness.Broker.ConnectTimes.ToArray();
        times.Zip(times.Skip(1), (a, b) => (b - a).TotalSeconds).Should().Equal(1, 2, 4);
        await Eventually.TrueAsync(() => _harness.Broker.Published.Count == 1, "the queued message is sent");
        _harness.StateChanges.Where(e => e.Error is not null).Select(e => ((MqttDeviceClientException)e.Error!).ReasonCode)
            .Should().Equal(136, 136, 136);
    }

    [Fact]
    public async Task ConnectAsync_RefusedRepeatedly_NeverRetriesInAHotLoop()
    {
        _harness.Options.FirstConnectPolicy = MqttFirstConnectPolicy.RetryInBackground;
        _harness.Client.MaxReconnectInterval = GoDuration.FromSeconds(8);
        for (var i = 0; i < 100; i++)
        {
            _harness.Broker.ConnectResults.Enqueue(MqttClientConnectResultCode.ServerUnavailable);
        }

        var client = _harness.Create();
        await client.ConnectAsync(Ct);
        foreach (var seconds in new[] { 1, 2, 4, 8, 8, 8 })
        {
            await _harness.PassBackoffAsync(TimeSpan.FromSeconds(seconds));
        }

        await Eventually.TrueAsync(() => _harness.Broker.ConnectAttempts == 7, "six retries");
        client.State.Should().NotBe(MqttConnectionState.Connected);
        _harness.Broker.ConnectAttempts.Should().Be(7, "each retry waits for its backoff");
    }

    [Fact]
    public async Task ConnectAsync_ProtocolZeroRefusedAsUnsupported_FallsBackToMqtt31WithTheShortClientId()
    {
        _harness.Broker.ConnectResults.Enqueue(MqttClientConnectResultCode.UnsupportedProtocolVersion);
        var client = _harness.Create();

        await client.ConnectAsync(Ct);

        client.State.Should().Be(MqttConnectionState.Connected);
        _harness.FactoryCalls.Should().Equal(false, true);
        client.ClientId.Should().Be(EngineHarness.ShortClientId);
        _harness.Logger.Collector.GetSnapshot().Should().Contain(r => r.Id.Id == 1006);

        await _harness.Broker.Current.DropAsync();
        await _harness.PassBackoffAsync(TimeSpan.FromSeconds(1));
        await Eventually.TrueAsync(() => _harness.Broker.ConnectAttempts == 3, "reconnected");
        _harness.FactoryCalls.Should().Equal(false, true, true);
    }

    [Fact]
    public async Task ConnectAsync_ExplicitProtocolRefusedAsUnsupported_DoesNotFallBack()
    {
        _harness.Client.ProtocolVersion = 4;
        _harness.Broker.ConnectResults.Enqueue(MqttClientConnectResultCode.UnsupportedProtocolVersion);
        var client = _harness.Create();

        await FluentActions.Awaiting(() => client.ConnectAsync(Ct)).Should().ThrowAsync<MqttDeviceClientException>()
            .WithMessage($"The MQTT broker refused the connection of {EngineHarness.LongClientId}: UnsupportedProtocolVersion (132).");
        _harness.FactoryCalls.Should().Equal(false);
    }

    [Fact]
    public async Task ConnectAsync_OptionsCannotBeBuilt_FailsWithTheCause()
    {
        _harness.FactoryFailure = new InvalidOperationException("client.basicAuth.passwordRef: reference \"mqtt\" item \"password\" not found");
        var client = _harness.Create();

        var failure = await FluentActions.Awaiting(() => client.ConnectAsync(Ct)).Should().ThrowAsync<MqttDeviceClientException>();

        failure.Which.Message.Should().Be($"Preparing the connection of {EngineHarness.LongClientId} failed: client.basicAuth.passwordRef: reference \"mqtt\" item \"password\" not found");
        failure.Which.ReasonCode.Should().BeNull();
    }

    [Fact]
    public async Task ConnectAsync_WhileConnected_DoesNothing()
    {
        var client = await _harness.ConnectedAsync();

        await client.ConnectAsync(Ct);

        _harness.Broker.ConnectAttempts.Should().Be(1);
    }

    [Fact]
    public async Task ConnectionLost_Reconnects_AndResolvesTheOptionsAgain()
    {
        var client = await _harness.ConnectedAsync();

        await _harness.Broker.Current.DropAsync();
        await Eventually.TrueAsync(() => client.State == MqttConnectionState.Reconnecting, "the loss is noticed");
        _harness.StateChanges[^1].Error.Should().BeOfType<MQTTnet.Exceptions.MqttCommunicationException>();
        await _harness.PassBackoffAsync(TimeSpan.FromSeconds(1));

        await Eventually.TrueAsync(() => client.State == MqttConnectionState.Connected, "reconnected");
        _harness.FactoryCalls.Should().HaveCount(2, "credentials are resolved again before every connect");
        _harness.Broker.Clients[0].IsDisposed.Should().BeTrue();
        _harness.Logger.Collector.GetSnapshot().Should().Contain(r => r.Id.Id == 1004);
    }

    [Fact]
    public async Task ConnectionLost_WithoutAutoReconnect_StaysDisconnectedUntilConnectAsync()
    {
        _harness.Client.AutoReconnect = false;
        var client = await _harness.ConnectedAsync();

        await _harness.Broker.Current.DropAsync();
        await Eventually.TrueAsync(() => client.State == MqttConnectionState.Disconnected, "the loss is noticed");
        _harness.Time.Advance(TimeSpan.FromMinutes(30));
        _harness.Broker.ConnectAttempts.Should().Be(1);

        await client.ConnectAsync(Ct);
        client.State.Should().Be(MqttConnectionState.Connected);
    }

    [Fact]
    public async Task KeepAlive_UnansweredPing_DropsTheConnectionAfterPingTimeoutAndReconnects()
    {
        _harness.Client.KeepAlive = GoDuration.FromSeconds(4);
        _harness.Client.PingTimeout = GoDuration.FromSeconds(2);
        var client = await _harness.ConnectedAsync();
        await Eventually.TrueAsync(() => _harness.Time.HasTimerDueIn(TimeSpan.FromSeconds(3)), "the watchdog waits three quarters of the keep-alive");
        _harness.Time.Advance(TimeSpan.FromSeconds(3));
        await Eventually.TrueAsync(() => _harness.Broker.Pings == 1, "the first ping");
        _harness.Broker.HoldPings = true;
        await Eventually.TrueAsync(() => _harness.Time.HasTimerDueIn(TimeSpan.FromSeconds(3)), "the watchdog waits for the next ping");
        _harness.Time.Advance(TimeSpan.FromSeconds(3));
        await Eventually.TrueAsync(() => _harness.Broker.Pings == 2, "the second ping");
        client.State.Should().Be(MqttConnectionState.Connected);

        await Eventually.TrueAsync(() => _harness.Time.HasTimerDueIn(TimeSpan.FromSeconds(2)), "the ping timeout is armed");
        _harness.Time.Advance(TimeSpan.FromSeconds(2));

        await Eventually.TrueAsync(() => client.State == MqttConnectionState.Reconnecting, "the silent link is dropped");
        _harness.StateChanges[^1].Error!.Message.Should().Be("The broker did not answer a ping (PINGREQ) within client.pingTimeout 2s.");
        _harness.Broker.Clients[0].DisconnectedWith.Should().BeNull("a dead link is dropped without DISCONNECT, so the broker publishes the will");
        _harness.Broker.HoldPings = false;
        await _harness.PassBackoffAsync(TimeSpan.FromSeconds(1));
        await Eventually.TrueAsync(() => client.State == MqttConnectionState.Connected, "reconnected");
    }

    [Fact]
    public async Task StateChanged_HandlerThrows_IsLoggedAndIgnored()
    {
        var client = _harness.Create();
        client.StateChanged += (_, _) => throw new InvalidOperationException("boom");

        await client.ConnectAsync(Ct);

        client.State.Should().Be(MqttConnectionState.Connected);
        _harness.Logger.Collector.GetSnapshot().Should().Contain(r => r.Id.Id == 1012);
    }
}
