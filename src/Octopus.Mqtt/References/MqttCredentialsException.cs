namespace Octopus.Mqtt;

/// <summary>
/// The credentials or TLS material of the options could not be resolved: a reference or item was not found, a store
/// failed, or a PEM value is malformed, encrypted or does not pair up. The connection attempt fails with it.
/// </summary>
/// <remarks>
/// The message starts with the option path (<c>client.basicAuth.passwordRef: …</c>) and names the reference and
/// item that were tried; it never contains a secret value.
/// </remarks>
public sealed class MqttCredentialsException : Exception
{
    /// <summary>Initializes a new instance of the <see cref="MqttCredentialsException"/> class.</summary>
    public MqttCredentialsException()
        : this(string.Empty, null, null, "The MQTT credentials could not be resolved.", null)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="MqttCredentialsException"/> class with a message.</summary>
    /// <param name="message">The message.</param>
    public MqttCredentialsException(string message)
        : this(string.Empty, null, null, message, null)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="MqttCredentialsException"/> class with a message and its cause.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The failure that caused this one.</param>
    public MqttCredentialsException(string message, Exception? innerException)
        : this(string.Empty, null, null, message, innerException)
    {
    }

    internal MqttCredentialsException(string fieldPath, string? referenceName, string? referenceItem, string message, Exception? innerException)
        : base(message, innerException)
    {
        FieldPath = fieldPath;
        ReferenceName = referenceName;
        ReferenceItem = referenceItem;
    }

    /// <summary>Gets the path of the option that could not be resolved, such as <c>client.tlsConfig.keyFilePEMRef</c>.</summary>
    /// <value>The option path, or an empty string when the exception was created without one.</value>
    public string FieldPath { get; }

    /// <summary>Gets the name of the reference that was read, when the value came from a reference.</summary>
    /// <value>The reference name, or <see langword="null"/> for a literal value.</value>
    public string? ReferenceName { get; }

    /// <summary>Gets the item of the reference that was read, when the value came from a reference.</summary>
    /// <value>The item, or <see langword="null"/> for a literal value.</value>
    public string? ReferenceItem { get; }
}
