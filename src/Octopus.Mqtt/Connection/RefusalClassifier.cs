namespace Octopus.Mqtt;

/// <summary>Sorts the reason codes (MQTT 5 numbering, which MQTTnet maps 3.1.1's CONNACK codes to) into <see cref="RefusalKind"/>.</summary>
internal static class RefusalClassifier
{
    /// <summary>0x8E Session Taken Over.</summary>
    public const int SessionTakenOver = 0x8E;

    /// <summary>0x9C Use Another Server.</summary>
    public const int UseAnotherServer = 0x9C;

    /// <summary>0x9D Server Moved.</summary>
    public const int ServerMoved = 0x9D;

    /// <summary>Classifies a reason code.</summary>
    /// <param name="reasonCode">The code, or <see langword="null"/> when the broker gave none.</param>
    /// <returns>What the code asks of the client.</returns>
    public static RefusalKind Classify(int? reasonCode) => reasonCode switch
    {
        0x84 or 0x85 or 0x86 or 0x87 or 0x8A or 0x8C => RefusalKind.Fatal,
        UseAnotherServer or ServerMoved => RefusalKind.Redirect,
        SessionTakenOver => RefusalKind.Takeover,
        _ => RefusalKind.Transient,
    };

    /// <summary>Classifies the reason an attempt failed or a connection was lost.</summary>
    /// <param name="error">The exception, if any.</param>
    /// <returns>What it asks of the client.</returns>
    public static RefusalKind Classify(Exception? error) =>
        error is MqttDeviceClientException { ReasonCode: { } code } ? Classify(code) : RefusalKind.Transient;
}
