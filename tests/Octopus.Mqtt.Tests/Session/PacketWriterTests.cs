using MQTTnet.Exceptions;
using MQTTnet.Formatter;
using MQTTnet.Packets;

namespace Octopus.Mqtt.Tests.Session;

public sealed class PacketWriterTests
{
    [Fact]
    public async Task WriteAsync_WriterIdle_WritesThePacketBeforeReturning()
    {
        var sink = new Sink();
        using var writer = sink.CreateWriter();

        var task = writer.WriteAsync(Ack(7), CancellationToken.None);

        task.IsCompletedSuccessfully.Should().BeTrue("a lone packet is written at once, on the caller's thread");
        sink.Writes.Should().ContainSingle().Which.Should().Equal(0x40, 0x02, 0x00, 0x07);
        await task;
    }

    [Fact]
    public async Task WriteAsync_PacketsSentDuringAWrite_GoOutTogetherInOneWriteInOrder()
    {
        var sink = new Sink();
        using var writer = sink.CreateWriter();
        var held = sink.HoldNext();
        var first = writer.WriteAsync(Ack(1), CancellationToken.None);
        var later = new[] { writer.WriteAsync(Ack(2), CancellationToken.None).AsTask(), writer.WriteAsync(Ack(3), CancellationToken.None).AsTask(), writer.WriteAsync(Ack(4), CancellationToken.None).AsTask() };

        sink.Writes.Should().HaveCount(1, "the packets sent during the write wait for it");
        first.IsCompleted.Should().BeFalse();
        held.SetResult();
        await first;
        foreach (var task in later)
        {
            await task;
        }

        sink.Writes.Should().HaveCount(2);
        Ids(sink.Writes[1]).Should().Equal(2, 3, 4);
    }

    [Fact]
    public async Task WriteAsync_ConcurrentSenders_KeepEachSendersOrderAndLoseNothing()
    {
        const int Senders = 4;
        const int PerSender = 300;
        var sink = new Sink { YieldEvery = 3 };
        using var writer = sink.CreateWriter();

        await Task.WhenAll(Enumerable.Range(0, Senders).Select(sender => Task.Run(async () =>
        {
            for (var i = 1; i <= PerSender; i++)
            {
                // Not awaited one by one: a sender's packets pile up behind a write under way.
                var task = writer.WriteAsync(Ack((ushort)((sender * 1000) + i)), CancellationToken.None);
                if (i % 50 == 0)
                {
                    await task;
                }
                else
                {
                    _ = task.AsTask();
                }
            }
        })));
        await writer.FlushAsync(CancellationToken.None);

        var ids = sink.Writes.SelectMany(Ids).ToList();
        ids.Should().HaveCount(Senders * PerSender);
        for (var sender = 0; sender < Senders; sender++)
        {
            ids.Where(id => id / 1000 == sender).Should().BeInAscendingOrder($"sender {sender}'s packets keep the order it sent them in");
        }
    }

    [Fact]
    public async Task WriteAsync_WriteFails_FailsEveryPacketOfTheBatchAndTheWriter()
    {
        var sink = new Sink();
        using var writer = sink.CreateWriter();
        var held = sink.HoldNext();
        var first = writer.WriteAsync(Ack(1), CancellationToken.None);
        var second = writer.WriteAsync(Ack(2), CancellationToken.None);
        var third = writer.WriteAsync(Ack(3), CancellationToken.None);
        sink.FailNext(new IOException("Connection reset (half written)."));

        held.SetResult();
        await first;
        var secondFailure = await FluentActions.Awaiting(async () => await second).Should().ThrowAsync<MqttCommunicationException>();
        var thirdFailure = await FluentActions.Awaiting(async () => await third).Should().ThrowAsync<MqttCommunicationException>();

        secondFailure.Which.InnerException.Should().BeOfType<IOException>();
        thirdFailure.Which.InnerException.Should().BeOfType<IOException>();
        FluentActions.Invoking(() => writer.WriteAsync(Ack(4), CancellationToken.None))
            .Should().Throw<MqttCommunicationException>().WithMessage("The connection is unusable: an earlier write failed.");
        sink.Writes.Should().ContainSingle("the failed write (2 and 3 together) took nothing, and nothing is written after it");
    }

    [Fact]
    public async Task WriteAsync_WriteFailsWithPacketsWaiting_FailsTheWaitingPacketsToo()
    {
        var sink = new Sink();
        using var writer = sink.CreateWriter();
        var held = sink.HoldNext();
        var first = writer.WriteAsync(Ack(1), CancellationToken.None);
        var waiting = writer.WriteAsync(Ack(2), CancellationToken.None);

        held.SetException(new IOException("Broken pipe."));

        await FluentActions.Awaiting(async () => await first).Should().ThrowAsync<MqttCommunicationException>();
        await FluentActions.Awaiting(async () => await waiting).Should().ThrowAsync<MqttCommunicationException>()
            .WithMessage("The packet was not written: the connection failed.");
        sink.Writes.Should().HaveCount(1);
    }

    [Fact]
    public async Task WriteAsync_PacketTheCodecRefuses_FailsAloneAndWritesNothingOfIt()
    {
        var sink = new Sink();
        using var writer = sink.CreateWriter();

        FluentActions.Invoking(() => writer.WriteAsync(new MqttPubAckPacket(), CancellationToken.None))
            .Should().Throw<MqttProtocolViolationException>();
        await writer.WriteAsync(Ack(9), CancellationToken.None);

        sink.Writes.Should().ContainSingle().Which.Should().Equal(0x40, 0x02, 0x00, 0x09);
    }

