namespace Octopus.Mqtt;

/// <summary>
/// The engine's view of a device's topics, on top of a bound <see cref="MqttDeviceTopic"/>: the default publish topic
/// is the string rendered once at bind.
/// </summary>
internal sealed class BoundDeviceTopics(MqttDeviceTopic topic) : IMqttDeviceTopics
{
    /// <summary>
    /// Gets the publish topic without overrides. A template that cannot give one (a wildcard level, every level from a
    /// render map) throws <see cref="MqttTopicException"/> here, so a subscribe-only device still gets a client.
    /// </summary>
    public string PublishTopic => topic.RenderForPublish();

    public string RenderPublishTopic(IReadOnlyDictionary<string, string> renderMap) => topic.RenderForPublish(renderMap);

    public string RenderSubscribeTopic(IReadOnlyDictionary<string, string>? renderMap) => topic.RenderForSubscribe(renderMap);
}
