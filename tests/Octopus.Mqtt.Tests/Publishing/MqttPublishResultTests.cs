namespace Octopus.Mqtt.Tests.Publishing;

public sealed class MqttPublishResultTests
{
    [Fact]
    public void Dropped_WithoutReasonCode_IsCached()
    {
        MqttPublishResult.Dropped(MqttDropReason.QueueOverflow).Should().BeSameAs(MqttPublishResult.Dropped(MqttDropReason.QueueOverflow));
        MqttPublishResult.Dropped(MqttDropReason.RefusedByBroker, 135).Should().NotBeSameAs(MqttPublishResult.Dropped(MqttDropReason.RefusedByBroker, 135));
    }

    [Fact]
    public void ToString_SaysWhatHappened()
    {
        MqttPublishResult.Delivered.ToString().Should().Be("Delivered");
        MqttPublishResult.Queued.ToString().Should().Be("Queued");
        MqttPublishResult.Dropped(MqttDropReason.Disposed).ToString().Should().Be("Dropped (Disposed)");
        MqttPublishResult.Dropped(MqttDropReason.RefusedByBroker, 135).ToString().Should().Be("Dropped (RefusedByBroker, reason code 135)");
    }

    [Fact]
    public void Properties_DescribeTheOutcome()
    {
        MqttPublishResult.Delivered.IsDelivered.Should().BeTrue();
        var refused = MqttPublishResult.Dropped(MqttDropReason.RefusedByBroker, 135);
        refused.IsDelivered.Should().BeFalse();
        refused.Status.Should().Be(MqttPublishStatus.Dropped);
        refused.DropReason.Should().Be(MqttDropReason.RefusedByBroker);
        refused.ReasonCode.Should().Be(135);
    }
}
