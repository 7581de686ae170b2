namespace Octopus.Mqtt;

/// <summary>The MQTT 5 payload format indicator of a message.</summary>
public enum MqttPayloadFormat
{
    /// <summary>The payload is unspecified bytes (the indicator is 0, or absent).</summary>
    Unspecified = 0,

    /// <summary>The payload is UTF-8 encoded character data (the indicator is 1).</summary>
    Utf8 = 1,
}
