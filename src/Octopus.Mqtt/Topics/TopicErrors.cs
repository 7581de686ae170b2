using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace Octopus.Mqtt;

/// <summary>The messages of <see cref="MqttTopicException"/>, and throw helpers that keep the rendering path small.</summary>
internal static class TopicErrors
{
    internal static MqttTopicException NullCharacter(string template) =>
        new($"The topic template {Quote(template)} contains U+0000, which MQTT does not allow in a topic.");

    internal static MqttTopicException WildcardInsideLevel(string template, string level) =>
        new($"The topic template {Quote(template)} has the level {Quote(level)} with \"+\" or \"#\" inside it; " +
            "a wildcard must be a whole level, and only in a subscribe topic.");

    internal static MqttTopicException MultiLevelWildcardNotLast(string template) =>
        new($"The topic template {Quote(template)} has levels after the wildcard \"#\"; \"#\" must be the last level.");

    internal static MqttTopicException NoLevels(string template) =>
        new($"The topic template {Quote(template)} has no levels; a topic needs at least one.");

    internal static MqttTopicException Injection(string keyword, string value)
    {
        var at = value.AsSpan().IndexOfAny(TopicCharacters.Forbidden);
        var what = value[at] switch
        {
            '+' => "the wildcard \"+\"",
            '#' => "the wildcard \"#\"",
            _ => "U+0000",
        };
        return new($"The value {Quote(value)} of :{keyword} would put {what} into the topic; " +
                   "a value cannot contain \"+\", \"#\" or U+0000.");
    }

    [DoesNotReturn]
    internal static void ThrowInjection(string keyword, string value) => throw Injection(keyword, value);

    [DoesNotReturn]
    internal static void ThrowWildcardInPublish(string template, string wildcard) =>
        throw new MqttTopicException(
            $"The topic template {Quote(template)} has the wildcard level {Quote(wildcard)}; a publish topic cannot contain wildcards.");

    [DoesNotReturn]
    internal static void ThrowEmpty(string template, bool publish) =>
        throw new MqttTopicException(
            $"The topic template {Quote(template)} renders an empty {Direction(publish)} topic: every level vanished.");

    [DoesNotReturn]
    internal static void ThrowTooLong(string template, bool publish, int byteCount) =>
        throw new MqttTopicException(string.Create(
            CultureInfo.InvariantCulture,
            $"The {Direction(publish)} topic rendered from the template {Quote(template)} is {byteCount} UTF-8 bytes long; " +
            $"MQTT allows at most {TopicCharacters.MaxUtf8Bytes}."));

    private static string Direction(bool publish) => publish ? "publish" : "subscribe";

    /// <summary>Quotes a template, level or value for a message, showing U+0000 as <c>\0</c>.</summary>
    internal static string Quote(string text) => "\"" + text.Replace("\0", "\\0", StringComparison.Ordinal) + "\"";
}
