using System.Runtime.CompilerServices;
using MQTTnet.Adapter;
using MQTTnet.Exceptions;
using MQTTnet.Formatter;
using MQTTnet.Packets;
using MQTTnet.Protocol;

namespace Octopus.Mqtt;

/// <summary>
/// The reading side of a connection: reads the transport in chunks into one small buffer and cuts whole packets out
/// of it, so several packets that arrived together cost one read. A successful PUBACK, PUBREC or PUBCOMP (the short
/// form, two bytes of packet identifier) is decoded into a packet object of the reader's own that the next read
/// reuses; every other packet is decoded by MQTTnet's codec of the connection's protocol version into a new object.
/// </summary>
internal sealed class PacketReader
{
    private const int BufferSize = 256;
    private readonly Func<byte[], int, int, CancellationToken, ValueTask<int>> _read;
    private readonly MqttPacketFormatterAdapter _formatter;
    private readonly byte[] _buffer = new byte[BufferSize];
    private MqttPubAckPacket? _pubAck;
    private MqttPubRecPacket? _pubRec;
    private MqttPubCompPacket? _pubComp;
    private int _start;
    private int _end;

    /// <summary>Initializes a new instance of the <see cref="PacketReader"/> class.</summary>
    /// <param name="read">Reads the transport: what arrived, up to the count, into the array at the offset; 0 when it was closed.</param>
    /// <param name="formatter">The codec of the connection's protocol version.</param>
    public PacketReader(Func<byte[], int, int, CancellationToken, ValueTask<int>> read, MqttPacketFormatterAdapter formatter)
    {
        _read = read;
        _formatter = formatter;
    }

    /// <summary>Reads the next packet.</summary>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>
    /// The packet, or <see langword="null"/> when the transport was closed. A PUBACK, PUBREC or PUBCOMP may be an
    /// object the next call reuses: handle it before reading again.
    /// </returns>
    /// <exception cref="MqttProtocolViolationException">The bytes are not an MQTT packet.</exception>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public async ValueTask<MqttPacket?> ReadAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            if (TryCut(out var packet, out var bigBody, out var headerLength))
            {
                return packet;
            }

            if (bigBody > 0)
            {
                return await ReadBigAsync(bigBody, headerLength, cancellationToken).ConfigureAwait(false);
            }

            if (_start > 0)
            {
                _buffer.AsSpan(_start, _end - _start).CopyTo(_buffer);
                _end -= _start;
                _start = 0;
            }

            var read = await _read(_buffer, _end, _buffer.Length - _end, cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                return null;
            }

            _end += read;
        }
    }

    /// <summary>Parses the fixed header of the packet at the start of <paramref name="bytes"/>.</summary>
    /// <returns>The header's length, or 0 when it is not all there yet.</returns>
    private static int ReadHeader(ReadOnlySpan<byte> bytes, out int remaining)
    {
        remaining = 0;
        var multiplier = 1;
        for (var i = 1; i < bytes.Length; i++)
        {
            if (i > 4)
            {
                throw new MqttProtocolViolationException("Remaining length is invalid.");
            }

            remaining += (bytes[i] & 0x7F) * multiplier;
            multiplier <<= 7;
            if ((bytes[i] & 0x80) == 0)
            {
                return i + 1;
            }
        }

        return 0;
    }

    /// <summary>Cuts the next whole packet out of the buffer.</summary>
    /// <param name="packet">The packet, when the buffer held all of it.</param>
    /// <param name="bigBody">The body length of a packet larger than the buffer, to be read on its own; 0 otherwise.</param>
    /// <param name="headerLength">The fixed header's length of that packet.</param>
    /// <returns><see langword="true"/> when <paramref name="packet"/> was cut.</returns>
    private bool TryCut(out MqttPacket? packet, out int bigBody, out int headerLength)
    {
        packet = null;
        bigBody = 0;
        var available = _buffer.AsSpan(_start, _end - _start);
        var remaining = 0;
        headerLength = available.IsEmpty ? 0 : ReadHeader(available, out remaining);
        if (headerLength == 0)
        {
            return false;
        }

        if (headerLength + remaining > _buffer.Length)
        {
            bigBody = remaining;
            return false;
        }

        if (headerLength + remaining > available.Length)
        {
            return false;
        }

        packet = Decode(available[0], available.Slice(headerLength, remaining));
        _start += headerLength + remaining;
        if (_start == _end)
        {
            _start = _end = 0;
        }

        return true;
    }

    private MqttPacket Decode(byte first, ReadOnlySpan<byte> body)
    {
        if (body.Length == 2)
        {
            var id = (ushort)((body[0] << 8) | body[1]);
            switch (first)
            {
                case 0x40:
                    _pubAck ??= new MqttPubAckPacket();
                    _pubAck.PacketIdentifier = id;
                    _pubAck.ReasonCode = MqttPubAckReasonCode.Success;
                    return _pubAck;
                case 0x50:
                    _pubRec ??= new MqttPubRecPacket();
                    _pubRec.PacketIdentifier = id;
                    _pubRec.ReasonCode = MqttPubRecReasonCode.Success;
                    return _pubRec;
                case 0x70:
                    _pubComp ??= new MqttPubCompPacket();
                    _pubComp.PacketIdentifier = id;
                    _pubComp.ReasonCode = MqttPubCompReasonCode.Success;
                    return _pubComp;
            }
        }

        // A new body for each packet: MQTTnet's decoded packets may keep a reference to it (a PUBLISH's payload).
        return Decode(first, body.ToArray());
    }

    private MqttPacket Decode(byte first, byte[] body) =>
        _formatter.Decode(new ReceivedMqttPacket(first, new ArraySegment<byte>(body), body.Length + 2))
        ?? throw new MqttProtocolViolationException("Received malformed packet.");

    /// <summary>Reads a packet larger than the buffer: what the buffer holds of its body, then the rest straight into the body.</summary>
    private async ValueTask<MqttPacket?> ReadBigAsync(int bodyLength, int headerLength, CancellationToken cancellationToken)
    {
        var first = _buffer[_start];
        var body = new byte[bodyLength];
        var have = _end - _start - headerLength;
        _buffer.AsSpan(_start + headerLength, have).CopyTo(body);
        _start = _end = 0;
        while (have < bodyLength)
        {
            var read = await _read(body, have, bodyLength - have, cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                return null;
            }

            have += read;
        }

        return Decode(first, body);
    }
}
