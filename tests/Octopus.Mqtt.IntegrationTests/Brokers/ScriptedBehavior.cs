using MQTTnet.Packets;
using MQTTnet.Protocol;

namespace Octopus.Mqtt.IntegrationTests.Brokers;

/// <summary>
/// How a <see cref="ScriptedBroker"/> answers, settable by a test at any time (read when each packet is answered).
/// Holding acknowledgements and cutting connections are steps on the broker itself.
/// </summary>
public sealed class ScriptedBehavior
{
    /// <summary>Gets or sets a value indicating whether a QoS 2 PUBLISH is answered with PUBACK instead of PUBREC, as RabbitMQ 3.x does.</summary>
    /// <value>The default value is <see langword="false"/>.</value>
    public bool AnswerQos2WithPubAck { get; set; }

    private int _unansweredPings;

    /// <summary>Gets or sets how many of the next PINGREQs go unanswered; every later one is answered with PINGRESP.</summary>
    /// <value>The default value is 0: every PINGREQ is answered.</value>
    public int UnansweredPings
    {
        get => Volatile.Read(ref _unansweredPings);
        set => Volatile.Write(ref _unansweredPings, value);
    }

    /// <summary>Decides, once per PINGREQ, whether it goes unanswered (taking one of <see cref="UnansweredPings"/>).</summary>
    /// <returns><see langword="true"/> when this PINGREQ gets no PINGRESP.</returns>
    public bool TakeUnansweredPing()
    {
        var left = Volatile.Read(ref _unansweredPings);
        while (left > 0)
        {
            var seen = Interlocked.CompareExchange(ref _unansweredPings, left - 1, left);
            if (seen == left)
            {
                return true;
            }

            left = seen;
        }

        return false;
    }

    /// <summary>
    /// Gets or sets a value indicating whether a client's PUBREC (for a QoS 2 PUBLISH the broker sent) is answered with
    /// PUBREL at once; when <see langword="false"/> the test sends it with <see cref="ScriptedConnection.SendPubRelAsync"/>.
    /// </summary>
    /// <value>The default value is <see langword="true"/>.</value>
    public bool AnswerPubRec { get; set; } = true;

    /// <summary>Gets or sets the CONNACK's reason code (converted to the 3.x return code for 3.x clients); on failure the connection is closed after it.</summary>
    /// <value>The default value is <see cref="MqttConnectReasonCode.Success"/>.</value>
    public MqttConnectReasonCode ConnectReasonCode { get; set; } = MqttConnectReasonCode.Success;

    /// <summary>
    /// Gets or sets a change to each CONNACK before it is sent: MQTT 5 properties such as ReceiveMaximum, MaximumQoS,
    /// RetainAvailable, MaximumPacketSize, ServerKeepAlive, AssignedClientIdentifier, ServerReference, or the session flag.
    /// </summary>
    /// <value>The default value is <see langword="null"/>: the broker's own CONNACK.</value>
    public Action<MqttConnAckPacket>? ConnAck { get; set; }

    /// <summary>Gets or sets the SUBACK reason code for a topic filter; <see langword="null"/> (or a null result) grants the requested QoS.</summary>
    /// <value>The default value is <see langword="null"/>.</value>
    public Func<string, MqttSubscribeReasonCode?>? SubscribeReasonCode { get; set; }

    /// <summary>Gets or sets the UNSUBACK reason code (MQTT 5) for a topic filter; <see langword="null"/> answers success.</summary>
    /// <value>The default value is <see langword="null"/>.</value>
    public Func<string, MqttUnsubscribeReasonCode>? UnsubscribeReasonCode { get; set; }
}
