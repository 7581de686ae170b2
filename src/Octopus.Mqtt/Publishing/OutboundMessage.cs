using System.Buffers;
using System.Diagnostics;
using System.Threading.Tasks.Sources;
using MQTTnet.Packets;
using MQTTnet.Protocol;

namespace Octopus.Mqtt;

/// <summary>
/// One accepted publish, from acceptance to its outcome. It is the source of its caller's <see cref="Outcome"/> (no
/// task per publish), owns its pooled payload until the outcome is known and no write reads it any more, and, when
/// rented from an <see cref="OutboundMessagePool"/>, goes back to it once nobody holds it.
/// </summary>
/// <remarks>
/// Holders: the session (from acceptance to <see cref="Complete"/>), the caller (until it took its answer, or
/// <see cref="Release"/> when it takes none), and whoever <see cref="Hold"/>s it for a while (the sender's
/// batch). The caller's answer is given once: the final outcome, or <see cref="MqttPublishResult.Queued"/> first when
/// the call's wait ends (<see cref="TryAnswer"/>); the message goes on either way. Each rent is a new generation, so
/// a wait that kept a message's generation cannot answer the publish that reuses it.
/// </remarks>
internal sealed class OutboundMessage : IValueTaskSource<MqttPublishResult>
{
    private ManualResetValueTaskSourceCore<MqttPublishResult> _answer = new() { RunContinuationsAsynchronously = true };
    private readonly OutboundMessagePool? _pool;
    private PayloadBuffer _payload;
    private int _released;
    private int _completed;
    private int _holders;

    // The generation in the upper bits, whether its caller was answered in the lowest.
    private int _answerState;

    /// <summary>Initializes a new instance of the <see cref="OutboundMessage"/> class, outside any pool.</summary>
    /// <param name="sequence">The publish order.</param>
    /// <param name="topic">The rendered topic.</param>
    /// <param name="payload">The payload, owned by the message from now.</param>
    /// <param name="qos">The QoS.</param>
    /// <param name="retain">The retain flag.</param>
    public OutboundMessage(long sequence, string topic, PayloadBuffer payload, MqttQos qos, bool retain)
        : this(null)
    {
        Init(sequence, topic, payload, qos, retain);
    }

    /// <summary>Initializes a new instance of the <see cref="OutboundMessage"/> class that goes back to <paramref name="pool"/>.</summary>
    /// <param name="pool">The pool, or <see langword="null"/>.</param>
    internal OutboundMessage(OutboundMessagePool? pool)
    {
        _pool = pool;
        Topic = string.Empty;
        _payload = new PayloadBuffer([], 0);
    }

    /// <summary>Gets or sets the publish order: increasing, and kept by the File store across restarts (a hand-over to another store renumbers it).</summary>
    public long Sequence { get; set; }

    /// <summary>Gets the rendered topic.</summary>
    public string Topic { get; private set; }

    /// <summary>Gets the QoS.</summary>
    public MqttQos Qos { get; private set; }

    /// <summary>Gets the retain flag.</summary>
    public bool Retain { get; private set; }

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

    /// <summary>Gets the generation of this use of the message, for <see cref="TryAnswer"/> and <see cref="IsAnswered"/>.</summary>
    public int Generation => Volatile.Read(ref _answerState) >> 1;

    /// <summary>Gets the caller's answer; await it once (taking it releases the caller's hold).</summary>
    public ValueTask<MqttPublishResult> Outcome => new(this, _answer.Version);

    /// <summary>Starts a use of the message: the session and the caller hold it.</summary>
    internal void Init(long sequence, string topic, PayloadBuffer payload, MqttQos qos, bool retain)
    {
        Sequence = sequence;
        Topic = topic;
        _payload = payload;
        Qos = qos;
        Retain = retain;
        _holders = 2;
    }

    /// <summary>Gets whether the caller of <paramref name="generation"/> has its answer (or that use is over).</summary>
    /// <param name="generation">The <see cref="Generation"/> read while the message was held.</param>
    /// <returns><see langword="true"/> when answered.</returns>
    public bool IsAnswered(int generation) => Volatile.Read(ref _answerState) != generation << 1;

    /// <summary>Answers the caller of <paramref name="generation"/>, unless it has its answer already.</summary>
    /// <param name="result">The answer.</param>
    /// <param name="generation">The <see cref="Generation"/> read while the message was held.</param>
    /// <returns><see langword="true"/> when this was the answer.</returns>
    public bool TryAnswer(MqttPublishResult result, int generation)
    {
        var unanswered = generation << 1;
        if (Interlocked.CompareExchange(ref _answerState, unanswered | 1, unanswered) != unanswered)
        {
            return false;
        }

        _answer.SetResult(result);
        return true;
    }

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

    /// <summary>
    /// Sets the final outcome (the caller's answer, unless it was answered already), releases the payload and ends
    /// the session's hold; call only when no write reads the message any more. Later calls do nothing.
    /// </summary>
    /// <param name="result">The outcome.</param>
    public void Complete(MqttPublishResult result)
    {
        if (Interlocked.Exchange(ref _completed, 1) != 0)
        {
            return;
        }

        ReleasePayload();
        TryAnswer(result, Generation);
        Release();
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

    /// <summary>Keeps the message from going back to its pool until <see cref="Release"/>: for one who reads it after its outcome may be set.</summary>
    public void Hold() => Interlocked.Increment(ref _holders);

    /// <summary>Ends a hold (also the caller's, when it returns without awaiting <see cref="Outcome"/>); the last one returns the message to its pool.</summary>
    public void Release()
    {
        if (Interlocked.Decrement(ref _holders) == 0 && _pool is not null)
        {
            Reset();
            _pool.Return(this);
        }
    }

    private void Reset()
    {
        Sequence = 0;
        Topic = string.Empty;
        Qos = MqttQos.AtMostOnce;
        Retain = false;
        Store = null;
        PacketId = 0;
        Phase = OutboundPhase.Unsent;
        AcceptedTimestamp = 0;
        Activity = null;
        SentTimestamp = 0;
        Properties = null;
        _released = 0;
        _completed = 0;
        _answer.Reset();

        // The next generation, unanswered: a wait that kept the last one sees it answered.
        Volatile.Write(ref _answerState, ((_answerState >> 1) + 1) << 1);
    }

    /// <inheritdoc/>
    MqttPublishResult IValueTaskSource<MqttPublishResult>.GetResult(short token)
    {
        var result = _answer.GetResult(token);
        Release();
        return result;
    }

    /// <inheritdoc/>
    ValueTaskSourceStatus IValueTaskSource<MqttPublishResult>.GetStatus(short token) => _answer.GetStatus(token);

    /// <inheritdoc/>
    void IValueTaskSource<MqttPublishResult>.OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
        _answer.OnCompleted(continuation, state, token, flags);
}
