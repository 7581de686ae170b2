using MQTTnet;
using MQTTnet.Packets;
using MQTTnet.Protocol;

namespace Octopus.Mqtt.Testing;

/// <summary>The broker's side of its packet connections (<see cref="FakeBrokerConnection"/>).</summary>
public sealed partial class FakeMqttBroker
{
    /// <summary>Creates an in-memory packet connection to this broker: a wire for the real engine.</summary>
    /// <param name="options">The attempt's options: the client ID the failures are armed for, and the protocol version of the packet shapes.</param>
    /// <param name="sender">
    /// Also records the messages of this connection's client (its publishes and its will), or <see langword="null"/>;
    /// one client passes the same one for all its connections, and sets <see cref="DeliveryScope.Current"/> to it while its
    /// handler runs, so a publish from the handler does not wait for the client's own acknowledgements.
    /// </param>
    /// <returns>The connection, not open yet.</returns>
    internal FakeBrokerConnection CreateWire(MqttClientOptions options, FakeMqttMessageCollector? sender = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        return new FakeBrokerConnection(this, options, sender);
    }

    /// <summary>Drops the packet connection of <paramref name="clientId"/> abruptly: its will is published, its client's reads and writes fail.</summary>
    /// <param name="clientId">The client ID.</param>
    /// <returns><see langword="true"/> when a connection was dropped, once the handlers of the will's subscribers handled it.</returns>
    internal async Task<bool> DropConnectionAsync(string clientId)
    {
        FakeBrokerConnection? connection;
        lock (_gate)
        {
            connection = _sessions.TryGetValue(clientId, out var session) ? session.Connection : null;
        }

        if (connection is null)
        {
            return false;
        }

        await connection.DropAsync().ConfigureAwait(false);
        return true;
    }

    /// <summary>
    /// Accepts a packet connection's CONNECT: a clean start begins an empty session, otherwise the session resumes. The
    /// CONNACK and the messages the session missed are written before any message routed later.
    /// </summary>
    /// <returns>The session, and the connection of the same client ID it takes over from (to be dropped), if any.</returns>
    internal (BrokerSession Session, FakeBrokerConnection? Replaced) Connect(FakeBrokerConnection connection, string clientId, bool cleanStart, bool persistent)
    {
        lock (_gate)
        {
            var replaced = _sessions.GetValueOrDefault(clientId)?.Connection;
            var present = _sessions.TryGetValue(clientId, out var session) && !cleanStart;
            if (!present)
            {
                session = new BrokerSession(clientId);
                _sessions[clientId] = session;
            }

            session!.Connection = connection;
            session.Persistent = persistent;
            connection.Accept(present);
            foreach (var message in session.Pending)
            {
                var granted = MatchQos(session, message.Topic) ?? message.Qos;
                connection.TryDeliver(message, Lower(message.Qos, granted), retain: false, out _);
            }

            session.Pending.Clear();
            return (session, replaced);
        }
    }

    /// <summary>Ends a packet connection: a clean session ends with it; a persistent one keeps the QoS 1 and 2 messages the client had not received, to send them again.</summary>
    internal void Disconnect(BrokerSession session, FakeBrokerConnection connection, IReadOnlyList<FakeMqttMessage> unacknowledged)
    {
        lock (_gate)
        {
            if (session.Connection != connection)
            {
                return;
            }

            session.Connection = null;
            if (session.Persistent)
            {
                session.Pending.InsertRange(0, unacknowledged);
            }
            else if (_sessions.TryGetValue(session.ClientId, out var current) && current == session)
            {
                _sessions.Remove(session.ClientId);
            }
        }
    }

    /// <summary>
    /// Answers a packet connection's SUBSCRIBE: SUBACK with the granted QoS (or <paramref name="refusal"/> for every
    /// filter), then the retained messages the new subscriptions match, each once, as the filters' retain handling asks.
    /// </summary>
    internal void Subscribe(BrokerSession session, FakeBrokerConnection connection, MqttSubscribePacket subscribe, bool version5, MqttSubscribeReasonCode? refusal)
    {
        lock (_gate)
        {
            var codes = new List<MqttSubscribeReasonCode>(subscribe.TopicFilters.Count);
            List<KeyValuePair<string, MqttQos>>? sendRetained = null;
            foreach (var filter in subscribe.TopicFilters)
            {
                if (refusal is { } refused)
                {
                    codes.Add(version5 ? refused : MqttSubscribeReasonCode.UnspecifiedError);
                    continue;
                }

                var qos = (MqttQos)Math.Min((int)filter.QualityOfServiceLevel, (int)MqttQos.ExactlyOnce);
                var existed = !session.Subscriptions.TryAdd(filter.Topic, qos);
                session.Subscriptions[filter.Topic] = qos;
                codes.Add((MqttSubscribeReasonCode)qos);
                var send = filter.RetainHandling switch
                {
                    MqttRetainHandling.DoNotSendOnSubscribe => false,
                    MqttRetainHandling.SendAtSubscribeIfNewSubscriptionOnly => !existed,
                    _ => true,
                };
                if (send)
                {
                    (sendRetained ??= []).Add(new(filter.Topic, qos));
                }
            }

            connection.Write(new MqttSubAckPacket { PacketIdentifier = subscribe.PacketIdentifier, ReasonCodes = codes });
            if (sendRetained is null)
            {
                return;
            }

            foreach (var message in _retained.Values)
            {
                MqttQos? best = null;
                foreach (var (filter, qos) in sendRetained)
                {
                    if (FakeTopics.Matches(message.Topic, filter) && (best is null || qos > best))
                    {
                        best = qos;
                    }
                }

                if (best is { } granted)
                {
                    connection.TryDeliver(message, Lower(message.Qos, granted), retain: true, out _);
                }
            }
        }
    }

    /// <summary>Answers a packet connection's UNSUBSCRIBE: on MQTT 5 with a code per filter (success, or no subscription existed), on 3.1.1 with none.</summary>
    internal MqttUnsubAckPacket Unsubscribe(BrokerSession session, MqttUnsubscribePacket unsubscribe, bool version5)
    {
        lock (_gate)
        {
            var codes = version5 ? new List<MqttUnsubscribeReasonCode>(unsubscribe.TopicFilters.Count) : null;
            foreach (var filter in unsubscribe.TopicFilters)
            {
                var removed = session.Subscriptions.Remove(filter);
                codes?.Add(removed ? MqttUnsubscribeReasonCode.Success : MqttUnsubscribeReasonCode.NoSubscriptionExisted);
            }

            return new MqttUnsubAckPacket { PacketIdentifier = unsubscribe.PacketIdentifier, ReasonCodes = codes };
        }
    }
}
