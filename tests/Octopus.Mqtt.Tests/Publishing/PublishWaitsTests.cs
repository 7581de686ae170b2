using Microsoft.Extensions.Time.Testing;

namespace Octopus.Mqtt.Tests.Publishing;

public sealed class PublishWaitsTests
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(5);

    [Fact]
    public async Task Add_DeadlinePasses_AnswersQueued()
    {
        var time = new FakeTimeProvider();
        var waits = new PublishWaits(Limit, time);
        var message = NewMessage(1);

        waits.Add(message);
        time.Advance(Limit - TimeSpan.FromMilliseconds(1));
        message.Outcome.IsCompleted.Should().BeFalse();
        time.Advance(TimeSpan.FromMilliseconds(1));

        message.Outcome.IsCompletedSuccessfully.Should().BeTrue();
        (await message.Outcome).Should().BeSameAs(MqttPublishResult.Queued);
    }

    [Fact]
    public async Task Add_AnsweredBeforeTheDeadline_KeepsItsOutcome()
    {
        var time = new FakeTimeProvider();
        var waits = new PublishWaits(Limit, time);
        var message = NewMessage(1);

        waits.Add(message);
        message.Complete(MqttPublishResult.Delivered);
        time.Advance(Limit);

        (await message.Outcome).Should().BeSameAs(MqttPublishResult.Delivered);
    }

    [Fact]
    public async Task Add_CallsAtDifferentTimes_EachBoundedFromItsOwnStart()
    {
        var time = new FakeTimeProvider();
        var waits = new PublishWaits(Limit, time);
        var first = NewMessage(1);
        var second = NewMessage(2);

        waits.Add(first);
        time.Advance(TimeSpan.FromSeconds(3));
        waits.Add(second);
        time.Advance(TimeSpan.FromSeconds(2));

        first.Outcome.IsCompleted.Should().BeTrue();
        second.Outcome.IsCompleted.Should().BeFalse();
        time.Advance(TimeSpan.FromSeconds(3));
        second.Outcome.IsCompleted.Should().BeTrue();
        (await second.Outcome).Should().BeSameAs(MqttPublishResult.Queued);
    }

    [Fact]
    public void Add_ManyCalls_OneTimer()
    {
        var time = new CountingTimeProvider();
        var waits = new PublishWaits(Limit, time);

        for (var i = 0; i < 100; i++)
        {
            var message = NewMessage(i);
            waits.Add(message);
            message.Complete(MqttPublishResult.Delivered);
            time.Advance(TimeSpan.FromSeconds(1));
        }

        time.TimersCreated.Should().Be(1);
    }

    private static OutboundMessage NewMessage(long sequence) =>
        new(sequence, "octopus/device", PayloadBuffer.Copy([1, 2, 3]), MqttQos.AtLeastOnce, retain: false);

    private sealed class CountingTimeProvider : FakeTimeProvider
    {
        public int TimersCreated { get; private set; }

        public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
        {
            TimersCreated++;
            return base.CreateTimer(callback, state, dueTime, period);
        }
    }
}
