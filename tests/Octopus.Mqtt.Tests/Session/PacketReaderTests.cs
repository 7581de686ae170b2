using System.Buffers;
using MQTTnet.Exceptions;
using MQTTnet.Formatter;
using MQTTnet.Packets;
using MQTTnet.Protocol;

namespace Octopus.Mqtt.Tests.Session;

public sealed class PacketReaderTests
{
    [Fact]
    public async Task ReadAsync_SeveralPacketsInOneChunk_ReturnsEachWithOneRead()
    {
        var channel = new ChunkChannel([[0x40, 0x02, 0x00, 0x01, 0x50, 0x02, 0x00, 0x02, 0x70, 0x02, 0x00, 0x03]]);
        var reader = CreateReader(channel);

        var first = await reader.ReadAsync(CancellationToken.None);
        first.Should().BeOfType<MqttPubAckPacket>().Which.PacketIdentifier.Should().Be(1);
        var second = await reader.ReadAsync(CancellationToken.None);
        second.Should().BeOfType<MqttPubRecPacket>().Which.PacketIdentifier.Should().Be(2);
        var third = await reader.ReadAsync(CancellationToken.None);
        third.Should().BeOfType<MqttPubCompPacket>().Which.PacketIdentifier.Should().Be(3);

        channel.Reads.Should().Be(1);
        (await reader.ReadAsync(CancellationToken.None)).Should().BeNull("the transport closed");
    }

    [Fact]
    public async Task ReadAsync_PacketSplitAcrossChunks_ReturnsItWhole()
    {
        var publish = Encode(new MqttPublishPacket
        {
            Topic = "a/b",
            Payload = new ReadOnlySequence<byte>("hello"u8.ToArray()),
            QualityOfServiceLevel = MqttQualityOfServiceLevel.AtLeastOnce,
            PacketIdentifier = 9,
        });
        var reader = CreateReader(new ChunkChannel([publish[..1], publish[1..4], publish[4..]]));

        var packet = await reader.ReadAsync(CancellationToken.None);

        var received = packet.Should().BeOfType<MqttPublishPacket>().Subject;
        received.Topic.Should().Be("a/b");
        received.PacketIdentifier.Should().Be(9);
        received.Payload.ToArray().Should().Equal("hello"u8.ToArray());
    }

    [Fact]
    public async Task ReadAsync_PacketLargerThanTheBuffer_ReturnsItWhole()
    {
        var payload = Enumerable.Range(0, 5000).Select(i => (byte)i).ToArray();
        var publish = Encode(new MqttPublishPacket { Topic = "big", Payload = new ReadOnlySequence<byte>(payload) });
        var reader = CreateReader(new ChunkChannel([[.. publish, 0x40, 0x02, 0x00, 0x05]]));

        var packet = await reader.ReadAsync(CancellationToken.None);
        var next = await reader.ReadAsync(CancellationToken.None);

        packet.Should().BeOfType<MqttPublishPacket>().Which.Payload.ToArray().Should().Equal(payload);
        next.Should().BeOfType<MqttPubAckPacket>().Which.PacketIdentifier.Should().Be(5, "what followed the large packet is read too");
    }

    [Fact]
    public async Task ReadAsync_PublishesInOneChunk_EachKeepsItsOwnPayload()
    {
        var one = Encode(new MqttPublishPacket { Topic = "t", Payload = new ReadOnlySequence<byte>("one"u8.ToArray()) });
        var two = Encode(new MqttPublishPacket { Topic = "t", Payload = new ReadOnlySequence<byte>("two"u8.ToArray()) });
        var reader = CreateReader(new ChunkChannel([[.. one, .. two]]));

        var first = (MqttPublishPacket)(await reader.ReadAsync(CancellationToken.None))!;
        var second = (MqttPublishPacket)(await reader.ReadAsync(CancellationToken.None))!;

        first.Payload.ToArray().Should().Equal("one"u8.ToArray(), "a PUBLISH is handed on to another thread and must not share the read buffer");
        second.Payload.ToArray().Should().Equal("two"u8.ToArray());
    }

    [Fact]
    public async Task ReadAsync_Version5AckWithReasonCode_DecodesTheReason()
    {
        var reader = CreateReader(new ChunkChannel([[0x40, 0x04, 0x00, 0x07, 0x87, 0x00]]), MqttProtocolVersion.V500);

        var packet = await reader.ReadAsync(CancellationToken.None);

        var ack = packet.Should().BeOfType<MqttPubAckPacket>().Subject;
        ack.PacketIdentifier.Should().Be(7);
        ack.ReasonCode.Should().Be(MqttPubAckReasonCode.NotAuthorized);
    }

    [Fact]
    public async Task ReadAsync_RemainingLengthOfFiveBytes_ThrowsProtocolViolation()
    {
        var reader = CreateReader(new ChunkChannel([[0x30, 0xFF, 0xFF, 0xFF, 0xFF, 0x01]]));

        await FluentActions.Awaiting(async () => await reader.ReadAsync(CancellationToken.None))
            .Should().ThrowAsync<MqttProtocolViolationException>().WithMessage("Remaining length is invalid.");
    }

    [Fact]
    public async Task ReadAsync_ClosedMidPacket_ReturnsNull()
    {
        var reader = CreateReader(new ChunkChannel([[0x40, 0x02, 0x00]]));

        (await reader.ReadAsync(CancellationToken.None)).Should().BeNull();
    }

    private static PacketReader CreateReader(ChunkChannel channel, MqttProtocolVersion version = MqttProtocolVersion.V311) =>
        new(channel.ReadAsync, new MqttPacketFormatterAdapter(version, new MqttBufferWriter(4096, 65536)));

    private static byte[] Encode(MqttPacket packet)
    {
        var formatter = new MqttPacketFormatterAdapter(MqttProtocolVersion.V311, new MqttBufferWriter(4096, 65536));
        var buffer = formatter.Encode(packet);
        return [.. buffer.Packet, .. buffer.Payload.ToArray()];
    }

    /// <summary>A transport that returns the given chunks, one (or part of one) per read, then end of stream.</summary>
    private sealed class ChunkChannel(byte[][] chunks)
    {
        private int _chunk;
        private int _offset;

        public int Reads { get; private set; }

        public ValueTask<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
        {
            if (_chunk == chunks.Length)
            {
                return ValueTask.FromResult(0);
            }

            Reads++;
            var chunk = chunks[_chunk];
            var length = Math.Min(count, chunk.Length - _offset);
            chunk.AsSpan(_offset, length).CopyTo(buffer.AsSpan(offset));
            _offset += length;
            if (_offset == chunk.Length)
            {
                _chunk++;
                _offset = 0;
            }

            return ValueTask.FromResult(length);
        }
    }
}
