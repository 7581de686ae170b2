using System.Buffers;
using System.Collections.Concurrent;
using System.Text;
using System.Threading.Channels;
using MQTTnet;
using MQTTnet.Exceptions;
using MQTTnet.Formatter;
using MQTTnet.Packets;
using MQTTnet.Protocol;

namespace Octopus.Mqtt.Tests.Connection;

/// <summary>
/// An in-memory <see cref="IMqttWire"/> whose other end is a <see cref="FakeBroker"/>: the packets the engine sends are
/// recorded and answered at once (or held), in the shapes MQTTnet's decoder of the options' protocol version produces.
/// </summary>
/// <remarks>
/// A 3.1.1 (or 3.1) CONNACK carries <see cref="MqttConnAckPacket.ReturnCode"/> only, an MQTT 5 one
/// <see cref="MqttConnAckPacket.ReasonCode"/> and the return code MQTTnet derives from it; a 3.1.1 PUBACK or PUBREC never carries a failure; a 3.1.1 UNSUBACK
/// has no reason codes. A refused CONNECT, and a DISCONNECT, are followed by the broker closing the connection
/// (<see cref="ReceiveAsync"/> returns <see langword="null"/>); <see cref="DropAsync"/> loses it (<see cref="ReceiveAsync"/>
/// and <see cref="SendAsync"/> throw <see cref="MqttCommunicationException"/>).
/// </remarks>
internal sealed class FakeWire : IMqttWire
{
    private readonly Lock _gate = new();
    private readonly FakeBroker _broker;
    private readonly Channel<MqttPacket> _toClient = Channel.CreateUnbounded<MqttPacket>();
    private readonly List<(PublishedMessage Message, bool PubRec)> _held = [];
    private bool _open;
    private bool _connected;
    private bool _closed;
    private bool _dropped;
    private int _unwritten;

    public FakeWire(FakeBroker broker, MqttClientOptions options, int index)
    {
        _broker = broker;
        Options = options;
        Index = index;
    }

    /// <summary>Gets the position of the wire among the broker's wires.</summary>
    public int Index { get; }

    /// <summary>Gets the options the wire was created with; <see cref="MqttClientOptions.ProtocolVersion"/> selects the packet shapes.</summary>
    public MqttClientOptions Options { get; }

    /// <summary>Gets a value indicating whether the packets are MQTT 5 ones.</summary>
    public bool IsVersion5 => Options.ProtocolVersion == MqttProtocolVersion.V500;

    /// <summary>Gets a value indicating whether the engine disposed the wire.</summary>
    public bool IsDisposed { get; private set; }

    /// <summary>Gets a value indicating whether a CONNECT was accepted and the connection is neither closed nor lost.</summary>
    public bool IsConnected
    {
        get
        {
            lock (_gate)
            {
                return _connected && !_closed;
            }
        }
    }

    /// <summary>Gets the DISCONNECT the client sent, or <see langword="null"/>.</summary>
    public MqttDisconnectPacket? DisconnectedWith { get; private set; }

    /// <summary>Gets every packet the client sent, in order.</summary>
    public ConcurrentQueue<MqttPacket> ReceivedPackets { get; } = new();

    /// <summary>Gets the number of packets of each write, in order: a <see cref="SendAsync"/> ends a write, and so does a <see cref="FlushAsync"/> after <see cref="Enqueue"/>.</summary>
    public ConcurrentQueue<int> Writes { get; } = new();

    /// <summary>Gets what the client answered to delivered messages, in order, e.g. <c>PUBACK 1</c>, <c>PUBREC 2</c>, <c>PUBCOMP 2</c>.</summary>
    public ConcurrentQueue<string> DeliveryAcks { get; } = new();

