using System.Runtime.CompilerServices;
using MQTTnet;
using MQTTnet.Exceptions;
using MQTTnet.Formatter;
using MQTTnet.Packets;
using MQTTnet.Protocol;

namespace Octopus.Mqtt;

/// <summary>
/// One network connection of the session: the CONNECT/CONNACK handshake, a receive loop that answers what belongs to
/// the connection (SUBACK, UNSUBACK, PINGRESP, DISCONNECT) and hands everything else to the session, and the writes.
/// Lost once, for good: by the broker closing it, a failed read or write, an unanswered ping, or disposal; a new
/// connection is a new instance, so packets of an old connection can never be mistaken for the current one.
/// </summary>
internal sealed class MqttConnection : IDisposable
{
    private readonly IMqttWire _wire;
    private readonly CancellationTokenSource _cancellation = new();
    private readonly TaskCompletionSource<Exception?> _lost = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Lock _gate = new();
    private readonly Dictionary<ushort, TaskCompletionSource<MqttPacket>> _requests = [];
    private TaskCompletionSource? _ping;
    private int _disposed;

    /// <summary>Initializes a new instance of the <see cref="MqttConnection"/> class; nothing is opened yet.</summary>
    /// <param name="wire">The wire of this connection.</param>
    /// <param name="options">The options the connection is made with.</param>
    public MqttConnection(IMqttWire wire, MqttClientOptions options)
    {
        _wire = wire;
        Options = options;
        Token = _cancellation.Token;
    }

    /// <summary>Gets the options the connection was made with.</summary>
    public MqttClientOptions Options { get; }

    /// <summary>Gets the protocol version of the connection.</summary>
    public MqttProtocolVersion ProtocolVersion => Options.ProtocolVersion;

    /// <summary>Gets the broker's CONNACK, once received.</summary>
    public MqttClientConnectResult? ConnectResult { get; private set; }

    /// <summary>Gets or sets how many QoS 1 and 2 messages may await their acknowledgement at once.</summary>
    public int Window { get; set; } = 1;

    /// <summary>Gets or sets a value indicating whether the broker answered a QoS 2 PUBLISH with PUBACK on this connection (logged once).</summary>
    public bool Qos2DowngradeLogged { get; set; }

    /// <summary>Gets a value indicating whether the transport was opened (a failure after it happened in the MQTT handshake).</summary>
    public bool Opened { get; private set; }

    /// <summary>Gets a token cancelled when the connection is lost.</summary>
    public CancellationToken Token { get; }

    /// <summary>Gets a task completed, with the reason if one is known, when the connection is lost.</summary>
    public Task<Exception?> Lost => _lost.Task;

    /// <summary>Gets a value indicating whether the connection is lost.</summary>
    public bool IsLost => _lost.Task.IsCompleted;

    /// <summary>Opens the wire, sends CONNECT and reads the CONNACK.</summary>
    /// <param name="cancellationToken">Cancels the attempt.</param>
    /// <returns>The broker's answer; the caller decides what a refusal means.</returns>
    /// <exception cref="MqttDeviceClientException">The broker answered with anything but CONNACK, or closed the connection.</exception>
    public async Task<MqttClientConnectResult> ConnectAsync(CancellationToken cancellationToken)
    {
        await _wire.OpenAsync(cancellationToken).ConfigureAwait(false);
        Opened = true;
        await _wire.SendAsync(MqttConnectPacketFactory.Create(Options), cancellationToken).ConfigureAwait(false);
        var packet = await _wire.ReceiveAsync(cancellationToken).ConfigureAwait(false);
        if (packet is not MqttConnAckPacket connAck)
        {
            throw new MqttDeviceClientException(packet is null
                ? "The broker closed the connection instead of answering CONNECT."
                : $"The broker answered CONNECT with {packet.GetType().Name} instead of CONNACK.");
        }

        ConnectResult = MqttClientConnectResultFactory.Create(connAck, ProtocolVersion);
        return ConnectResult;
    }

