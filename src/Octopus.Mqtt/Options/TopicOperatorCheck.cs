namespace Octopus.Mqtt;

/// <summary>
/// Warns about <c>message.operator.read</c> and <c>write</c> values no template uses: without an <c>:operator</c> level
/// the subscribe topic equals the publish topic, so the device receives its own status and commands land on it.
/// </summary>
internal static class TopicOperatorCheck
{
    private const string Keyword = ":operator";

    /// <summary>Adds a warning for each operator value set while no template it would go into has <c>:operator</c>.</summary>
    /// <param name="problems">Collects the warnings.</param>
    /// <param name="message">The message options.</param>
    public static void Check(List<MqttOptionsProblem> problems, MqttMessageSettings message)
    {
        if (message.Operator is not { } op || string.IsNullOrEmpty(message.Topic) || HasOperatorLevel(message.Topic))
        {
            return;
        }

        if (IsSet(op.Read))
        {
            Warn(problems, "message.operator.read", $"\"{op.Read}\" is not used: message.topic \"{message.Topic}\" has no {Keyword} level, so the subscribe topic is the publish topic (the device receives its own status); add {Keyword} to the topic or remove operator.read");
        }

        // The will topic is rendered with the write operator: a will topic with :operator uses it.
        if (IsSet(op.Write) && !(message.Will?.Topic is { Length: > 0 } willTopic && HasOperatorLevel(willTopic)))
        {
            Warn(problems, "message.operator.write", $"\"{op.Write}\" is not used: message.topic \"{message.Topic}\" has no {Keyword} level; add {Keyword} to the topic or remove operator.write");
        }
    }

    private static bool HasOperatorLevel(string template)
    {
        foreach (var range in template.AsSpan().Split('/'))
        {
            if (template.AsSpan(range) is Keyword)
            {
                return true;
            }
        }

        return false;
    }

    // The literal "null" means empty, as in Octopus.
    private static bool IsSet(string? value) => !string.IsNullOrEmpty(value) && value != "null";

    private static void Warn(List<MqttOptionsProblem> problems, string path, string detail) =>
        problems.Add(MqttOptionsProblem.Warning(path, $"{path}: {detail}"));
}
