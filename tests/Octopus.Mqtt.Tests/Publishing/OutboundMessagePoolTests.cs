namespace Octopus.Mqtt.Tests.Publishing;

public sealed class OutboundMessagePoolTests
{
    [Fact]
    public async Task Rent_AfterTheSessionAndTheCallerAreDone_ReusesTheMessage()
    {
        var pool = new OutboundMessagePool();
        var first = Rent(pool, 1);

        first.Complete(MqttPublishResult.Delivered);
        (await first.Outcome).Should().BeSameAs(MqttPublishResult.Delivered);

        pool.Count.Should().Be(1);
        var second = Rent(pool, 2);
        second.Should().BeSameAs(first);
        second.Sequence.Should().Be(2);
        second.Outcome.IsCompleted.Should().BeFalse();
    }

    [Fact]
    public async Task Complete_Twice_EndsTheSessionsHoldOnce()
    {
        var pool = new OutboundMessagePool();
        var message = Rent(pool, 1);

        message.Complete(MqttPublishResult.Delivered);
        message.Complete(MqttPublishResult.Dropped(MqttDropReason.Disposed));

        // The caller has not taken its answer: the message must not be back in the pool.
        pool.Count.Should().Be(0);
        (await message.Outcome).Should().BeSameAs(MqttPublishResult.Delivered);
        pool.Count.Should().Be(1);
    }

    [Fact]
    public async Task Hold_KeepsTheMessageOutOfThePoolUntilReleased()
    {
        var pool = new OutboundMessagePool();
        var message = Rent(pool, 1);
        message.Hold();

        message.Complete(MqttPublishResult.Delivered);
        await message.Outcome;

        pool.Count.Should().Be(0);
        message.Topic.Should().Be("octopus/device", "the holder may still read it");
        message.Release();
        pool.Count.Should().Be(1);
    }

    [Fact]
    public async Task TryAnswer_AnsweredQueuedFirst_TheFinalOutcomeDoesNotReachTheCallerAndTheMessageGoesBackAfterIt()
    {
        var pool = new OutboundMessagePool();
        var message = Rent(pool, 1);

        message.TryAnswer(MqttPublishResult.Queued, message.Generation).Should().BeTrue();
        (await message.Outcome).Should().BeSameAs(MqttPublishResult.Queued);
        pool.Count.Should().Be(0, "the session still holds it");

        message.Complete(MqttPublishResult.Delivered);
        pool.Count.Should().Be(1);
    }

    [Fact]
    public async Task TryAnswer_WithTheGenerationOfAnEarlierUse_DoesNotAnswerTheNextUse()
    {
        var pool = new OutboundMessagePool();
        var first = Rent(pool, 1);
        var generation = first.Generation;
        first.Complete(MqttPublishResult.Delivered);
        await first.Outcome;

        var second = Rent(pool, 2);
        second.Should().BeSameAs(first);

        second.IsAnswered(generation).Should().BeTrue("that use is over");
        second.IsAnswered(second.Generation).Should().BeFalse();
        second.TryAnswer(MqttPublishResult.Queued, generation).Should().BeFalse();
        second.Outcome.IsCompleted.Should().BeFalse();
    }

    [Fact]
    public void Release_CallerTakesNoAnswer_TheMessageGoesBackWhenTheSessionIsDone()
    {
        var pool = new OutboundMessagePool();
        var message = Rent(pool, 1);

        message.Release();
        pool.Count.Should().Be(0);
        message.Complete(MqttPublishResult.Delivered);

        pool.Count.Should().Be(1);
        Rent(pool, 2).Outcome.IsCompleted.Should().BeFalse();
    }

    [Fact]
    public async Task Return_PoolFull_KeepsNoMore()
    {
        var pool = new OutboundMessagePool();
        var messages = Enumerable.Range(0, OutboundMessagePool.Capacity + 5).Select(i => Rent(pool, i)).ToList();

        foreach (var message in messages)
        {
            message.Complete(MqttPublishResult.Delivered);
            await message.Outcome;
        }

        pool.Count.Should().Be(OutboundMessagePool.Capacity);
    }

    [Fact]
    public async Task Complete_ReleasesThePayload_AndTheNextUseStartsClean()
    {
        var pool = new OutboundMessagePool();
        var message = Rent(pool, 1);
        message.Store = new NoStore();
        message.PacketId = 7;
        message.Phase = OutboundPhase.Published;

        message.Complete(MqttPublishResult.Delivered);
        message.Payload.Length.Should().Be(0);
        await message.Outcome;

        var next = pool.Rent(2, "octopus/other", PayloadBuffer.Copy([9]), MqttQos.AtMostOnce, retain: true);
        next.Should().BeSameAs(message);
        next.Should().BeEquivalentTo(
            new { Sequence = 2L, Topic = "octopus/other", Qos = MqttQos.AtMostOnce, Retain = true, Store = (IMessageStore?)null, PacketId = (ushort)0, Phase = OutboundPhase.Unsent, Properties = (MessageProperties?)null },
            options => options.ExcludingMissingMembers());
        next.Payload.ToArray().Should().Equal(9);
    }

    private static OutboundMessage Rent(OutboundMessagePool pool, long sequence) =>
        pool.Rent(sequence, "octopus/device", PayloadBuffer.Copy([1, 2, 3]), MqttQos.AtLeastOnce, retain: false);

    private sealed class NoStore : IMessageStore
    {
        public string Location => "nowhere";

        public IReadOnlyList<StoredMessage> Load() => [];

        public void Save(OutboundMessage message)
        {
        }

        public void Delete(long sequence)
        {
        }

        public void Dispose()
        {
        }
    }
}
