namespace Octopus.Mqtt;

/// <summary>Per-call settings of one publish, overriding the <c>message</c> defaults, and the message's MQTT 5 properties.</summary>
/// <remarks>
/// <para>An instance can be shared by many calls; keep one per combination to publish without allocating.</para>
/// <para>
/// The MQTT 5 properties (<see cref="UserProperties"/>, <see cref="ContentType"/>, <see cref="PayloadFormat"/>,
/// <see cref="ResponseTopic"/>, <see cref="CorrelationData"/>) need <c>client.protocolVersion</c> 5: with MQTT 3.1 or
/// 3.1.1 a publish that sets one is refused with an <see cref="ArgumentException"/> naming it.
/// <see cref="MessageExpiryInterval"/> is honoured on every version: the client drops the message as
/// <see cref="MqttDropReason.Expired"/> when it has waited that long unsent, and on MQTT 5 sends the interval that
/// remains so the broker honours it too.
/// </para>
/// </remarks>
public sealed class MqttPublishOptions
{
    /// <summary>Gets the values of extra topic keywords (and of <c>:path</c> or <c>:operator</c>) for this publish.</summary>
    /// <value>The default value is <see langword="null"/>: the device's topic as the options render it.</value>
    public IReadOnlyDictionary<string, string>? RenderMap { get; init; }

    /// <summary>Gets the QoS of this publish.</summary>
    /// <value>The default value is <see langword="null"/>: <c>message.qos</c>.</value>
    public MqttQos? Qos { get; init; }

    /// <summary>Gets the retain flag of this publish.</summary>
    /// <value>The default value is <see langword="null"/>: <c>message.retained</c>.</value>
    public bool? Retained { get; init; }

    /// <summary>Gets the MQTT 5 user properties of the message, sent in this order.</summary>
    /// <value>The default value is <see langword="null"/>: none (the client may add <c>traceparent</c> and <c>tracestate</c>).</value>
    public IReadOnlyList<UserProperty>? UserProperties { get; init; }

    /// <summary>Gets the MQTT 5 content type of the message, e.g. <c>application/json</c>.</summary>
    /// <value>
    /// The default value is <see langword="null"/>: <see cref="MqttDeviceClientOptions.JsonContentType"/> for a value
    /// published as JSON, <see cref="MqttDeviceClientOptions.DefaultContentType"/> for bytes.
    /// </value>
    public string? ContentType { get; init; }

    /// <summary>Gets the MQTT 5 payload format indicator of the message.</summary>
    /// <value>The default value is <see langword="null"/>: <see cref="MqttPayloadFormat.Utf8"/> for a value published as JSON with a content type, none otherwise.</value>
    public MqttPayloadFormat? PayloadFormat { get; init; }

    /// <summary>Gets how long the message stays worth delivering after the publish call (whole seconds on the wire).</summary>
    /// <value>The default value is <see langword="null"/>: <c>message.expiry</c>, or <see cref="MqttDeviceClientOptions.MessageExpiryInterval"/>, or no expiry.</value>
    public TimeSpan? MessageExpiryInterval { get; init; }

    /// <summary>Gets the MQTT 5 response topic of the message (a request's reply topic).</summary>
    /// <value>The default value is <see langword="null"/>: none.</value>
    public string? ResponseTopic { get; init; }

    /// <summary>Gets the MQTT 5 correlation data of the message (copied at the call).</summary>
    /// <value>The default value is empty: none.</value>
    public ReadOnlyMemory<byte> CorrelationData { get; init; }
}
