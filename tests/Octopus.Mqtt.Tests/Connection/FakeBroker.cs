using System.Collections.Concurrent;
using MQTTnet;
using MQTTnet.Formatter;
using MQTTnet.Packets;
using MQTTnet.Protocol;

namespace Octopus.Mqtt.Tests.Connection;

/// <summary>
/// Stands in for the network and the broker behind the engine's <see cref="FakeWire"/>s: decides connect results,
/// acknowledges (or holds) publishes, answers (or ignores) pings, and records everything. <see cref="Clients"/> are
/// the connections in creation order, <see cref="Current"/> the last one.
/// </summary>
internal sealed class FakeBroker
{
    private readonly List<FakeWire> _wires = [];

    /// <summary>Gets the result codes of the next connection attempts; when empty, attempts succeed.</summary>
    public ConcurrentQueue<MqttClientConnectResultCode> ConnectResults { get; } = new();

    /// <summary>Gets the exceptions the next <see cref="FakeWire.OpenAsync"/> calls throw; when empty, the transport opens.</summary>
    public ConcurrentQueue<Exception> OpenFailures { get; } = new();

    /// <summary>Gets the options of every connection attempt (each <see cref="CreateWire"/> or MQTTnet client connect).</summary>
    public ConcurrentQueue<MqttClientOptions> ConnectOptions { get; } = new();

    /// <summary>Gets every CONNECT a wire received, in order.</summary>
    public ConcurrentQueue<MqttConnectPacket> ConnectPackets { get; } = new();

    /// <summary>Gets the time of every connection attempt.</summary>
    public ConcurrentQueue<DateTimeOffset> ConnectTimes { get; } = new();

    /// <summary>Gets or sets the clock the attempts are timed with.</summary>
    public TimeProvider Time { get; set; } = TimeProvider.System;

    /// <summary>Gets the acknowledged (QoS 1/2) or written (QoS 0) messages, in order.</summary>
    public ConcurrentQueue<PublishedMessage> Published { get; } = new();

    /// <summary>Gets every PUBLISH attempt, acknowledged or not.</summary>
    public ConcurrentQueue<PublishedMessage> Attempts { get; } = new();

    /// <summary>Gets or sets the Receive Maximum of an MQTT 5 CONNACK (0: none, which grants 65,535).</summary>
    public ushort ReceiveMaximum { get; set; }

    /// <summary>Gets or sets a value indicating whether publishes wait for <see cref="ReleasePublishes"/>.</summary>
    public bool HoldPublishes { get; set; }

    /// <summary>Gets or sets a value indicating whether a QoS 2 PUBLISH is answered with PUBACK (as RabbitMQ 3.x does) instead of PUBREC.</summary>
    public bool Qos2AnsweredWithPubAck { get; set; }

    /// <summary>Gets the packet identifiers of the PUBRELs the wires received (each answered with PUBCOMP), in order.</summary>
    public ConcurrentQueue<ushort> Released { get; } = new();

    /// <summary>Gets or sets the reason code of acknowledgements (of PUBACK and PUBREC on MQTT 5; a 3.1.1 one has none).</summary>
    public MqttClientPublishReasonCode PublishReason { get; set; } = MqttClientPublishReasonCode.Success;

    /// <summary>Gets or sets a value indicating whether pings go unanswered.</summary>
    public bool HoldPings { get; set; }

    /// <summary>Gets the number of pings sent.</summary>
    public int Pings => _pings;

    /// <summary>Gets the topic filters the broker refuses, with the code.</summary>
    public ConcurrentDictionary<string, MqttClientSubscribeResultCode> RefusedFilters { get; } = new();

    /// <summary>Gets the topic filters whose UNSUBSCRIBE the broker fails, with the code (MQTT 5 only: a 3.1.1 UNSUBACK has no codes).</summary>
    public ConcurrentDictionary<string, MqttClientUnsubscribeResultCode> RefusedUnsubscribes { get; } = new();

    /// <summary>Gets every SUBSCRIBE and UNSUBSCRIBE, e.g. <c>+a/b@1</c> and <c>-a/b</c>.</summary>
    public ConcurrentQueue<string> SubscriptionLog { get; } = new();

    /// <summary>Gets the connect result's IsSessionPresent flag.</summary>
    public bool SessionPresent { get; set; }

    /// <summary>Gets or sets the Server Reference of an MQTT 5 refusal, or <see langword="null"/> for none.</summary>
    public string? ServerReference { get; set; }

    private int _pings;

    public int ConnectAttempts => ConnectOptions.Count;

    /// <summary>Gets the packet connections, in creation order.</summary>
    public IReadOnlyList<FakeWire> Clients
    {
        get
        {
            lock (_wires)
            {
                return [.. _wires];
            }
        }
    }

    /// <summary>Gets the last packet connection created.</summary>
    public FakeWire Current => Clients[^1];

    /// <summary>Creates a packet connection to this broker: the engine's <see cref="MqttWireFactory"/>.</summary>
    /// <param name="options">The attempt's options; recorded in <see cref="ConnectOptions"/>.</param>
    /// <returns>The wire, not open yet.</returns>
    public FakeWire CreateWire(MqttClientOptions options)
    {
        ConnectOptions.Enqueue(options);
        ConnectTimes.Enqueue(Time.GetUtcNow());
        lock (_wires)
        {
            var wire = new FakeWire(this, options, _wires.Count);
            _wires.Add(wire);
            return wire;
        }
    }