    /// <inheritdoc/>
    public Task OpenAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (_broker.OpenFailures.TryDequeue(out var failure))
        {
            throw failure;
        }

        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(IsDisposed, this);
            _open = true;
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc/>
    public ValueTask SendAsync(MqttPacket packet, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        Enqueue(packet);
        EndWrite();
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc/>
    public void Enqueue(MqttPacket packet)
    {
        ArgumentNullException.ThrowIfNull(packet);
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(IsDisposed, this);
            if (_dropped)
            {
                throw new MqttCommunicationException("Connection reset (fake).");
            }

            if (!_open || _closed)
            {
                throw new MqttCommunicationException("The connection is not open (fake).");
            }

            // The engine may reuse the packet object once the call returned, as the real wire allows.
            packet = packet switch
            {
                MqttPublishPacket publish => Copy(publish),
                MqttPubAckPacket ack => new MqttPubAckPacket { PacketIdentifier = ack.PacketIdentifier, ReasonCode = ack.ReasonCode },
                MqttPubRecPacket rec => new MqttPubRecPacket { PacketIdentifier = rec.PacketIdentifier, ReasonCode = rec.ReasonCode },
                MqttPubRelPacket rel => new MqttPubRelPacket { PacketIdentifier = rel.PacketIdentifier, ReasonCode = rel.ReasonCode },
                MqttPubCompPacket comp => new MqttPubCompPacket { PacketIdentifier = comp.PacketIdentifier, ReasonCode = comp.ReasonCode },
                _ => packet,
            };
            ReceivedPackets.Enqueue(packet);
            _unwritten++;
            HandleLocked(packet);
        }

    }

    /// <inheritdoc/>
    public ValueTask FlushAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        EndWrite();
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc/>
    public async ValueTask<MqttPacket?> ReceiveAsync(CancellationToken cancellationToken)
    {
        var reader = _toClient.Reader;
        while (await reader.WaitToReadAsync(cancellationToken).ConfigureAwait(false))
        {
            // Under the gate: packets the broker sends in one go (acknowledging held publishes) arrive together.
            lock (_gate)
            {
                if (reader.TryRead(out var packet))
                {
                    return packet;
                }
            }
        }

        return null;
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        lock (_gate)
        {
            IsDisposed = true;
            _held.Clear();
            CloseLocked(new ObjectDisposedException(nameof(FakeWire)));
        }
    }

    /// <summary>Loses the connection: packets not read yet are gone, <see cref="ReceiveAsync"/> and <see cref="SendAsync"/> throw.</summary>
    /// <returns>A completed task.</returns>
    public Task DropAsync()
    {
        lock (_gate)
        {
            _dropped = true;
            _held.Clear();
            while (_toClient.Reader.TryRead(out _))
            {
            }

            CloseLocked(new MqttCommunicationException("Connection reset (fake)."));
        }

        return Task.CompletedTask;
    }

    /// <summary>Closes the connection from the broker's side: <see cref="ReceiveAsync"/> returns <see langword="null"/> once the packets sent before are read.</summary>
    public void Close()
    {
        lock (_gate)
        {
            _held.Clear();
            CloseLocked(null);
        }
    }

    /// <summary>Sends the client a PUBLISH, as for a message on one of its subscriptions.</summary>
    /// <param name="topic">The topic.</param>
    /// <param name="payload">The payload, as UTF-8.</param>
    /// <param name="qos">The QoS of the packet.</param>
    /// <param name="packetId">The packet identifier (QoS 1 and 2).</param>
    /// <param name="dup">The DUP flag.</param>
    /// <returns>A completed task.</returns>
    public Task DeliverAsync(string topic, string payload, MqttQualityOfServiceLevel qos = MqttQualityOfServiceLevel.AtMostOnce, ushort packetId = 0, bool dup = false)
    {
        Write(new MqttPublishPacket
        {
            Topic = topic,
            Payload = new ReadOnlySequence<byte>(Encoding.UTF8.GetBytes(payload)),
            QualityOfServiceLevel = qos,
            PacketIdentifier = packetId,
            Dup = dup,
        });
        return Task.CompletedTask;
    }

    /// <summary>Sends the client any packet (a PUBREL, a server DISCONNECT, a stray acknowledgement…).</summary>
    /// <param name="packet">The packet.</param>
    public void Write(MqttPacket packet)
    {
        lock (_gate)
        {
            if (!_closed)
            {
                _toClient.Writer.TryWrite(packet);
            }
        }
    }

    /// <summary>Acknowledges the publishes held while <see cref="FakeBroker.HoldPublishes"/> was set; they count as published now.</summary>
    public void AcknowledgePending()
    {
        lock (_gate)
        {
            foreach (var (message, pubRec) in _held)
            {
                AcknowledgeLocked(message, pubRec);
            }

            _held.Clear();
        }
    }

    private void EndWrite()
    {
        lock (_gate)
        {
            if (_unwritten > 0)
            {
                Writes.Enqueue(_unwritten);
                _unwritten = 0;
            }
        }
    }

