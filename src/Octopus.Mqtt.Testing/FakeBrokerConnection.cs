using System.Buffers;
using System.Threading.Channels;
using MQTTnet;
using MQTTnet.Exceptions;
using MQTTnet.Formatter;
using MQTTnet.Packets;
using MQTTnet.Protocol;

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
internal sealed class FakeBrokerConnection : IMqttWire
{
    private readonly Lock _inbound = new();
    private readonly Lock _outbound = new();
    private readonly FakeMqttBroker _broker;
    private readonly MqttClientOptions _options;
    private readonly FakeMqttMessageCollector? _sender;
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
    private ushort _lastPacketId;
    private bool _closed;

    /// <summary>Initializes a new instance of the <see cref="FakeBrokerConnection"/> class; not open yet.</summary>
    /// <param name="broker">The broker.</param>
    /// <param name="options">The attempt's options.</param>
    /// <param name="sender">
    /// Also records the client's messages, or <see langword="null"/>. It is also the owner of the deliveries: a
    /// <see cref="FakeMqttBroker.PublishAsync"/> made with <see cref="DeliveryScope.Current"/> set to it (from the
    /// client's handler) does not wait for this client's acknowledgements, which come after that handler returns.
    /// </param>
    public FakeBrokerConnection(FakeMqttBroker broker, MqttClientOptions options, FakeMqttMessageCollector? sender)
    {
        _broker = broker;
        _options = options;
        _sender = sender;
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
        ArgumentNullException.ThrowIfNull(packet);
        cancellationToken.ThrowIfCancellationRequested();
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
    public Task DropAsync() =>
        PendingDelivery.WhenAllAsync(End(new MqttCommunicationException("The connection to the fake broker was lost (simulated)."), publishWill: true, drain: true));

    /// <summary>Sends the client a message routed to it, unless the connection is closed.</summary>
    /// <param name="message">The message.</param>
    /// <param name="qos">The QoS of the delivery: the lower of the message's and the subscription's.</param>
    /// <param name="retain">The retain flag: set for a retained message sent for a new subscription.</param>
    /// <param name="delivery">Completes at once (QoS 0), or when the client acknowledged it (PUBACK, PUBCOMP) or the connection ended.</param>
    /// <returns><see langword="false"/> when the connection is closed.</returns>
    public bool TryDeliver(FakeMqttMessage message, MqttQos qos, bool retain, out PendingDelivery delivery)
    {
        var publish = new MqttPublishPacket
        {
            Topic = message.Topic,
            Payload = new ReadOnlySequence<byte>(message.Payload),
            QualityOfServiceLevel = (MqttQualityOfServiceLevel)qos,
            Retain = retain,
        };
        lock (_outbound)
        {
            if (_closed)
            {
                delivery = default;
                return false;
            }

            if (qos == MqttQos.AtMostOnce)
            {
                _toClient.Writer.TryWrite(publish);
                delivery = new PendingDelivery(_owner, Task.FromResult(default(DeliveryOutcome)));
                return true;
            }

            var inFlight = new InFlightDelivery(message);
            publish.PacketIdentifier = NextPacketIdLocked();
            _inFlight[publish.PacketIdentifier] = inFlight;
            _toClient.Writer.TryWrite(publish);
            delivery = new PendingDelivery(_owner, inFlight.Done.Task);
            return true;
        }
    }

    /// <summary>Writes a packet to the client, unless the connection is closed.</summary>
    /// <param name="packet">The packet.</param>
    public void Write(MqttPacket packet)
    {
        lock (_outbound)
        {
            if (!_closed)
            {
                _toClient.Writer.TryWrite(packet);
            }
        }
    }

    /// <summary>Writes the CONNACK of an accepted CONNECT; the broker calls it before it routes anything to the connection.</summary>
    /// <param name="sessionPresent">Whether the session resumed.</param>
    public void Accept(bool sessionPresent)
    {
        var ack = CreateConnAck(MqttConnectReasonCode.Success, sessionPresent && _options.ProtocolVersion != MqttProtocolVersion.V310);
        if (ClientId != _connect?.ClientId && IsVersion5)
        {
            ack.AssignedClientIdentifier = ClientId;
        }

        Write(ack);
    }

    private MqttConnAckPacket CreateConnAck(MqttConnectReasonCode code, bool sessionPresent)
    {
        var ack = new MqttConnAckPacket
        {
            IsSessionPresent = sessionPresent,
            ReturnCode = MqttConnectReasonCodeConverter.ToConnectReturnCode(code),
        };
        if (IsVersion5)
        {
            // As MQTTnet's MQTT 5 decoder reads a CONNACK without properties: every feature available.
            ack.ReasonCode = code;
            ack.RetainAvailable = true;
            ack.SharedSubscriptionAvailable = true;
            ack.SubscriptionIdentifiersAvailable = true;
            ack.WildcardSubscriptionAvailable = true;
            ack.MaximumQoS = MqttQualityOfServiceLevel.ExactlyOnce;
        }

        return ack;
    }

    /// <summary>Handles one packet of the client; the caller holds <see cref="_inbound"/>.</summary>
    /// <returns>The connection a CONNECT takes over from, if any.</returns>
    private FakeBrokerConnection? Handle(MqttPacket packet)
    {
        if (packet is MqttConnectPacket connect)
        {
            return _connect is null ? Connect(connect) : Violation();
        }

        if (_session is not { } session)
        {
            return Violation();
        }

        switch (packet)
        {
            case MqttPublishPacket publish:
                Publish(publish);
                break;
            case MqttPubRelPacket pubRel:
                _receivedQos2.Remove(pubRel.PacketIdentifier);
                Write(new MqttPubCompPacket { PacketIdentifier = pubRel.PacketIdentifier });
                break;
            case MqttPubAckPacket pubAck:
                Acknowledged(pubAck.PacketIdentifier);
                break;
            case MqttPubRecPacket pubRec:
                Received(pubRec.PacketIdentifier);
                break;
            case MqttPubCompPacket pubComp:
                Acknowledged(pubComp.PacketIdentifier);
                break;
            case MqttSubscribePacket subscribe:
                _broker.Subscribe(session, this, subscribe, IsVersion5, _broker.TakeSubscribeFault(ClientId));
                break;
            case MqttUnsubscribePacket unsubscribe:
                Write(_broker.Unsubscribe(session, unsubscribe, IsVersion5));
                break;
            case MqttPingReqPacket:
                Write(MqttPingRespPacket.Instance);
                break;
            case MqttDisconnectPacket disconnect:
                var withWill = IsVersion5 && disconnect.ReasonCode == MqttDisconnectReasonCode.DisconnectWithWillMessage;
                _ = End(null, withWill, drain: false);
                break;
            default:
                return Violation();
        }

        return null;
    }

    private FakeBrokerConnection? Connect(MqttConnectPacket connect)
    {
        _connect = connect;
        ClientId = string.IsNullOrEmpty(connect.ClientId) ? "fake-assigned-" + Guid.NewGuid().ToString("N") : connect.ClientId;
        if (_broker.TakeConnectFault(ClientId) is { } refusal)
        {
            Write(CreateConnAck(refusal, sessionPresent: false));
            _ = End(null, publishWill: false, drain: false);
            return null;
        }

        var persistent = !connect.CleanSession && (!IsVersion5 || connect.SessionExpiryInterval > 0);
        (_session, var replaced) = _broker.Connect(this, ClientId, connect.CleanSession, persistent);
        return replaced;
    }

    private void Publish(MqttPublishPacket publish)
    {
        var id = publish.PacketIdentifier;
        var qos = publish.QualityOfServiceLevel;
        if (_broker.TakePublishFault(ClientId, out var refusal))
        {
            if (refusal is not { } code || !IsVersion5)
            {
                // A 3.1.1 broker has no way to refuse a message but to close the connection.
                _ = End(new MqttCommunicationException("The fake broker dropped the connection on a PUBLISH (simulated)."), publishWill: true, drain: true);
            }
            else if (qos == MqttQualityOfServiceLevel.AtLeastOnce)
            {
                Write(new MqttPubAckPacket { PacketIdentifier = id, ReasonCode = code });
            }
            else if (qos == MqttQualityOfServiceLevel.ExactlyOnce)
            {
                Write(new MqttPubRecPacket { PacketIdentifier = id, ReasonCode = (MqttPubRecReasonCode)(int)code });
            }

            return;
        }

        // A QoS 2 message the broker already has (a DUP before the PUBREL) is not routed again.
        if (qos != MqttQualityOfServiceLevel.ExactlyOnce || _receivedQos2.Add(id))
        {
            List<PendingDelivery>? deliveries = null;
            _broker.Route(ClientId, publish.Topic, publish.Payload.ToArray(), (MqttQos)qos, publish.Retain, _sender, ref deliveries);
        }

        if (qos == MqttQualityOfServiceLevel.AtLeastOnce)
        {
            Write(new MqttPubAckPacket { PacketIdentifier = id });
        }
        else if (qos == MqttQualityOfServiceLevel.ExactlyOnce)
        {
            Write(new MqttPubRecPacket { PacketIdentifier = id });
        }
    }

    private void Received(ushort packetId)
    {
        lock (_outbound)
        {
            if (_inFlight.TryGetValue(packetId, out var inFlight))
            {
                inFlight.Received = true;
            }
        }

        Write(new MqttPubRelPacket { PacketIdentifier = packetId });
    }

    private void Acknowledged(ushort packetId)
    {
        InFlightDelivery? inFlight;
        lock (_outbound)
        {
            _inFlight.Remove(packetId, out inFlight);
        }

        inFlight?.Done.TrySetResult(default);
    }

    /// <summary>A packet out of order (before CONNECT, a second CONNECT, an unknown one): the broker closes the connection.</summary>
    private FakeBrokerConnection? Violation()
    {
        _ = End(new MqttCommunicationException("The fake broker closed the connection: protocol violation."), publishWill: true, drain: false);
        return null;
    }

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

    private ushort NextPacketIdLocked()
    {
        do
        {
            _lastPacketId = _lastPacketId == ushort.MaxValue ? (ushort)1 : (ushort)(_lastPacketId + 1);
        }
        while (_inFlight.ContainsKey(_lastPacketId));

        return _lastPacketId;
    }
}
