namespace Octopus.Mqtt;

/// <summary>The device's topics, rendered from <c>message.topic</c> for publishing and subscribing.</summary>
internal interface IMqttDeviceTopics
{
    /// <summary>Gets the publish topic without a render map, rendered once.</summary>
    string PublishTopic { get; }

    /// <summary>Renders the publish topic with a per-call render map.</summary>
    /// <param name="renderMap">The per-call values.</param>
    /// <returns>The topic.</returns>
    /// <exception cref="ArgumentException">A value would make an invalid topic.</exception>
    string RenderPublishTopic(IReadOnlyDictionary<string, string> renderMap);

    /// <summary>Renders a subscription's topic filter (with <c>operator.read</c>).</summary>
    /// <param name="renderMap">The subscription's values, if any.</param>
    /// <returns>The topic filter.</returns>
    /// <exception cref="ArgumentException">A value would make an invalid topic filter.</exception>
    string RenderSubscribeTopic(IReadOnlyDictionary<string, string>? renderMap);
}
