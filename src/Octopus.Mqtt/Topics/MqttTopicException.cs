namespace Octopus.Mqtt;

/// <summary>
/// The exception thrown when a topic template cannot be parsed, or cannot be rendered into a valid MQTT topic:
/// a value that would inject <c>+</c>, <c>#</c> or U+0000, a wildcard in a publish topic, an empty topic,
/// or a topic longer than 65535 UTF-8 bytes.
/// </summary>
public sealed class MqttTopicException : ArgumentException
{
    /// <summary>Initializes a new instance of the <see cref="MqttTopicException"/> class.</summary>
    public MqttTopicException()
    {
    }

    /// <summary>Initializes a new instance of the <see cref="MqttTopicException"/> class with a message.</summary>
    /// <param name="message">What is wrong, naming the template, keyword or value, and what is allowed.</param>
    public MqttTopicException(string message)
        : base(message)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="MqttTopicException"/> class with a message and a cause.</summary>
    /// <param name="message">What is wrong, naming the template, keyword or value, and what is allowed.</param>
    /// <param name="innerException">The exception that caused this one.</param>
    public MqttTopicException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
