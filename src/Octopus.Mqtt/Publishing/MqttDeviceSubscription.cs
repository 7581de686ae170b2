namespace Octopus.Mqtt;

/// <summary>
/// One topic a device listens to: the <c>message.topic</c> template rendered for subscribing (with
/// <c>operator.read</c>) and this subscription's render map.
/// </summary>
/// <remarks>
/// Subscriptions are passed as a list; a subscription's position in that list is the index the message handler
/// receives.
/// </remarks>
public sealed class MqttDeviceSubscription
{
    /// <summary>Gets the values of extra topic keywords (and of <c>:path</c> or <c>:operator</c>) for this subscription.</summary>
    /// <value>The default value is <see langword="null"/>: the template rendered with the options' values only.</value>
    public IReadOnlyDictionary<string, string>? RenderMap { get; init; }

    /// <summary>Gets the QoS of the subscription.</summary>
    /// <value>The default value is <see langword="null"/>: <c>message.qos</c>.</value>
    public MqttQos? Qos { get; init; }
}
