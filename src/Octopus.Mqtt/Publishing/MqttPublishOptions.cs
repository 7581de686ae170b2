namespace Octopus.Mqtt;

/// <summary>Per-call settings of one publish, overriding the <c>message</c> defaults.</summary>
/// <remarks>An instance can be shared by many calls; keep one per combination to publish without allocating.</remarks>
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
}
