namespace Octopus.Mqtt;

/// <summary>One problem found while reading or validating MQTT options: where it is, and what is wrong and allowed.</summary>
/// <remarks>Messages name the field and its value, but never the value of a secret (a password or a private key).</remarks>
public sealed class MqttOptionsProblem
{
    /// <summary>Initializes a new instance of the <see cref="MqttOptionsProblem"/> class.</summary>
    /// <param name="severity">Whether the problem is an error or a warning.</param>
    /// <param name="path">The path of the field, e.g. <c>client.tlsConfig.certFilePEM</c>.</param>
    /// <param name="message">The whole message, which names the field.</param>
    public MqttOptionsProblem(MqttOptionsProblemSeverity severity, string path, string message)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(message);
        Severity = severity;
        Path = path;
        Message = message;
    }

    /// <summary>Gets whether the problem is an error or a warning.</summary>
    public MqttOptionsProblemSeverity Severity { get; }

    /// <summary>Gets the path of the field, e.g. <c>client.tlsConfig.certFilePEM</c>; empty for the document as a whole.</summary>
    public string Path { get; }

    /// <summary>Gets the whole message, which starts with the field's path, e.g.
    /// <c>client.conectTimeout is not a known field; did you mean connectTimeout?</c>.</summary>
    public string Message { get; }

    /// <summary>Returns the severity and the message, e.g. <c>warning: client.connectionTime is …</c>.</summary>
    /// <returns>The severity and the message.</returns>
    public override string ToString() =>
        $"{(Severity == MqttOptionsProblemSeverity.Warning ? "warning" : "error")}: {Message}";

    internal static MqttOptionsProblem Error(string path, string message) => new(MqttOptionsProblemSeverity.Error, path, message);

    internal static MqttOptionsProblem Warning(string path, string message) => new(MqttOptionsProblemSeverity.Warning, path, message);
}