    [Fact]
    public void WriteAsync_TokenAlreadyCancelled_ThrowsAndWritesNothing()
    {
        var sink = new Sink();
        using var writer = sink.CreateWriter();

        FluentActions.Invoking(() => writer.WriteAsync(Ack(1), new CancellationToken(canceled: true)))
            .Should().Throw<OperationCanceledException>();

        sink.Writes.Should().BeEmpty();
    }

    [Fact]
    public async Task WriteAsync_CancelledDuringItsWrite_FailsThePacketAndTheWriter()
    {
        var sink = new Sink();
        using var writer = sink.CreateWriter();
        using var cancellation = new CancellationTokenSource();
        sink.HoldNext();
        var task = writer.WriteAsync(Ack(1), cancellation.Token);

        await cancellation.CancelAsync();

        await FluentActions.Awaiting(async () => await task).Should().ThrowAsync<OperationCanceledException>();
        FluentActions.Invoking(() => writer.WriteAsync(Ack(2), CancellationToken.None))
            .Should().Throw<MqttCommunicationException>("half a packet may be in the stream");
    }

    [Fact]
    public async Task Enqueue_ThenFlushAsync_WritesThePacketsInOneWriteAndMayReuseThePacket()
    {
        var sink = new Sink();
        using var writer = sink.CreateWriter();
        var packet = Ack(1);

        writer.Enqueue(packet);
        packet.PacketIdentifier = 2;
        writer.Enqueue(packet);
        sink.Writes.Should().BeEmpty("nothing is written until a flush");
        await writer.FlushAsync(CancellationToken.None);

        sink.Writes.Should().ContainSingle();
        Ids(sink.Writes[0]).Should().Equal(1, 2);
    }

    [Fact]
    public async Task FlushAsync_WhileItsPacketsAreBeingWritten_CompletesWhenThatWriteEnds()
    {
        var sink = new Sink();
        using var writer = sink.CreateWriter();
        var held = sink.HoldNext();
        writer.Enqueue(Ack(1));
        var write = writer.WriteAsync(Ack(2), CancellationToken.None);

        var flush = writer.FlushAsync(CancellationToken.None);

        flush.IsCompleted.Should().BeFalse("packet 1 is in the write under way");
        held.SetResult();
        await flush;
        await write;
        sink.Writes.Should().ContainSingle();
        Ids(sink.Writes[0]).Should().Equal(1, 2);
    }

    [Fact]
    public async Task FlushAsync_NothingHandedOver_CompletesWithoutWriting()
    {
        var sink = new Sink();
        using var writer = sink.CreateWriter();

        var flush = writer.FlushAsync(CancellationToken.None);

        flush.IsCompletedSuccessfully.Should().BeTrue();
        await flush;

        sink.Writes.Should().BeEmpty();
    }

    private static MqttPubAckPacket Ack(ushort id) => new() { PacketIdentifier = id };

    private static IEnumerable<int> Ids(byte[] bytes)
    {
        bytes.Length.Should().Be(bytes.Length / 4 * 4, "a 3.1.1 PUBACK is 4 bytes");
        for (var i = 0; i < bytes.Length; i += 4)
        {
            bytes[i].Should().Be(0x40);
            bytes[i + 1].Should().Be(0x02);
            yield return (bytes[i + 2] << 8) | bytes[i + 3];
        }
    }

    /// <summary>The transport under the writer: records each write; a write can be held open or failed.</summary>
    private sealed class Sink
    {
        private readonly Lock _gate = new();
        private readonly List<byte[]> _writes = [];
        private TaskCompletionSource? _hold;
        private Exception? _fail;
        private int _count;

        /// <summary>Gets or sets every how many writes one completes asynchronously (0: none).</summary>
        public int YieldEvery { get; init; }

        public List<byte[]> Writes
        {
            get
            {
                lock (_gate)
                {
                    return [.. _writes];
                }
            }
        }

        public PacketWriter CreateWriter() =>
            new(new MqttPacketFormatterAdapter(MqttProtocolVersion.V311, new MqttBufferWriter(4096, 65536)), WriteAsync);

        /// <summary>Makes the next write wait until the returned source completes.</summary>
        public TaskCompletionSource HoldNext()
        {
            var hold = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            lock (_gate)
            {
                _hold = hold;
            }

            return hold;
        }

        public void FailNext(Exception error)
        {
            lock (_gate)
            {
                _fail = error;
            }
        }

        private async ValueTask WriteAsync(ReadOnlyMemory<byte> bytes, CancellationToken cancellationToken)
        {
            TaskCompletionSource? hold;
            Exception? fail;
            bool yield;
            lock (_gate)
            {
                hold = _hold;
                _hold = null;
                fail = _fail;
                _fail = null;
                if (fail is null)
                {
                    _writes.Add(bytes.ToArray());
                }

                _count++;
                yield = YieldEvery > 0 && _count % YieldEvery == 0;
            }

            if (fail is not null)
            {
                throw fail;
            }

            if (hold is not null)
            {
                await hold.Task.WaitAsync(cancellationToken);
            }
            else if (yield)
            {
                await Task.Yield();
            }
        }
    }
}
