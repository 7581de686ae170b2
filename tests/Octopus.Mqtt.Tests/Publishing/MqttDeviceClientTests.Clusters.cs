using System.Net.Sockets;
using MQTTnet;
using MQTTnet.Packets;
using MQTTnet.Protocol;
using Octopus.Mqtt.Tests.Connection;

namespace Octopus.Mqtt.Tests.Publishing;

/// <summary>Server lists, redirects, takeovers, refusals that retrying will not fix, and the stable-time backoff reset.</summary>
public sealed partial class MqttDeviceClientTests
{
    [Fact]
    public async Task ConnectAsync_FirstServerUnreachable_ConnectsToTheNextInTheSameRound()
    {
        _harness.Client.Servers = ["tcp://b:1883"];
        _harness.Broker.OpenFailures.Enqueue(new SocketException((int)SocketError.ConnectionRefused));
        var b = _harness.AddBroker("b");

        var client = await _harness.ConnectedAsync();

        client.State.Should().Be(MqttConnectionState.Connected);
        client.ConnectedServer.Should().Be("tcp://b:1883");
        _harness.Servers.Select(s => s.ToString()).Should().Equal("tcp://broker:1883", "tcp://b:1883");
        b.ConnectAttempts.Should().Be(1);
        _harness.Logger.Collector.GetSnapshot().Should().Contain(r => r.Id.Id == 1019 && r.Message.Contains("tcp://b:1883", StringComparison.Ordinal));
        _harness.Logger.Collector.GetSnapshot().Should().Contain(r => r.Id.Id == 1001 && r.Message.Contains("tcp://b:1883", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Reconnect_EveryServerDown_WaitsTheBackoffOncePerRound()
    {
        _harness.Options.FirstConnectPolicy = MqttFirstConnectPolicy.RetryInBackground;
        _harness.Client.Servers = ["tcp://b:1883"];
        var b = _harness.AddBroker("b");
        foreach (var broker in new[] { _harness.Broker, b })
        {
            broker.ConnectResults.Enqueue(MqttClientConnectResultCode.ServerUnavailable);
            broker.ConnectResults.Enqueue(MqttClientConnectResultCode.ServerUnavailable);
        }

        var client = _harness.Create();
        await client.ConnectAsync(Ct);
        _harness.Servers.Should().HaveCount(2, "the first round tries both servers");
        await _harness.PassBackoffAsync(TimeSpan.FromSeconds(1));
        await Eventually.TrueAsync(() => _harness.Servers.Count == 4, "the second round");
        await _harness.PassBackoffAsync(TimeSpan.FromSeconds(2));

        await Eventually.TrueAsync(() => client.State == MqttConnectionState.Connected, "connected in the third round");
        _harness.Servers.Select(s => s.Host).Should().Equal("broker", "b", "broker", "b", "broker");
        client.ConnectedServer.Should().Be("tcp://broker:1883");
    }

    [Fact]
    public async Task Reconnect_ConnectionLostBeforeItWasStable_KeepsGrowingTheBackoff()
    {
        _harness.Client.MaxReconnectInterval = GoDuration.FromMinutes(1);
        _harness.Client.ProtocolVersion = 5;
        var client = await _harness.ConnectedAsync();

        foreach (var seconds in new[] { 1, 2 })
        {
            await _harness.Broker.Current.DropAsync();
            await _harness.PassBackoffAsync(TimeSpan.FromSeconds(seconds));
            await Eventually.TrueAsync(() => client.State == MqttConnectionState.Connected && _harness.Broker.Current.IsConnected, $"reconnected after {seconds}s");
        }

        _harness.Time.Advance(TimeSpan.FromSeconds(30));
        await _harness.Broker.Current.DropAsync();
        await _harness.PassBackoffAsync(TimeSpan.FromSeconds(1));
        await Eventually.TrueAsync(() => _harness.Broker.ConnectAttempts == 4, "reconnected after 1s: 30s up reset the backoff");
    }

    [Fact]
    public async Task Reconnect_SessionTakenOver_WaitsMaxReconnectIntervalAndSaysWhy()
    {
        var client = await TakenOverAsync();

        await Eventually.TrueAsync(() => _harness.Time.HasTimerDueIn(TimeSpan.FromMinutes(5)), "a wait of maxReconnectInterval");
        client.TakeoverCount.Should().Be(1);
        client.Problem.Should().Be("another client with this client ID is connected: the broker ended the connection with 0x8E Session Taken Over");
        var error = _harness.StateChanges.Last(e => e.State == MqttConnectionState.Reconnecting).Error.Should().BeOfType<MqttDeviceClientException>().Subject;
        error.ReasonCode.Should().Be(0x8E);
        error.Message.Should().Be($"Another client with the client ID {EngineHarness.LongClientId} is connected to the MQTT broker tcp://broker:1883: {client.Problem}.");
        _harness.Logger.Collector.GetSnapshot().Should().Contain(r => r.Id.Id == 1017 && r.Message.Contains(EngineHarness.LongClientId, StringComparison.Ordinal));
        _harness.Time.Advance(TimeSpan.FromMinutes(4));
        _harness.Broker.ConnectAttempts.Should().Be(1, "nothing is tried before the wait is over");
    }

    /// <summary>Connects on MQTT 5 with a maxReconnectInterval of 5 minutes, then the broker ends the connection with 0x8E Session Taken Over.</summary>
    private async Task<MqttDeviceClient> TakenOverAsync()
    {
        _harness.Client.MaxReconnectInterval = GoDuration.FromMinutes(5);
        _harness.Client.ProtocolVersion = 5;
        var client = await _harness.ConnectedAsync();
        _harness.Broker.Current.Write(new MqttDisconnectPacket { ReasonCode = MqttDisconnectReasonCode.SessionTakenOver });
        return client;
    }

    [Fact]
    public async Task Reconnect_ClosedSoonAfterConnackThreeTimes_SuspectsATakeover()
    {
        _harness.Client.MaxReconnectInterval = GoDuration.FromMinutes(5);
        var client = await _harness.ConnectedAsync();

        foreach (var seconds in new[] { 1, 2 })
        {
            _harness.Broker.Current.Close();
            await _harness.PassBackoffAsync(TimeSpan.FromSeconds(seconds));
            await Eventually.TrueAsync(() => client.State == MqttConnectionState.Connected && _harness.Broker.Current.IsConnected, $"reconnected after {seconds}s");
        }

        _harness.Broker.Current.Close();

        await Eventually.TrueAsync(() => _harness.Time.HasTimerDueIn(TimeSpan.FromMinutes(5)), "a wait of maxReconnectInterval");
        client.TakeoverCount.Should().Be(1);
        client.Problem.Should().Be("another client with this client ID is probably connected: the broker closed 3 connections in a row within 30s of accepting them");
        _harness.Logger.Collector.GetSnapshot().Should().Contain(r => r.Id.Id == 1017);
    }

    [Fact]
    public async Task Reconnect_TakenOverThenStable_ClearsTheProblem()
    {
        var client = await TakenOverAsync();
        await _harness.PassBackoffAsync(TimeSpan.FromMinutes(5));
        await Eventually.TrueAsync(() => client.State == MqttConnectionState.Connected, "reconnected");
        client.Problem.Should().NotBeNull("a connection must stay up before the takeover counts as over");

        _harness.Time.Advance(TimeSpan.FromSeconds(30));
        await _harness.Broker.Current.DropAsync();

        await _harness.PassBackoffAsync(TimeSpan.FromSeconds(1));
        client.Problem.Should().BeNull();
    }

    [Theory]
    [InlineData(MqttClientConnectResultCode.BadUserNameOrPassword)]
    [InlineData(MqttClientConnectResultCode.NotAuthorized)]
    [InlineData(MqttClientConnectResultCode.Banned)]
    [InlineData(MqttClientConnectResultCode.ClientIdentifierNotValid)]
    public async Task Reconnect_RefusalRetryingWillNotFix_RetriesAtMaxReconnectIntervalAndIsAProblem(MqttClientConnectResultCode code)
    {
        _harness.Options.FirstConnectPolicy = MqttFirstConnectPolicy.RetryInBackground;
        _harness.Client.MaxReconnectInterval = GoDuration.FromMinutes(2);
        _harness.Client.ProtocolVersion = 5;
        _harness.Broker.ConnectResults.Enqueue(code);
        _harness.Broker.ConnectResults.Enqueue(code);
        var client = _harness.Create();

        await client.ConnectAsync(Ct);
        client.Problem.Should().StartWith($"The MQTT broker refused the connection of {EngineHarness.LongClientId}: {code} ({(int)code})");
        await _harness.PassBackoffAsync(TimeSpan.FromMinutes(2));
        await Eventually.TrueAsync(() => _harness.Broker.ConnectAttempts == 2, "the retry");
        await _harness.PassBackoffAsync(TimeSpan.FromMinutes(2));

        await Eventually.TrueAsync(() => client.State == MqttConnectionState.Connected, "connected when the broker accepts");
        client.Problem.Should().BeNull();
        _harness.Logger.Collector.GetSnapshot().Should().Contain(r => r.Id.Id == 1020);
    }

    [Fact]
    public async Task ConnectAsync_ConnackUseAnotherServer_FollowsTheServerReferenceAtOnce()
    {
        _harness.Client.ProtocolVersion = 5;
        _harness.Broker.ConnectResults.Enqueue(MqttClientConnectResultCode.UseAnotherServer);
        _harness.Broker.ServerReference = "node-2:2883 node-3";
        var other = _harness.AddBroker("node-2");

        var client = await _harness.ConnectedAsync();

        client.State.Should().Be(MqttConnectionState.Connected);
        client.ConnectedServer.Should().Be("tcp://node-2:2883");
        other.ConnectAttempts.Should().Be(1);
        _harness.Logger.Collector.GetSnapshot().Should().Contain(r => r.Id.Id == 1018 && r.Message.Contains("tcp://node-2:2883", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Reconnect_DisconnectServerMoved_ReconnectsAtOnceToTheReferenceKeepingThePort()
    {
        _harness.Client.ProtocolVersion = 5;
        var client = await _harness.ConnectedAsync();
        var other = _harness.AddBroker("node-2");

        _harness.Broker.Current.Write(new MqttDisconnectPacket { ReasonCode = MqttDisconnectReasonCode.ServerMoved, ServerReference = "node-2" });

        await Eventually.TrueAsync(() => other.ConnectAttempts == 1 && client.State == MqttConnectionState.Connected, "connected to node-2 without a backoff");
        client.ConnectedServer.Should().Be("tcp://node-2:1883");
    }

    [Fact]
    public async Task ConnectAsync_RedirectedInALoop_StopsFollowingAfterTheBound()
    {
        _harness.Options.FirstConnectPolicy = MqttFirstConnectPolicy.RetryInBackground;
        _harness.Client.ProtocolVersion = 5;
        _harness.Broker.ServerReference = "broker:1883";
        for (var i = 0; i < 10; i++)
        {
            _harness.Broker.ConnectResults.Enqueue(MqttClientConnectResultCode.ServerMoved);
        }

        var client = _harness.Create();
        await client.ConnectAsync(Ct);

        client.State.Should().Be(MqttConnectionState.Reconnecting);
        _harness.Broker.ConnectAttempts.Should().Be(1 + ReconnectPlanner.MaxRedirects);
        await Eventually.TrueAsync(() => _harness.Time.HasTimerDueIn(TimeSpan.FromSeconds(1)), "the backoff after the round");
    }
}
