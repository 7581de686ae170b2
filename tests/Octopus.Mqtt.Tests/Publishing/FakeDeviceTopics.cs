using System.Text.RegularExpressions;

namespace Octopus.Mqtt.Tests.Publishing;

/// <summary>Renders <c>:key</c> placeholders (render map first, then <c>:namespace</c> = default, <c>:name</c> = case1), nothing more; enough to drive the engine.</summary>
internal sealed partial class FakeDeviceTopics(string publishTemplate, string subscribeTemplate = "devices/:name/cmd") : IMqttDeviceTopics
{
    private static readonly Dictionary<string, string> Defaults = new() { ["namespace"] = "default", ["name"] = "case1" };

    public string PublishTopic => Render(publishTemplate, null);

    public string RenderPublishTopic(IReadOnlyDictionary<string, string> renderMap) => Render(publishTemplate, renderMap);

    public string RenderSubscribeTopic(IReadOnlyDictionary<string, string>? renderMap) => Render(subscribeTemplate, renderMap);

    private static string Render(string template, IReadOnlyDictionary<string, string>? renderMap) =>
        Keyword().Replace(template, match =>
        {
            var key = match.Groups[1].Value;
            return renderMap is not null && renderMap.TryGetValue(key, out var value) ? value
                : Defaults.TryGetValue(key, out var fallback) ? fallback
                : match.Value;
        });

    [GeneratedRegex(":([A-Za-z]+)")]
    private static partial Regex Keyword();
}
