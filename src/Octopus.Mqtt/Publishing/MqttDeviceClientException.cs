namespace Octopus.Mqtt;

/// <summary>
/// A device client could not do what was asked: the broker refused or could not be reached on connect, refused a
/// subscription, or the message queue refused a publish.
/// </summary>
public sealed class MqttDeviceClientException : Exception
{
    /// <summary>Initializes a new instance of the <see cref="MqttDeviceClientException"/> class.</summary>
    public MqttDeviceClientException()
    {
    }

    /// <summary>Initializes a new instance of the <see cref="MqttDeviceClientException"/> class.</summary>
    /// <param name="message">What failed.</param>
    public MqttDeviceClientException(string message)
        : base(message)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="MqttDeviceClientException"/> class.</summary>
    /// <param name="message">What failed.</param>
    /// <param name="innerException">The cause.</param>
    public MqttDeviceClientException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="MqttDeviceClientException"/> class.</summary>
    /// <param name="message">What failed.</param>
    /// <param name="reasonCode">The broker's reason code (MQTT 5 numbering), or <see langword="null"/> when the broker gave none.</param>
    /// <param name="innerException">The cause, if any.</param>
    public MqttDeviceClientException(string message, int? reasonCode, Exception? innerException)
        : base(message, innerException)
    {
        ReasonCode = reasonCode;
    }

    /// <summary>
    /// Gets the broker's reason code (MQTT 5 numbering, e.g. 134 bad user name or password, 135 not authorized), or
    /// <see langword="null"/> when the broker gave none (unreachable, timed out).
    /// </summary>
    public int? ReasonCode { get; }

    /// <summary>Gets the MQTT 5 Server Reference the broker sent with its refusal or DISCONNECT, or <see langword="null"/>.</summary>
    internal string? ServerReference { get; init; }
}