    private static MqttPublishPacket Copy(MqttPublishPacket publish) => new()
    {
        Topic = publish.Topic,
        Payload = new ReadOnlySequence<byte>(publish.Payload.ToArray()),
        QualityOfServiceLevel = publish.QualityOfServiceLevel,
        Retain = publish.Retain,
        Dup = publish.Dup,
        PacketIdentifier = publish.PacketIdentifier,
        ContentType = publish.ContentType,
        CorrelationData = publish.CorrelationData,
        MessageExpiryInterval = publish.MessageExpiryInterval,
        PayloadFormatIndicator = publish.PayloadFormatIndicator,
        ResponseTopic = publish.ResponseTopic,
        TopicAlias = publish.TopicAlias,
        UserProperties = publish.UserProperties is null ? null : [.. publish.UserProperties],
    };

    private void HandleLocked(MqttPacket packet)
    {
        if (!_connected && packet is not MqttConnectPacket)
        {
            // A broker closes a connection whose first packet is not CONNECT.
            CloseLocked(null);
            return;
        }

        switch (packet)
        {
            case MqttConnectPacket connect:
                var ack = _broker.Connect(connect, Options.ProtocolVersion);
                _toClient.Writer.TryWrite(ack);
                if (IsVersion5 ? ack.ReasonCode == MqttConnectReasonCode.Success : ack.ReturnCode == MqttConnectReturnCode.ConnectionAccepted)
                {
                    _connected = true;
                }
                else
                {
                    CloseLocked(null);
                }

                break;
            case MqttPublishPacket publish:
                Publish(publish);
                break;
            case MqttPubRelPacket pubRel:
                _broker.Released.Enqueue(pubRel.PacketIdentifier);
                _toClient.Writer.TryWrite(new MqttPubCompPacket { PacketIdentifier = pubRel.PacketIdentifier });
                break;
            case MqttPubAckPacket pubAck:
                DeliveryAcks.Enqueue($"PUBACK {pubAck.PacketIdentifier}");
                break;
            case MqttPubRecPacket pubRec:
                DeliveryAcks.Enqueue($"PUBREC {pubRec.PacketIdentifier}");
                _toClient.Writer.TryWrite(new MqttPubRelPacket { PacketIdentifier = pubRec.PacketIdentifier });
                break;
            case MqttPubCompPacket pubComp:
                DeliveryAcks.Enqueue($"PUBCOMP {pubComp.PacketIdentifier}");
                break;
            case MqttSubscribePacket subscribe:
                _toClient.Writer.TryWrite(_broker.Subscribe(subscribe, IsVersion5));
                break;
            case MqttUnsubscribePacket unsubscribe:
                _toClient.Writer.TryWrite(_broker.Unsubscribe(unsubscribe, IsVersion5));
                break;
            case MqttPingReqPacket:
                if (_broker.CountPing())
                {
                    _toClient.Writer.TryWrite(MqttPingRespPacket.Instance);
                }

                break;
            case MqttDisconnectPacket disconnect:
                DisconnectedWith = disconnect;
                CloseLocked(null);
                break;
        }
    }

    private void Publish(MqttPublishPacket publish)
    {
        var message = new PublishedMessage(
            publish.Topic,
            publish.Payload.ToArray(),
            publish.QualityOfServiceLevel,
            publish.Retain,
            publish.Dup,
            Index,
            publish.PacketIdentifier,
            publish);
        _broker.Attempts.Enqueue(message);
        if (publish.QualityOfServiceLevel == MqttQualityOfServiceLevel.AtMostOnce)
        {
            _broker.Published.Enqueue(message);
            return;
        }

        var pubRec = publish.QualityOfServiceLevel == MqttQualityOfServiceLevel.ExactlyOnce && !_broker.Qos2AnsweredWithPubAck;
        if (_broker.HoldPublishes)
        {
            _held.Add((message, pubRec));
        }
        else
        {
            AcknowledgeLocked(message, pubRec);
        }
    }

    private void AcknowledgeLocked(PublishedMessage message, bool pubRec)
    {
        if (_closed)
        {
            return;
        }

        _broker.Published.Enqueue(message);
        var reason = IsVersion5 ? (int)_broker.PublishReason : 0;
        _toClient.Writer.TryWrite(pubRec
            ? new MqttPubRecPacket { PacketIdentifier = message.PacketId, ReasonCode = (MqttPubRecReasonCode)reason }
            : new MqttPubAckPacket { PacketIdentifier = message.PacketId, ReasonCode = (MqttPubAckReasonCode)reason });
    }

    private void CloseLocked(Exception? error)
    {
        _closed = true;
        _toClient.Writer.TryComplete(error);
    }
}
