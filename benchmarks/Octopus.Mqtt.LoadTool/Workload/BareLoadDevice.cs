using System.Buffers;
using System.Buffers.Binary;
using System.Diagnostics;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;

namespace Octopus.Mqtt.LoadTool.Workload;

/// <summary>
/// The broker's ceiling, not a product: MQTT 3.1.1 written by hand on a socket, one loop per device that keeps the
/// case's window in flight, writes every PUBLISH it can in one write and reads acknowledgements in large reads. No
/// queue, no store, no resend, no task per publish: what any client of this broker could get here with this window.
/// Paced cases are not run by it.
/// </summary>
internal sealed class BareLoadDevice : ILoadDevice
{
    private const byte PubAck = 0x40;
    private const byte PubRec = 0x50;
    private const byte PubComp = 0x70;

    private readonly Uri _server;
    private readonly CaseSpec _spec;
    private readonly byte[] _topic;
    private readonly Socket _socket = new(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
    private int _started;

    public BareLoadDevice(Uri server, CaseSpec spec, int caseId, int device)
    {
        _server = server;
        _spec = spec;
        _topic = Encoding.UTF8.GetBytes(spec.TopicRoot + "/" + LibraryLoadDevice.DeviceName(caseId, device));
    }

    public async Task ConnectAsync()
    {
        await _socket.ConnectAsync(_server.Host, _server.Port);
        var clientId = Encoding.UTF8.GetBytes("bare-" + Guid.NewGuid().ToString("N"));

        // CONNECT: protocol "MQTT" level 4, clean session, no keep-alive (a round is short and sends all the time).
        var connect = new ArrayBufferWriter<byte>();
        connect.Write<byte>([0x10, (byte)(12 + clientId.Length), 0, 4, (byte)'M', (byte)'Q', (byte)'T', (byte)'T', 4, 0x02, 0, 0]);
        connect.Write<byte>([(byte)(clientId.Length >> 8), (byte)clientId.Length]);
        connect.Write(clientId);
        await _socket.SendAsync(connect.WrittenMemory);
        var connAck = new byte[4];
        var read = 0;
        while (read < 4)
        {
            var n = await _socket.ReceiveAsync(connAck.AsMemory(read));
            read += n > 0 ? n : throw new InvalidOperationException("bare client: the broker closed the connection before CONNACK");
        }

        if (connAck[0] != 0x20 || connAck[3] != 0)
        {
            throw new InvalidOperationException($"bare client: the broker refused the connection (CONNACK {Convert.ToHexString(connAck)})");
        }
    }

    /// <summary>The first lane runs the device's whole window; the device's other lanes have nothing to do.</summary>
    public Task RunLaneAsync(LaneContext context) =>
        Interlocked.Exchange(ref _started, 1) == 0 ? RunWindowAsync(context) : Task.CompletedTask;

    public ValueTask DisposeAsync()
    {
        try
        {
            _socket.Send([0xE0, 0]);
            _socket.Shutdown(SocketShutdown.Both);
        }
        catch (SocketException)
        {
        }

        _socket.Dispose();
        return ValueTask.CompletedTask;
    }

    private async Task RunWindowAsync(LaneContext context)
    {
        var window = _spec.Lanes;
        var qos = _spec.Qos;
        var status = new StatusMessage { Case = context.CaseId, Device = context.Device };
        var payload = new ArrayBufferWriter<byte>(256);
        using var json = new Utf8JsonWriter(payload);
        var output = new ArrayBufferWriter<byte>(64 * 1024);
        var input = new byte[64 * 1024];
        var have = 0;

        // By packet id: the sequence number in flight under it and when its publish began.
        var seqOf = new int[65536];
        var startOf = new long[65536];
        var inFlight = 0;
        var nextId = 0;
        var releases = new List<ushort>();
        var done = 0;
        try
        {
            while (done < context.Messages)
            {
                var sentNow = 0;
                while (inFlight < window && context.TryTake(out var seq))
                {
                    status.Seq = seq;
                    status.RotatingSpeed = seq % 300;
                    var start = Stopwatch.GetTimestamp();
                    status.SentAt = start;
                    payload.ResetWrittenCount();
                    json.Reset(payload);
                    JsonSerializer.Serialize(json, status, LoadJsonContext.Default.StatusMessage);
                    nextId = nextId % 65535 + 1;
                    WritePublish(output, (ushort)nextId, qos, payload.WrittenSpan);
                    seqOf[nextId] = seq;
                    startOf[nextId] = start;
                    inFlight++;
                    sentNow++;
                }

                foreach (var id in releases)
                {
                    output.Write<byte>([0x62, 2, (byte)(id >> 8), (byte)id]);
                }

                releases.Clear();
                if (output.WrittenCount > 0)
                {
                    await _socket.SendAsync(output.WrittenMemory);
                    output.ResetWrittenCount();
                }

                if (qos == 0)
                {
                    // Nothing comes back: a QoS 0 publish is done once written.
                    var now = Stopwatch.GetTimestamp();
                    for (var i = 0; i < sentNow; i++)
                    {
                        var id = (nextId - i + 65534) % 65535 + 1;
                        context.Latencies[seqOf[id]] = now - startOf[id];
                    }

                    done += sentNow;
                    inFlight = 0;
                    continue;
                }

                var n = await _socket.ReceiveAsync(input.AsMemory(have));
                if (n <= 0)
                {
                    throw new InvalidOperationException("bare client: the broker closed the connection");
                }

                have += n;
                var at = 0;
                var arrived = Stopwatch.GetTimestamp();
                while (have - at >= 4)
                {
                    var type = (byte)(input[at] & 0xF0);
                    var id = BinaryPrimitives.ReadUInt16BigEndian(input.AsSpan(at + 2));
                    at += 4;
                    if (type == PubRec)
                    {
                        releases.Add(id);
                    }
                    else if (type == PubAck || type == PubComp)
                    {
                        context.Latencies[seqOf[id]] = arrived - startOf[id];
                        inFlight--;
                        done++;
                    }
                    else
                    {
                        throw new InvalidOperationException($"bare client: unexpected packet 0x{input[at - 4]:X2}");
                    }
                }

                input.AsSpan(at, have - at).CopyTo(input);
                have -= at;
            }
        }
        catch (Exception exception) when (exception is SocketException or InvalidOperationException)
        {
            Console.Error.WriteLine(exception.Message);
            for (var i = done; i < context.Messages; i++)
            {
                context.Fail();
            }
        }
    }

    private void WritePublish(ArrayBufferWriter<byte> output, ushort id, int qos, ReadOnlySpan<byte> payload)
    {
        var remaining = 2 + _topic.Length + (qos > 0 ? 2 : 0) + payload.Length;
        var span = output.GetSpan(5 + remaining);
        var at = 0;
        span[at++] = (byte)(0x30 | (qos << 1) | (_spec.Retain ? 1 : 0));
        do
        {
            var digit = (byte)(remaining % 128);
            remaining /= 128;
            span[at++] = remaining > 0 ? (byte)(digit | 0x80) : digit;
        }
        while (remaining > 0);

        BinaryPrimitives.WriteUInt16BigEndian(span[at..], (ushort)_topic.Length);
        at += 2;
        _topic.CopyTo(span[at..]);
        at += _topic.Length;
        if (qos > 0)
        {
            BinaryPrimitives.WriteUInt16BigEndian(span[at..], id);
            at += 2;
        }

        payload.CopyTo(span[at..]);
        output.Advance(at + payload.Length);
    }
}
