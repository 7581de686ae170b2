namespace Octopus.Mqtt.IntegrationTests.Engine;

/// <summary>A fixed publish topic; a render map's <c>topic</c> replaces it, and a subscription's <c>filter</c> is its whole filter.</summary>
internal sealed class SimpleTopics(string publishTopic) : IMqttDeviceTopics
{
    public string PublishTopic => publishTopic;

    public string RenderPublishTopic(IReadOnlyDictionary<string, string> renderMap) =>
        renderMap.TryGetValue("topic", out var topic) ? topic : publishTopic;

    public string RenderSubscribeTopic(IReadOnlyDictionary<string, string>? renderMap) =>
        renderMap is not null && renderMap.TryGetValue("filter", out var filter) ? filter : publishTopic + "/cmd";
}
