using System.Threading.Channels;
using MQTTnet;
using MQTTnet.Exceptions;
using MQTTnet.Formatter;
using MQTTnet.Packets;

namespace Octopus.Mqtt.Testing;

/// <summary>
/// One in-memory connection of a client to a <see cref="FakeMqttBroker"/>: the real engine's wire. Packets pass as
/// objects, in the shapes MQTTnet's decoder of the options' protocol version produces, and the broker answers them at
/// once with the semantics <see cref="FakeMqttBroker"/> documents.
/// </summary>
/// <remarks>
/// <para>
/// The client's packets are handled one at a time, in order (a lock that may call the broker). What the broker writes
/// to the client (answers, routed messages) goes through a second lock that calls nothing, so routing a message from
/// another connection never waits for this one's client.
/// </para>
/// <para>
/// The connection ends by the client's DISCONNECT (no will, unless MQTT 5's <c>DisconnectWithWillMessage</c>), by
/// <see cref="Dispose"/> or <see cref="DropAsync"/> (abrupt: the will is published), or when the broker refuses the
/// CONNECT. A closed connection's <see cref="ReceiveAsync"/> returns <see langword="null"/> once the packets written
/// before are read; a dropped one's throws <see cref="MqttCommunicationException"/> at once.
/// </para>
/// </remarks>
internal sealed partial class FakeBrokerConnection : IMqttWire
{
    private readonly Lock _inbound = new();
    private readonly Lock _outbound = new();
    private readonly FakeMqttBroker _broker;
    private readonly MqttClientOptions _options;
    private readonly FakeMqttMessageCollector? _sender;
    private readonly Func<DeliveryOutcome>? _handled;
    private readonly object _owner;
    private readonly Channel<MqttPacket> _toClient = Channel.CreateUnbounded<MqttPacket>();

    // Guarded by _inbound.
    private readonly HashSet<ushort> _receivedQos2 = [];
    private MqttConnectPacket? _connect;
    private BrokerSession? _session;
    private bool _open;
    private bool _ended;
    private bool _disposed;
    private Exception? _endError;

    // Guarded by _outbound.
    private readonly Dictionary<ushort, InFlightDelivery> _inFlight = [];
    private readonly Dictionary<ushort, HandledBarrier> _barriers = [];
    private ushort _lastPacketId;
    private bool _closed;

    /// <summary>Initializes a new instance of the <see cref="FakeBrokerConnection"/> class; not open yet.</summary>
    /// <param name="broker">The broker.</param>
    /// <param name="options">The attempt's options.</param>
    /// <param name="sender">
    /// Also records the client's messages, or <see langword="null"/>. It is also the owner of the deliveries: a
    /// <see cref="FakeMqttBroker.PublishAsync(string, ReadOnlyMemory{byte}, MqttQos, bool, CancellationToken)"/> made with <see cref="DeliveryScope.Current"/> set to it (from the
    /// client's handler) does not wait for this client's acknowledgements, which come after that handler returns.
    /// </param>
    /// <param name="handled">
    /// Takes what the client's handler did since it was last called, or <see langword="null"/>. When given, every
    /// message sent to the client is followed by a PUBREL barrier (see <see cref="WhenHandledAsync"/>), and its
    /// delivery completes with that outcome once the client answered the barrier: once its handler is done with it.
    /// </param>
    public FakeBrokerConnection(FakeMqttBroker broker, MqttClientOptions options, FakeMqttMessageCollector? sender, Func<DeliveryOutcome>? handled = null)
    {
        _broker = broker;
        _options = options;
        _sender = sender;
        _handled = handled;
        _owner = (object?)sender ?? this;
        ClientId = options.ClientId ?? string.Empty;
    }

    /// <summary>Gets the client ID: the options' until the CONNECT names one (or the broker assigns one to an empty ID).</summary>
    public string ClientId { get; private set; }

    /// <summary>Gets a value indicating whether the packets are MQTT 5 ones.</summary>
    public bool IsVersion5 => _options.ProtocolVersion == MqttProtocolVersion.V500;

    /// <summary>Gets a value indicating whether the broker accepted a CONNECT and the connection has not ended.</summary>
    public bool IsConnected
    {
        get
        {
            lock (_inbound)
            {
                return _session is not null && !_ended;
            }
        }
    }

