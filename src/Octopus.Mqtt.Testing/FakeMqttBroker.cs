using System.Runtime.ExceptionServices;
using MQTTnet.Packets;

namespace Octopus.Mqtt.Testing;

/// <summary>
/// An in-memory MQTT broker for <see cref="FakeMqttDeviceClient"/>s: it records every message that reaches it, keeps
/// retained messages, and delivers messages to the clients whose subscriptions match (<c>+</c> and <c>#</c> included).
/// </summary>
/// <remarks>
/// <para>
/// Shared by all the clients of a <see cref="FakeMqttDeviceClientFactory"/>, so a test sees what every device
/// published, and one device can receive what another published. A test publishes "from another client" (a command
/// for the adaptor) with <see cref="PublishAsync(string, ReadOnlyMemory{byte}, MqttQos, bool, CancellationToken)"/>.
/// </para>
/// <para>
/// As an MQTT broker does: a retained message replaces the previous one on its topic, and a retained message with an
/// empty payload removes it; a new subscription receives the retained messages it matches; a message matching several
/// subscriptions of one client reaches that client once; a client with a persistent session (<c>client.cleanSession</c>
/// false) keeps its subscriptions while offline and receives the QoS 1 and 2 messages it missed when it reconnects.
/// </para>
/// <para>All members are safe to call from several threads at once.</para>
/// </remarks>
public sealed partial class FakeMqttBroker
{
    /// <summary>The client ID recorded for the messages a test publishes with <see cref="PublishAsync(string, ReadOnlyMemory{byte}, MqttQos, bool, CancellationToken)"/>.</summary>
    public const string TestPublisherClientId = "fake-test-publisher";

    private readonly Lock _gate = new();
    private readonly Dictionary<string, FakeMqttMessage> _retained = new(StringComparer.Ordinal);
    private readonly Dictionary<string, BrokerSession> _sessions = new(StringComparer.Ordinal);

    /// <summary>Initializes a new instance of the <see cref="FakeMqttBroker"/> class.</summary>
    /// <param name="timeProvider">The clock of the record timestamps and of the clients' timeouts, backoff and keep-alive, or <see langword="null"/> for <see cref="TimeProvider.System"/>.</param>
    public FakeMqttBroker(TimeProvider? timeProvider = null) => TimeProvider = timeProvider ?? TimeProvider.System;

    /// <summary>Gets the clock of the record timestamps, and the default clock of the clients' timeouts, backoff and keep-alive.</summary>
    public TimeProvider TimeProvider { get; }

    /// <summary>Gets every message that reached the broker, in order: publishes of every client (availability messages included), wills, and test publishes.</summary>
    public FakeMqttMessageCollector Published { get; } = new();

    /// <summary>Gets the retained messages the broker holds now.</summary>
    /// <returns>The messages, one per topic, in no particular order.</returns>
    public IReadOnlyList<FakeMqttMessage> GetRetainedMessages()
    {
        lock (_gate)
        {
            return [.. _retained.Values];
        }
    }

    /// <summary>Gets the retained message of <paramref name="topic"/>.</summary>
    /// <param name="topic">The topic (not a filter).</param>
    /// <returns>The message, or <see langword="null"/> when none is retained.</returns>
    public FakeMqttMessage? GetRetainedMessage(string topic)
    {
        ArgumentNullException.ThrowIfNull(topic);
        lock (_gate)
        {
            return _retained.GetValueOrDefault(topic);
        }
    }

    /// <summary>
    /// Publishes a message as another MQTT client would (for example a command for the adaptor under test), and waits
    /// until the handlers of the subscribed clients have handled it.
    /// </summary>
    /// <param name="topic">The topic; not a filter.</param>
    /// <param name="payload">The payload, as it is; for JSON text use <c>Encoding.UTF8.GetBytes(…)</c> or a <c>"…"u8.ToArray()</c> literal.</param>
    /// <param name="qos">The QoS.</param>
    /// <param name="retain">Whether the broker retains the message.</param>
    /// <param name="cancellationToken">Ends the wait for the handlers; the message is published anyway.</param>
    /// <returns>How many times a handler was called (once per matching subscription index of each connected client).</returns>
    /// <exception cref="ArgumentException"><paramref name="topic"/> is not a valid MQTT topic, or <paramref name="qos"/> is not 0, 1 or 2.</exception>
    /// <remarks>
    /// A handler that throws does not stop the others, and its client keeps working (as the real client logs and
    /// ignores it); the exception is then thrown here, wrapped in an <see cref="AggregateException"/> when several were.
    /// A handler that publishes with this method itself does not wait for its own client's later messages.
    /// </remarks>
    public Task<int> PublishAsync(string topic, ReadOnlyMemory<byte> payload, MqttQos qos = MqttQos.AtLeastOnce, bool retain = false, CancellationToken cancellationToken = default) =>
        PublishCoreAsync(topic, payload, qos, retain, null, cancellationToken);

