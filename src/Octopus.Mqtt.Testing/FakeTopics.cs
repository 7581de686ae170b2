using MQTTnet;
using MQTTnet.Exceptions;
using MQTTnet.Protocol;

namespace Octopus.Mqtt.Testing;

/// <summary>Topic checks and matching, by the same MQTTnet rules the real client and broker apply.</summary>
internal static class FakeTopics
{
    /// <summary>Gets a value indicating whether <paramref name="topic"/> matches <paramref name="filter"/> (<c>+</c> and <c>#</c> included).</summary>
    public static bool Matches(string topic, string filter) =>
        MqttTopicFilterComparer.Compare(topic, filter) == MqttTopicFilterCompareResult.IsMatch;

    /// <summary>Refuses a topic a real client could not publish to, as the real client does.</summary>
    /// <exception cref="ArgumentException">The topic is empty, has a wildcard or U+0000.</exception>
    public static void ValidatePublishTopic(string topic, string what)
    {
        try
        {
            MqttTopicValidator.ThrowIfInvalid(topic);
        }
        catch (MqttProtocolViolationException exception)
        {
            throw new ArgumentException($"{what}: \"{topic}\" is not a valid MQTT topic: {exception.Message}", exception);
        }
    }
}
