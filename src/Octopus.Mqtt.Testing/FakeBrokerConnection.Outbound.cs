using System.Buffers;
using MQTTnet.Formatter;
using MQTTnet.Packets;
using MQTTnet.Protocol;

namespace Octopus.Mqtt.Testing;

/// <summary>What the broker writes to the client: answers, routed messages, and the packet identifiers of its deliveries.</summary>
internal sealed partial class FakeBrokerConnection
{
    /// <summary>Sends the client a message routed to it, unless the connection is closed.</summary>
    /// <param name="message">The message.</param>
    /// <param name="qos">The QoS of the delivery: the lower of the message's and the subscription's.</param>
    /// <param name="retain">The retain flag: set for a retained message sent for a new subscription.</param>
    /// <param name="delivery">
    /// Completes when the client's handler is done with it, for a connection given a handler outcome; otherwise at once
    /// (QoS 0), or when the client acknowledged it (PUBACK, PUBCOMP); or when the connection ended.
    /// </param>
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
        if (IsVersion5)
        {
            FakeMessageProperties.Apply(message, publish);
        }

        lock (_outbound)
        {
            if (_closed)
            {
                delivery = default;
                return false;
            }

            Task<DeliveryOutcome> outcome;
            if (qos == MqttQos.AtMostOnce)
            {
                _toClient.Writer.TryWrite(publish);
                outcome = Task.FromResult(default(DeliveryOutcome));
            }
            else
            {
                var inFlight = new InFlightDelivery(message);
                publish.PacketIdentifier = NextPacketIdLocked();
                _inFlight[publish.PacketIdentifier] = inFlight;
                _toClient.Writer.TryWrite(publish);
                outcome = inFlight.Done.Task;
            }

            if (_handled is not null)
            {
                outcome = WriteBarrierLocked(_handled);
            }

            delivery = new PendingDelivery(_owner, outcome);
            return true;
        }
    }

    /// <summary>Waits until the client has handled every packet the broker sent it so far (see <see cref="HandledBarrier"/>).</summary>
    /// <returns>A task that completes then, or when the connection ends.</returns>
    public Task WhenHandledAsync()
    {
        lock (_outbound)
        {
            return _closed ? Task.CompletedTask : WriteBarrierLocked(null);
        }
    }

    /// <summary>Completes the barrier a PUBCOMP answers, if it answers one.</summary>
    /// <param name="packetId">The PUBCOMP's packet identifier.</param>
    /// <returns><see langword="true"/> when it answered a barrier.</returns>
    private bool PassedBarrier(ushort packetId)
    {
        HandledBarrier? barrier;
        lock (_outbound)
        {
            _barriers.Remove(packetId, out barrier);
        }

        barrier?.Complete();
        return barrier is not null;
    }

    private Task<DeliveryOutcome> WriteBarrierLocked(Func<DeliveryOutcome>? take)
    {
        var barrier = new HandledBarrier(take);
        var packetId = NextPacketIdLocked();
        _barriers[packetId] = barrier;
        _toClient.Writer.TryWrite(new MqttPubRelPacket { PacketIdentifier = packetId });
        return barrier.Task;
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

    private ushort NextPacketIdLocked()
    {
        do
        {
            _lastPacketId = _lastPacketId == ushort.MaxValue ? (ushort)1 : (ushort)(_lastPacketId + 1);
        }
        while (_inFlight.ContainsKey(_lastPacketId) || _barriers.ContainsKey(_lastPacketId));

        return _lastPacketId;
    }
}
