using Octopus.Mqtt.Tests.Connection;

namespace Octopus.Mqtt.Tests.Publishing;

public sealed partial class MqttDeviceClientTests
{
    [Fact]
    public async Task PublishAsync_WithoutTokenNotAcknowledgedWithinWaitTimeout_ReturnsQueuedAndStillDelivers()
    {
        _harness.Client.WaitTimeout = GoDuration.FromSeconds(2);
        _harness.Broker.HoldPublishes = true;
        var client = await _harness.ConnectedAsync();

        var call = client.PublishAsync(Bytes("slow"), null, CancellationToken.None).AsTask();
        await Eventually.TrueAsync(() => _harness.Broker.Attempts.Count == 1, "the message is in flight");
        await Eventually.TrueAsync(() => _harness.Time.HasTimerDueIn(TimeSpan.FromSeconds(2)), "the wait is bounded");
        _harness.Time.Advance(TimeSpan.FromSeconds(2));

        (await call.WaitAsync(Eventually.DefaultTimeout, Ct)).Should().BeSameAs(MqttPublishResult.Queued);
        client.State.Should().Be(MqttConnectionState.Connected);
        _harness.Broker.ReleasePublishes();
        await Eventually.TrueAsync(() => _harness.Broker.Published.Count == 1, "the message is still delivered");
    }
}
