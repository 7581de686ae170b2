using System.Buffers;
using System.Diagnostics;
using MQTTnet.Packets;
using MQTTnet.Protocol;

namespace Octopus.Mqtt;

/// <summary>
/// One accepted publish, from acceptance to its outcome. It is its own completion source (one allocation per
/// publish), and owns its pooled payload until the outcome is known and no write reads it any more.
/// </summary>
internal sealed class OutboundMessage : TaskCompletionSource<MqttPublishResult>
{
    private PayloadBuffer _payload;
    private int _released;

    public OutboundMessage(long sequence, string topic, PayloadBuffer payload, MqttQos qos, bool retain)
        : base(TaskCreationOptions.RunContinuationsAsynchronously)
    {
        Sequence = sequence;
        Topic = topic;
        _payload = payload;
        Qos = qos;
        Retain = retain;
    }

    /// <summary>Gets or sets the publish order: increasing, and kept by the File store across restarts (a hand-over to another store renumbers it).</summary>
    public long Sequence { get; set; }

    /// <summary>Gets the rendered topic.</summary>
    public string Topic { get; }

    /// <summary>Gets the QoS.</summary>
    public MqttQos Qos { get; }

    /// <summary>Gets the retain flag.</summary>
    public bool Retain { get; }

    /// <summary>Gets the payload.</summary>
    public ReadOnlyMemory<byte> Payload => _payload.Memory;

    /// <summary>Gets or sets the store that keeps the message, or <see langword="null"/> when none does.</summary>
    public IMessageStore? Store { get; set; }

    /// <summary>Gets a value indicating whether a store keeps the message.</summary>
    public bool Persisted => Store is not null;

    /// <summary>Gets or sets the packet identifier bound to the message on the current session, or 0 when none is.</summary>
    public ushort PacketId { get; set; }

    /// <summary>Gets or sets where the message stands in its handshake with the broker.</summary>
    public OutboundPhase Phase { get; set; }


    /// <summary>Gets or sets the time stamp of the publish call, for the publish duration (0 for a message read back from the store).</summary>
    public long AcceptedTimestamp { get; set; }

    /// <summary>Gets or sets the message's publish span, while someone listens and until its outcome.</summary>
    public Activity? Activity { get; set; }

    /// <summary>Gets or sets the time stamp of the last PUBLISH or PUBREL written for the message, for <c>client.writeTimeout</c>.</summary>
    public long SentTimestamp { get; set; }

    /// <summary>Gets or sets the message's MQTT 5 properties and expiry, or <see langword="null"/> when it has none.</summary>
    public MessageProperties? Properties { get; set; }

    /// <summary>Gets or sets a value indicating whether the client made the message itself (an availability message): no caller, no store, no telemetry.</summary>
    public bool Internal { get; init; }

    /// <summary>Builds the PUBLISH packet of the message with its current packet identifier.</summary>
    /// <param name="dup">Whether it is a resend of a PUBLISH the broker may have received (MQTT-3.3.1-1).</param>
    /// <returns>The packet.</returns>
    public MqttPublishPacket CreatePublishPacket(bool dup) => FillPublishPacket(new MqttPublishPacket(), dup);

    /// <summary>
    /// Fills a PUBLISH packet, new or reused, with the message and its current packet identifier: every field a
    /// PUBLISH carries is set, so nothing of the message encoded before it remains. The one place a PUBLISH is built.
    /// </summary>
    /// <param name="packet">The packet to fill.</param>
    /// <param name="dup">Whether it is a resend of a PUBLISH the broker may have received (MQTT-3.3.1-1).</param>
    /// <returns><paramref name="packet"/>.</returns>
    public MqttPublishPacket FillPublishPacket(MqttPublishPacket packet, bool dup)
    {
        packet.Topic = Topic;
        packet.Payload = new ReadOnlySequence<byte>(_payload.Array, 0, _payload.Length);
        packet.QualityOfServiceLevel = (MqttQualityOfServiceLevel)Qos;
        packet.Retain = Retain;
        packet.PacketIdentifier = PacketId;
        packet.Dup = dup && Qos != MqttQos.AtMostOnce;
        packet.ContentType = null;
        packet.PayloadFormatIndicator = MqttPayloadFormatIndicator.Unspecified;
        packet.ResponseTopic = null;
        packet.CorrelationData = null;
        packet.MessageExpiryInterval = 0;
        packet.UserProperties = null;
        packet.TopicAlias = 0;
        packet.SubscriptionIdentifiers = null;
        Properties?.Apply(packet);
        return packet;
    }

    /// <summary>Sets the outcome and releases the payload; call only when no write reads it any more.</summary>
    /// <param name="result">The outcome.</param>
    public void Complete(MqttPublishResult result)
    {
        ReleasePayload();
        TrySetResult(result);
    }

    /// <summary>Returns the payload to the pool, once.</summary>
    public void ReleasePayload()
    {
        if (Interlocked.Exchange(ref _released, 1) == 0)
        {
            _payload.Release();
            _payload = new PayloadBuffer([], 0);
        }
    }
}