    /// <summary>
    /// The most packets handed to the session one after another, each already read, before <c>caughtUp</c> is called
    /// anyway: a broker that never lets the reader wait must not hold back what the session defers to it.
    /// </summary>
    internal const int MaxPacketsBetweenCatchUps = 64;

    /// <summary>Starts reading: SUBACK, UNSUBACK and PINGRESP answer this connection's requests; DISCONNECT ends it; every other packet goes to <paramref name="session"/>.</summary>
    /// <param name="session">Receives PUBLISH, PUBACK, PUBREC, PUBREL and PUBCOMP, on the reading thread, one at a time.</param>
    /// <param name="caughtUp">
    /// Called on the reading thread when every packet that arrived so far was handled and the next read must wait for
    /// the network (and at least every <see cref="MaxPacketsBetweenCatchUps"/> packets): what the session would do once
    /// per packet read, such as waking its sender, it can do once per batch of packets that arrived together.
    /// </param>
    public void StartReceiving(Action<MqttConnection, MqttPacket> session, Action<MqttConnection> caughtUp) => _ = ReceiveAsync(session, caughtUp);

    /// <summary>Writes a packet; a failed write loses the connection.</summary>
    /// <param name="packet">The packet.</param>
    /// <returns>A task that completes when the packet is written.</returns>
    /// <exception cref="MqttProtocolViolationException">The packet cannot be encoded (nothing was written; the connection stays).</exception>
    /// <exception cref="Exception">The write failed; the connection is lost.</exception>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    public async ValueTask SendAsync(MqttPacket packet)
    {
        try
        {
            await _wire.SendAsync(packet, Token).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is MqttProtocolViolationException or ArgumentException && !IsLost)
        {
            // Refused by the codec before anything was written.
            throw;
        }
        catch (Exception exception)
        {
            MarkLost(exception);
            throw;
        }
    }

    /// <summary>Hands a packet to the wire to go out with the next write (<see cref="SendAsync"/> or <see cref="FlushAsync"/>); a failure loses the connection.</summary>
    /// <param name="packet">The packet; it may be reused once the call returned.</param>
    /// <exception cref="MqttProtocolViolationException">The packet cannot be encoded (nothing was taken; the connection stays).</exception>
    /// <exception cref="Exception">The wire failed; the connection is lost.</exception>
    public void Enqueue(MqttPacket packet)
    {
        try
        {
            _wire.Enqueue(packet);
        }
        catch (Exception exception) when (exception is MqttProtocolViolationException or ArgumentException && !IsLost)
        {
            throw;
        }
        catch (Exception exception)
        {
            MarkLost(exception);
            throw;
        }
    }

    /// <summary>Writes what <see cref="Enqueue"/> handed over; a failed write loses the connection.</summary>
    /// <returns>A task that completes when every packet handed over before is written.</returns>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    public async ValueTask FlushAsync()
    {
        try
        {
            await _wire.FlushAsync(Token).ConfigureAwait(false);
        }
        catch (Exception exception)
        {
            MarkLost(exception);
            throw;
        }
    }

    /// <summary>Sends a SUBSCRIBE or UNSUBSCRIBE and waits for its answer.</summary>
    /// <param name="request">The request, with a packet identifier the session reserved.</param>
    /// <param name="cancellationToken">Ends the wait.</param>
    /// <returns>The SUBACK or UNSUBACK.</returns>
    public async Task<MqttPacket> RequestAsync(MqttPacketWithIdentifier request, CancellationToken cancellationToken)
    {
        var answer = new TaskCompletionSource<MqttPacket>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(IsLost, this);
            _requests[request.PacketIdentifier] = answer;
        }

