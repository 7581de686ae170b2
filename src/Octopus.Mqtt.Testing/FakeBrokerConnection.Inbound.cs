using System.Buffers;
using MQTTnet.Exceptions;
using MQTTnet.Packets;
using MQTTnet.Protocol;

namespace Octopus.Mqtt.Testing;

/// <summary>What the broker does with each packet of the client, in order.</summary>
internal sealed partial class FakeBrokerConnection
{
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
                if (!PassedBarrier(pubComp.PacketIdentifier))
                {
                    Acknowledged(pubComp.PacketIdentifier);
                }

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
            _broker.Route(ClientId, publish.Topic, publish.Payload.ToArray(), (MqttQos)qos, publish.Retain, _sender, ref deliveries, IsVersion5 ? publish : null);
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
}