    /// <inheritdoc/>
    public Task OpenAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (_broker.TakeOpenFault(ClientId) is { } fault)
        {
            return Task.FromException(fault);
        }

        lock (_inbound)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            _open = true;
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc/>
    public ValueTask SendAsync(MqttPacket packet, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        Enqueue(packet);
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc/>
    public void Enqueue(MqttPacket packet)
    {
        ArgumentNullException.ThrowIfNull(packet);
        FakeBrokerConnection? replaced;
        lock (_inbound)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_ended || !_open)
            {
                throw new MqttCommunicationException(_endError?.Message ?? "The connection to the fake broker is not open.", _endError);
            }

            replaced = Handle(packet);
        }

        // A CONNECT with the client ID of a live connection takes over: the broker drops the old one (its will goes).
        // Not waited for: the will's subscribers may include this client, which reads only after this write.
        _ = replaced?.End(new MqttCommunicationException("The fake broker dropped the connection: another connected with its client ID."), publishWill: true, drain: true);
    }

    /// <inheritdoc/>
    public ValueTask FlushAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc/>
    public async ValueTask<MqttPacket?> ReceiveAsync(CancellationToken cancellationToken)
    {
        var reader = _toClient.Reader;
        while (await reader.WaitToReadAsync(cancellationToken).ConfigureAwait(false))
        {
            if (reader.TryRead(out var packet))
            {
                return packet;
            }
        }

        return null;
    }

    /// <summary>Closes the connection abruptly (no DISCONNECT): the broker publishes the will.</summary>
    public void Dispose()
    {
        lock (_inbound)
        {
            _disposed = true;
        }

        _ = End(new ObjectDisposedException(nameof(FakeBrokerConnection)), publishWill: true, drain: true);
    }

    /// <summary>Loses the connection: packets not read yet are gone, the client's reads and writes fail, the will is published.</summary>
    /// <returns>A task that completes when the handlers of the will's subscribers handled it.</returns>
    /// <param name="error">What the client's reads and writes throw, or <see langword="null"/> for a <see cref="MqttCommunicationException"/> saying the connection was lost.</param>
    /// <param name="publishWill">Whether the broker publishes the will.</param>
    public Task DropAsync(Exception? error = null, bool publishWill = true) =>
        PendingDelivery.WhenAllAsync(End(error ?? new MqttCommunicationException("The connection to the fake broker was lost (simulated)."), publishWill, drain: true));

    /// <summary>Ends the connection once: no more writes, the broker forgets it (a persistent session keeps what the client did not receive), the will is published if asked.</summary>
    /// <param name="error">What the client's reads throw after the packets left, or <see langword="null"/> for a close (reads return <see langword="null"/>).</param>
    /// <param name="publishWill">Whether the broker publishes the will (an abrupt end).</param>
    /// <param name="drain">Whether the packets the client has not read are lost.</param>
    /// <returns>The deliveries of the will.</returns>
    private List<PendingDelivery>? End(Exception? error, bool publishWill, bool drain)
    {
        lock (_inbound)
        {
            if (_ended)
            {
                return null;
            }

            _ended = true;
            _endError = error;
            InFlightDelivery[] unacknowledged;
            HandledBarrier[] barriers;
            lock (_outbound)
            {
                _closed = true;
                if (drain)
                {
                    while (_toClient.Reader.TryRead(out _))
                    {
                    }
                }

                _toClient.Writer.TryComplete(error);
                unacknowledged = [.. _inFlight.Values];
                _inFlight.Clear();
                barriers = [.. _barriers.Values];
                _barriers.Clear();
            }

            foreach (var barrier in barriers)
            {
                barrier.Complete();
            }

            List<PendingDelivery>? deliveries = null;
            if (_session is { } session)
            {
                _broker.Disconnect(session, this, [.. unacknowledged.Where(d => !d.Received).Select(d => d.Message)]);
                if (publishWill && _connect is { WillFlag: true } connect)
                {
                    _broker.Route(ClientId, connect.WillTopic, connect.WillMessage ?? [], (MqttQos)connect.WillQoS, connect.WillRetain, _sender, ref deliveries);
                }
            }

            foreach (var delivery in unacknowledged)
            {
                delivery.Done.TrySetResult(default);
            }

            return deliveries;
        }
    }
}