        try
        {
            await SendAsync(request).ConfigureAwait(false);
            return await answer.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            lock (_gate)
            {
                _requests.Remove(request.PacketIdentifier);
            }
        }
    }

    /// <summary>Sends PINGREQ and waits for PINGRESP.</summary>
    /// <param name="cancellationToken">Ends the wait.</param>
    /// <returns>A task that completes on PINGRESP.</returns>
    public async Task PingAsync(CancellationToken cancellationToken)
    {
        var answer = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(IsLost, this);
            _ping = answer;
        }

        await SendAsync(MqttPingReqPacket.Instance).ConfigureAwait(false);
        await answer.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Sends DISCONNECT (normal: the broker discards the will) and closes the connection.</summary>
    /// <returns>A task that completes when DISCONNECT is written.</returns>
    public async Task DisconnectAsync()
    {
        await SendAsync(new MqttDisconnectPacket { ReasonCode = MqttDisconnectReasonCode.NormalDisconnection }).ConfigureAwait(false);
        Dispose();
    }

    /// <summary>Marks the connection lost; only the first call counts.</summary>
    /// <param name="reason">Why, if known.</param>
    /// <returns><see langword="true"/> for the first call.</returns>
    public bool MarkLost(Exception? reason)
    {
        if (!_lost.TrySetResult(reason))
        {
            return false;
        }

        _cancellation.Cancel();
        TaskCompletionSource<MqttPacket>[] requests;
        TaskCompletionSource? ping;
        lock (_gate)
        {
            requests = [.. _requests.Values];
            ping = _ping;
            _ping = null;
        }

        var failure = reason ?? new MqttDeviceClientException("The connection to the broker was lost.");
        foreach (var request in requests)
        {
            request.TrySetException(failure);
        }

        ping?.TrySetException(failure);
        return true;
    }

    /// <summary>Drops the connection abruptly (no DISCONNECT, so the broker will publish the will).</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        MarkLost(null);
        _wire.Dispose();
        _cancellation.Dispose();
    }

    private static MqttDeviceClientException Closed(MqttDisconnectPacket disconnect)
    {
        var code = (int)disconnect.ReasonCode;
        var detail = string.IsNullOrEmpty(disconnect.ReasonString) ? string.Empty : ", " + disconnect.ReasonString;
        var reference = string.IsNullOrEmpty(disconnect.ServerReference) ? string.Empty : $" Server Reference: {disconnect.ServerReference}.";
        return new MqttDeviceClientException($"The broker closed the connection: {disconnect.ReasonCode} ({code}){detail}.{reference}", code, null)
        {
            ServerReference = disconnect.ServerReference,
        };
    }

    private async Task ReceiveAsync(Action<MqttConnection, MqttPacket> session, Action<MqttConnection> caughtUp)
    {
        try
        {
            var handled = 0;
            while (!IsLost)
            {
                var read = _wire.ReceiveAsync(Token);
                if (handled > 0 && (!read.IsCompleted || handled >= MaxPacketsBetweenCatchUps))
                {
                    handled = 0;
                    caughtUp(this);
                }

                var packet = await read.ConfigureAwait(false);
                handled++;
                switch (packet)
                {
                    case null:
                        MarkLost(new MqttDeviceClientException("The broker closed the connection."));
                        return;
                    case MqttSubAckPacket or MqttUnsubAckPacket:
                        Answer((MqttPacketWithIdentifier)packet);
                        break;
                    case MqttPingRespPacket:
                        TaskCompletionSource? ping;
                        lock (_gate)
                        {
                            ping = _ping;
                            _ping = null;
                        }

                        ping?.TrySetResult();
                        break;
                    case MqttDisconnectPacket disconnect:
                        MarkLost(Closed(disconnect));
                        return;
                    default:
                        session(this, packet);
                        break;
                }
            }
        }
        catch (Exception exception)
        {
            // A failed read, or a fault in the session's handling: either way this connection is over; the
            // supervisor reconnects and the session resends what is unacknowledged.
            MarkLost(exception);
        }
    }

    private void Answer(MqttPacketWithIdentifier packet)
    {
        TaskCompletionSource<MqttPacket>? request;
        lock (_gate)
        {
            _requests.Remove(packet.PacketIdentifier, out request);
        }

        request?.TrySetResult(packet);
    }
}
