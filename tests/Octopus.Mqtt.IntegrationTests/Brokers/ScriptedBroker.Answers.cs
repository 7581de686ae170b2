using System.Buffers;
using MQTTnet.Formatter;
using MQTTnet.Packets;
using MQTTnet.Protocol;

namespace Octopus.Mqtt.IntegrationTests.Brokers;

/// <summary>How a <see cref="ScriptedBroker"/> answers each packet a client sends.</summary>
public sealed partial class ScriptedBroker
{
    /// <summary>Answers one received packet.</summary>
    /// <returns><see langword="false"/> when the connection ends after it.</returns>
    internal async Task<bool> AnswerAsync(ScriptedConnection connection, MqttPacket packet)
    {
        switch (packet)
        {
            case MqttConnectPacket connect:
                return await AnswerConnectAsync(connection, connect).ConfigureAwait(false);
            case MqttPublishPacket publish:
                await AnswerPublishAsync(connection, publish).ConfigureAwait(false);
                return true;
            case MqttPubRelPacket pubRel:
                lock (_gate)
                {
                    connection.Session?.AwaitingPubRel.Remove(pubRel.PacketIdentifier);
                }

                await connection.AnswerAsync(new MqttPubCompPacket { PacketIdentifier = pubRel.PacketIdentifier }).ConfigureAwait(false);
                return true;
            case MqttPubRecPacket pubRec when Behavior.AnswerPubRec:
                await connection.SendAsync(new MqttPubRelPacket { PacketIdentifier = pubRec.PacketIdentifier }).ConfigureAwait(false);
                return true;
            case MqttSubscribePacket subscribe:
                await connection.SendAsync(SubAck(connection, subscribe)).ConfigureAwait(false);
                return true;
            case MqttUnsubscribePacket unsubscribe:
                await connection.SendAsync(UnsubAck(connection, unsubscribe)).ConfigureAwait(false);
                return true;
            case MqttPingReqPacket:
                if (!Behavior.TakeUnansweredPing())
                {
                    await connection.SendAsync(MqttPingRespPacket.Instance).ConfigureAwait(false);
                }

                return true;
            case MqttDisconnectPacket:
                return false;
            default:
                return true;
        }
    }

    private async Task<bool> AnswerConnectAsync(ScriptedConnection connection, MqttConnectPacket connect)
    {
        string? assigned = null;
        if (string.IsNullOrEmpty(connect.ClientId))
        {
            assigned = $"scripted-{connection.Id}";
            connection.ClientId = assigned;
        }

        var reason = Behavior.ConnectReasonCode;
        var accepted = reason == MqttConnectReasonCode.Success;
        var sessionPresent = false;
        ScriptedConnection? previous = null;
        if (accepted)
        {
            (sessionPresent, previous) = OpenSession(connection, connect);
        }

        Connections.Add(connection);
        previous?.Cut(); // a second connection with the same client ID takes over, as on a real broker
        var connAck = new MqttConnAckPacket
        {
            ReasonCode = reason,
            ReturnCode = MqttConnectReasonCodeConverter.ToConnectReturnCode(reason),
            IsSessionPresent = sessionPresent && connection.Protocol != MqttProtocolVersion.V310, // 3.1 has no such flag
            AssignedClientIdentifier = connection.Protocol == MqttProtocolVersion.V500 ? assigned : null,
            MaximumQoS = MqttQualityOfServiceLevel.ExactlyOnce,
            RetainAvailable = true,
            WildcardSubscriptionAvailable = true,
            SubscriptionIdentifiersAvailable = true,
            SharedSubscriptionAvailable = true,
        };
        Behavior.ConnAck?.Invoke(connAck);
        await connection.SendAsync(connAck).ConfigureAwait(false);
        return accepted;
    }

    private (bool SessionPresent, ScriptedConnection? Previous) OpenSession(ScriptedConnection connection, MqttConnectPacket connect)
    {
        lock (_gate)
        {
            var id = connection.ClientId;
            _live.TryGetValue(id, out var previous);
            _sessions.TryGetValue(id, out var stored);
            var present = !connect.CleanSession && stored is not null;
            var session = present ? stored! : new ScriptedSession(id);
            session.Persistent = connection.Protocol == MqttProtocolVersion.V500 ? connect.SessionExpiryInterval > 0 : !connect.CleanSession;
            _sessions[id] = session;
            _live[id] = connection;
            connection.Session = session;
            return (present, previous);
        }
    }

    private async Task AnswerPublishAsync(ScriptedConnection connection, MqttPublishPacket publish)
    {
        var id = publish.PacketIdentifier;
        switch (publish.QualityOfServiceLevel)
        {
            case MqttQualityOfServiceLevel.AtMostOnce:
                Deliver(connection, publish);
                break;
            case MqttQualityOfServiceLevel.AtLeastOnce:
                Deliver(connection, publish);
                await connection.AnswerAsync(new MqttPubAckPacket { PacketIdentifier = id }).ConfigureAwait(false);
                break;
            case MqttQualityOfServiceLevel.ExactlyOnce when Behavior.AnswerQos2WithPubAck:
                Deliver(connection, publish);
                await connection.AnswerAsync(new MqttPubAckPacket { PacketIdentifier = id }).ConfigureAwait(false);
                break;
            default:
                bool first;
                lock (_gate)
                {
                    first = connection.Session?.AwaitingPubRel.Add(id) ?? true;
                }

                if (first)
                {
                    Deliver(connection, publish);
                }

                await connection.AnswerAsync(new MqttPubRecPacket { PacketIdentifier = id }).ConfigureAwait(false);
                break;
        }
    }

    private void Deliver(ScriptedConnection connection, MqttPublishPacket publish) =>
        Delivered.Add(new ScriptedDelivery(connection.Id, connection.ClientId, publish.Topic, publish.Payload.ToArray(), publish.QualityOfServiceLevel, publish.PacketIdentifier));

    private MqttSubAckPacket SubAck(ScriptedConnection connection, MqttSubscribePacket subscribe)
    {
        var codes = new List<MqttSubscribeReasonCode>();
        foreach (var filter in subscribe.TopicFilters)
        {
            var code = Behavior.SubscribeReasonCode?.Invoke(filter.Topic) ?? (MqttSubscribeReasonCode)(int)filter.QualityOfServiceLevel;
            codes.Add(code);
            if ((int)code <= 2)
            {
                lock (_gate)
                {
                    connection.Session?.Subscriptions[filter.Topic] = (MqttQualityOfServiceLevel)(int)code;
                }
            }
        }

        return new MqttSubAckPacket { PacketIdentifier = subscribe.PacketIdentifier, ReasonCodes = codes };
    }

    private MqttUnsubAckPacket UnsubAck(ScriptedConnection connection, MqttUnsubscribePacket unsubscribe)
    {
        var codes = new List<MqttUnsubscribeReasonCode>();
        foreach (var filter in unsubscribe.TopicFilters)
        {
            lock (_gate)
            {
                connection.Session?.Subscriptions.Remove(filter);
            }

            codes.Add(Behavior.UnsubscribeReasonCode?.Invoke(filter) ?? MqttUnsubscribeReasonCode.Success);
        }

        return new MqttUnsubAckPacket { PacketIdentifier = unsubscribe.PacketIdentifier, ReasonCodes = codes };
    }
}