    /// <summary>
    /// Publishes a message with MQTT 5 properties as another MQTT client would, and waits until the handlers of the
    /// subscribed clients have handled it; see <see cref="PublishAsync(string, ReadOnlyMemory{byte}, MqttQos, bool, CancellationToken)"/>.
    /// </summary>
    /// <param name="topic">The topic; not a filter.</param>
    /// <param name="payload">The payload, as it is.</param>
    /// <param name="options">
    /// The QoS (default 1), retain flag (default false) and MQTT 5 properties (user properties, content type, payload
    /// format, expiry interval, response topic, correlation data); the render map is ignored.
    /// </param>
    /// <param name="cancellationToken">Ends the wait for the handlers; the message is published anyway.</param>
    /// <returns>How many times a handler was called.</returns>
    /// <exception cref="ArgumentException"><paramref name="topic"/> is not a valid MQTT topic, or the QoS is not 0, 1 or 2.</exception>
    public Task<int> PublishAsync(string topic, ReadOnlyMemory<byte> payload, MqttPublishOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        return PublishCoreAsync(topic, payload, options.Qos ?? MqttQos.AtLeastOnce, options.Retained ?? false, FakeMessageProperties.ToPacket(options), cancellationToken);
    }

    private async Task<int> PublishCoreAsync(string topic, ReadOnlyMemory<byte> payload, MqttQos qos, bool retain, MqttPublishPacket? properties, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(topic);
        FakeTopics.ValidatePublishTopic(topic, nameof(topic));
        if ((uint)qos > (uint)MqttQos.ExactlyOnce)
        {
            throw new ArgumentException($"The QoS {(int)qos} is not 0, 1 or 2.", nameof(qos));
        }

        List<PendingDelivery>? deliveries = null;
        Route(TestPublisherClientId, topic, payload.ToArray(), qos, retain, null, ref deliveries, properties);
        var outcome = await PendingDelivery.WhenAllAsync(deliveries).WaitAsync(cancellationToken).ConfigureAwait(false);
        switch (outcome.Errors)
        {
            case [var single]:
                ExceptionDispatchInfo.Throw(single);
                break;
            case [_, ..] several:
                throw new AggregateException("Several message handlers threw.", several);
        }

        return outcome.Calls;
    }

    /// <summary>Records a message, updates the retained messages and queues the message for every matching subscriber.</summary>
    internal FakeMqttMessage Route(string clientId, string topic, byte[] payload, MqttQos qos, bool retain, FakeMqttMessageCollector? sender, ref List<PendingDelivery>? deliveries, MqttPublishPacket? properties = null)
    {
        lock (_gate)
        {
            var message = FakeMessageProperties.Create(topic, payload, qos, retain, clientId, TimeProvider.GetUtcNow(), properties);
            if (retain)
            {
                if (payload.Length == 0)
                {
                    _retained.Remove(topic);
                }
                else
                {
                    _retained[topic] = message;
                }
            }

            foreach (var session in _sessions.Values)
            {
                var granted = MatchQos(session, topic);
                if (granted is null)
                {
                    continue;
                }

                if (session.Connection is { } connection && connection.TryDeliver(message, Lower(qos, granted.Value), retain: false, out var delivery))
                {
                    (deliveries ??= []).Add(delivery);
                }
                else if (session.Persistent && qos != MqttQos.AtMostOnce && granted != MqttQos.AtMostOnce)
                {
                    session.Pending.Add(message);
                }
            }

            Published.Add(message);
            sender?.Add(message);
            return message;
        }
    }

    private static MqttQos Lower(MqttQos a, MqttQos b) => a < b ? a : b;

    private static MqttQos? MatchQos(BrokerSession session, string topic)
    {
        MqttQos? granted = null;
        foreach (var (filter, qos) in session.Subscriptions)
        {
            if (FakeTopics.Matches(topic, filter) && (granted is null || qos > granted))
            {
                granted = qos;
            }
        }

        return granted;
    }
}
