using MQTTnet;
using Octopus.Mqtt.Tests.Connection;

namespace Octopus.Mqtt.Tests.Publishing;

public sealed partial class MqttDeviceClientTests
{
    [Fact]
    public async Task ReconnectNow_DuringTheBackoff_ReconnectsWithoutTheClockMoving()
    {
        _harness.Options.FirstConnectPolicy = MqttFirstConnectPolicy.RetryInBackground;
        _harness.Broker.ConnectResults.Enqueue(MqttClientConnectResultCode.ServerUnavailable);
        var client = _harness.Create();
        await client.ConnectAsync(Ct);
        await Eventually.TrueAsync(() => _harness.Time.HasTimerDueIn(TimeSpan.FromSeconds(1)), "the backoff delay is armed");
        var now = _harness.Time.GetUtcNow();

        client.ReconnectNow();

        await Eventually.TrueAsync(() => client.State == MqttConnectionState.Connected, "connected");
        _harness.Broker.ConnectAttempts.Should().Be(2);
        _harness.Time.GetUtcNow().Should().Be(now);
    }

    [Fact]
    public async Task ReconnectNow_Used_TheNextBackoffIsWaitedAgain()
    {
        _harness.Options.FirstConnectPolicy = MqttFirstConnectPolicy.RetryInBackground;
        _harness.Broker.ConnectResults.Enqueue(MqttClientConnectResultCode.ServerUnavailable);
        _harness.Broker.ConnectResults.Enqueue(MqttClientConnectResultCode.ServerUnavailable);
        var client = _harness.Create();
        await client.ConnectAsync(Ct);
        await Eventually.TrueAsync(() => _harness.Time.HasTimerDueIn(TimeSpan.FromSeconds(1)), "the first backoff delay is armed");

        client.ReconnectNow();

        await Eventually.TrueAsync(() => _harness.Time.HasTimerDueIn(TimeSpan.FromSeconds(2)), "the second backoff delay is armed");
        _harness.Broker.ConnectAttempts.Should().Be(2);
        client.State.Should().Be(MqttConnectionState.Reconnecting);
        _harness.Time.Advance(TimeSpan.FromSeconds(2));
        await Eventually.TrueAsync(() => client.State == MqttConnectionState.Connected, "connected after the second delay");
        _harness.Broker.ConnectAttempts.Should().Be(3);
    }

    [Fact]
    public async Task ReconnectNow_CalledBeforeTheDelay_TheNextDelayIsSkipped()
    {
        _harness.Options.FirstConnectPolicy = MqttFirstConnectPolicy.RetryInBackground;
        _harness.Broker.ConnectResults.Enqueue(MqttClientConnectResultCode.ServerUnavailable);
        var client = _harness.Create();
        client.ReconnectNow();

        await client.ConnectAsync(Ct);

        await Eventually.TrueAsync(() => client.State == MqttConnectionState.Connected, "connected without waiting for the backoff");
        _harness.Broker.ConnectAttempts.Should().Be(2);
    }
}
