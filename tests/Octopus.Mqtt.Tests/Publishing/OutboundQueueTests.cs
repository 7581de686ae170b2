namespace Octopus.Mqtt.Tests.Publishing;

public sealed class OutboundQueueTests
{
    private static OutboundMessage Message(long sequence) => new(sequence, "t", new PayloadBuffer([], 0), MqttQos.AtLeastOnce, false);

    private static long[] Drain(OutboundQueue queue) => queue.DrainAll().Select(m => m.Sequence).ToArray();

    [Fact]
    public void Insert_InOrder_DequeuesFirstInFirstOut()
    {
        var queue = new OutboundQueue();
        for (var i = 1; i <= 5; i++)
        {
            queue.Insert(Message(i));
        }

        queue.Dequeue().Sequence.Should().Be(1);
        queue.Count.Should().Be(4);
        Drain(queue).Should().Equal(2, 3, 4, 5);
    }

    [Fact]
    public void Insert_ResentMessage_GoesBackToItsPlace()
    {
        var queue = new OutboundQueue();
        for (var i = 1; i <= 4; i++)
        {
            queue.Insert(Message(i));
        }

        var first = queue.Dequeue();
        var second = queue.Dequeue();
        queue.Insert(Message(5));
        queue.Insert(second);
        queue.Insert(first);

        Drain(queue).Should().Equal(1, 2, 3, 4, 5);
    }

    [Fact]
    public void Insert_BeyondCapacityWhileWrapped_GrowsAndKeepsOrder()
    {
        var queue = new OutboundQueue();
        var next = 1L;
        for (var i = 0; i < 12; i++)
        {
            queue.Insert(Message(next++));
        }

        for (var i = 0; i < 10; i++)
        {
            queue.Dequeue();
        }

        for (var i = 0; i < 40; i++)
        {
            queue.Insert(Message(next++));
        }

        queue.Insert(Message(0));

        Drain(queue).Should().Equal(new long[] { 0 }.Concat(Enumerable.Range(11, 42).Select(i => (long)i)));
    }

    [Fact]
    public void Dequeue_Empty_Throws() =>
        FluentActions.Invoking(() => new OutboundQueue().Dequeue()).Should().Throw<InvalidOperationException>().WithMessage("The queue is empty.");
}
