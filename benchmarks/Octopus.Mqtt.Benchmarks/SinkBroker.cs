using System.Net;
using System.Net.Sockets;

namespace Octopus.Mqtt.Benchmarks;

/// <summary>
/// A minimal MQTT broker on a free 127.0.0.1 port that allocates nothing per packet, so that a benchmark's allocations
/// are the client's alone: it accepts every CONNECT (3.1.1 or 5), acknowledges PUBLISH (PUBACK, PUBREC), PUBREL
/// (PUBCOMP), PINGREQ and SUBSCRIBE, and routes nothing. Not a broker to test against: it checks nothing.
/// </summary>
public sealed class SinkBroker : IAsyncDisposable
{
    private readonly Socket _listener;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _accepting;

    private SinkBroker(Socket listener)
    {
        _listener = listener;
        Port = ((IPEndPoint)listener.LocalEndPoint!).Port;
        _accepting = AcceptAsync();
    }

    public int Port { get; }

    public string Server => $"tcp://127.0.0.1:{Port}";

    public static SinkBroker Start()
    {
        var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen(64);
        return new SinkBroker(listener);
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Dispose();
        try
        {
            await _accepting;
        }
        catch (Exception)
        {
            // Stopped.
        }

        _stop.Dispose();
    }

    private static int Answer(ReadOnlySpan<byte> packet, Span<byte> answer, ref bool version5)
    {
        var type = packet[0] >> 4;
        var body = packet[Header(packet)..];
        switch (type)
        {
            case 1: // CONNECT: protocol name (2 + 4 bytes), then the level.
                version5 = body[6] == 5;
                return Write(answer, 0x20, version5 ? [0x00, 0x00, 0x00] : [0x00, 0x00]);
            case 3: // PUBLISH: topic, then the packet identifier at QoS 1 and 2.
                var qos = (packet[0] >> 1) & 3;
                if (qos == 0)
                {
                    return 0;
                }

                var topicLength = (body[0] << 8) | body[1];
                return Write(answer, qos == 1 ? (byte)0x40 : (byte)0x50, body.Slice(2 + topicLength, 2));
            case 6: // PUBREL
                return Write(answer, 0x70, body[..2]);
            case 8: // SUBSCRIBE: one granted QoS 0 per filter is enough for the benchmarks (one filter).
                return Write(answer, 0x90, version5 ? [body[0], body[1], 0x00, 0x00] : [body[0], body[1], 0x00]);
            case 12: // PINGREQ
                return Write(answer, 0xD0, []);
            default:
                return 0;
        }
    }

    private static int Write(Span<byte> answer, byte first, ReadOnlySpan<byte> body)
    {
        answer[0] = first;
        answer[1] = (byte)body.Length;
        body.CopyTo(answer[2..]);
        return 2 + body.Length;
    }

    private static int Header(ReadOnlySpan<byte> packet)
    {
        var i = 1;
        while ((packet[i] & 0x80) != 0)
        {
            i++;
        }

        return i + 1;
    }

    /// <summary>The whole length of the packet at the start of <paramref name="bytes"/>, or 0 when not all of it is there.</summary>
    private static int Length(ReadOnlySpan<byte> bytes)
    {
        var remaining = 0;
        var multiplier = 1;
        for (var i = 1; i < Math.Min(bytes.Length, 5); i++)
        {
            remaining += (bytes[i] & 0x7F) * multiplier;
            multiplier *= 128;
            if ((bytes[i] & 0x80) == 0)
            {
                var total = i + 1 + remaining;
                return total <= bytes.Length ? total : 0;
            }
        }

        return 0;
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            var socket = await _listener.AcceptAsync(_stop.Token);
            socket.NoDelay = true;
            _ = ServeAsync(socket);
        }
    }

    private async Task ServeAsync(Socket socket)
    {
        using var _ = socket;
        var input = new byte[1 << 16];
        var output = new byte[1 << 16];
        var filled = 0;
        var version5 = false;
        try
        {
            while (true)
            {
                var read = await socket.ReceiveAsync(input.AsMemory(filled), SocketFlags.None, _stop.Token);
                if (read == 0)
                {
                    return;
                }

                filled += read;
                var offset = 0;
                var answered = 0;
                int length;
                while ((length = Length(input.AsSpan(offset, filled - offset))) > 0)
                {
                    answered += Answer(input.AsSpan(offset, length), output.AsSpan(answered), ref version5);
                    offset += length;
                    if (answered > output.Length - 16)
                    {
                        await socket.SendAsync(output.AsMemory(0, answered), SocketFlags.None, _stop.Token);
                        answered = 0;
                    }
                }

                input.AsSpan(offset, filled - offset).CopyTo(input);
                filled -= offset;
                if (answered > 0)
                {
                    await socket.SendAsync(output.AsMemory(0, answered), SocketFlags.None, _stop.Token);
                }
            }
        }
        catch (Exception)
        {
            // The client went, or the broker stops.
        }
    }
}
