using MQTTnet.Protocol;

namespace Octopus.Mqtt.Testing;

/// <summary>
/// The failures the broker holds ready for the packet connections of one client ID: each armed failure is used once,
/// in order; <see cref="Blocked"/> refuses every connection until cleared.
/// </summary>
internal sealed class ClientFaults
{
    /// <summary>Gets an empty set, for a client ID nothing was armed for; never armed itself.</summary>
    public static ClientFaults None { get; } = new();

    /// <summary>Gets the exceptions the next transport opens throw.</summary>
    public Queue<Exception> Opens { get; } = new();

    /// <summary>Gets the reason codes the next CONNECTs are refused with (a 3.1.1 CONNACK carries the matching return code).</summary>
    public Queue<MqttConnectReasonCode> Connects { get; } = new();

    /// <summary>Gets how the next PUBLISHes are refused: a PUBACK or PUBREC reason code (MQTT 5), or <see langword="null"/> to drop the connection.</summary>
    public Queue<MqttPubAckReasonCode?> Publishes { get; } = new();

    /// <summary>Gets the codes the next SUBSCRIBEs refuse every topic filter with (0x80 on 3.1.1, which knows no other failure).</summary>
    public Queue<MqttSubscribeReasonCode> Subscribes { get; } = new();

    /// <summary>Gets or sets a value indicating whether the transport refuses to open, as when the broker is unreachable.</summary>
    public bool Blocked { get; set; }
}