    public void ReleasePublishes()
    {
        HoldPublishes = false;
        foreach (var wire in Clients)
        {
            wire.AcknowledgePending();
        }
    }

    /// <summary>Counts a ping.</summary>
    /// <returns>Whether it is answered.</returns>
    internal bool CountPing()
    {
        Interlocked.Increment(ref _pings);
        return !HoldPings;
    }

    /// <summary>Answers a wire's CONNECT with the next of <see cref="ConnectResults"/>, in the shape of <paramref name="version"/>.</summary>
    internal MqttConnAckPacket Connect(MqttConnectPacket connect, MqttProtocolVersion version)
    {
        ConnectPackets.Enqueue(connect);
        var code = ConnectResults.TryDequeue(out var next) ? next : MqttClientConnectResultCode.Success;
        var accepted = code == MqttClientConnectResultCode.Success;
        var ack = new MqttConnAckPacket { IsSessionPresent = SessionPresent && accepted && version != MqttProtocolVersion.V310 };
        if (version == MqttProtocolVersion.V500)
        {
            // As MQTTnet's MQTT 5 decoder: the reason code, the 3.1.1 return code beside it, and the features a CONNACK
            // without properties grants.
            ack.ReasonCode = (MqttConnectReasonCode)(int)code;
            ack.ReturnCode = MqttConnectReasonCodeConverter.ToConnectReturnCode(ack.ReasonCode);
            ack.RetainAvailable = true;
            ack.SharedSubscriptionAvailable = true;
            ack.SubscriptionIdentifiersAvailable = true;
            ack.WildcardSubscriptionAvailable = true;
            ack.MaximumQoS = MqttQualityOfServiceLevel.ExactlyOnce;
            ack.ReceiveMaximum = ReceiveMaximum;
            ack.ServerReference = accepted ? null : ServerReference;
        }
        else
        {
            ack.ReturnCode = MqttConnectReasonCodeConverter.ToConnectReturnCode((MqttConnectReasonCode)(int)code);
        }

        return ack;
    }

    /// <summary>Answers a wire's SUBSCRIBE: the requested QoS, or the code of <see cref="RefusedFilters"/> (0x80 on 3.1.1, which knows no other failure).</summary>
    internal MqttSubAckPacket Subscribe(MqttSubscribePacket subscribe, bool version5)
    {
        var codes = new List<MqttSubscribeReasonCode>(subscribe.TopicFilters.Count);
        foreach (var filter in subscribe.TopicFilters)
        {
            SubscriptionLog.Enqueue($"+{filter.Topic}@{(int)filter.QualityOfServiceLevel}");
            if (RefusedFilters.TryGetValue(filter.Topic, out var refused))
            {
                codes.Add(version5 ? (MqttSubscribeReasonCode)(int)refused : MqttSubscribeReasonCode.UnspecifiedError);
            }
            else
            {
                codes.Add((MqttSubscribeReasonCode)(int)filter.QualityOfServiceLevel);
            }
        }

        return new MqttSubAckPacket { PacketIdentifier = subscribe.PacketIdentifier, ReasonCodes = codes };
    }

    /// <summary>Answers a wire's UNSUBSCRIBE: on MQTT 5 with a code per filter (<see cref="RefusedUnsubscribes"/> or success), on 3.1.1 with none.</summary>
    internal MqttUnsubAckPacket Unsubscribe(MqttUnsubscribePacket unsubscribe, bool version5)
    {
        var codes = version5 ? new List<MqttUnsubscribeReasonCode>(unsubscribe.TopicFilters.Count) : null;
        foreach (var filter in unsubscribe.TopicFilters)
        {
            SubscriptionLog.Enqueue($"-{filter}");
            codes?.Add(RefusedUnsubscribes.TryGetValue(filter, out var refused) ? (MqttUnsubscribeReasonCode)(int)refused : MqttUnsubscribeReasonCode.Success);
        }

        return new MqttUnsubAckPacket { PacketIdentifier = unsubscribe.PacketIdentifier, ReasonCodes = codes };
    }

    internal MqttClientConnectResult Connect(MqttClientOptions options)
    {
        ConnectOptions.Enqueue(options);
        ConnectTimes.Enqueue(Time.GetUtcNow());
        var code = ConnectResults.TryDequeue(out var next) ? next : MqttClientConnectResultCode.Success;
        return new MqttClientConnectResult { ResultCode = code, IsSessionPresent = SessionPresent && code == MqttClientConnectResultCode.Success };
    }
}

/// <summary>A message as the fake broker saw it.</summary>
/// <remarks><c>Packet</c> is the PUBLISH as the client wrote it, for its properties; its payload buffer goes back to the client's pool once the message completes, so read <c>Payload</c> (a copy) instead.</remarks>
internal sealed record PublishedMessage(string Topic, byte[] Payload, MqttQualityOfServiceLevel Qos, bool Retain, bool Dup, int Connection, ushort PacketId = 0, MQTTnet.Packets.MqttPublishPacket? Packet = null)
{
    public string Text => System.Text.Encoding.UTF8.GetString(Payload);
}
