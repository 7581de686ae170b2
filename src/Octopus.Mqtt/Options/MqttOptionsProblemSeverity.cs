namespace Octopus.Mqtt;

/// <summary>How serious a problem found in MQTT options is.</summary>
public enum MqttOptionsProblemSeverity
{
    /// <summary>The options cannot be used as they are.</summary>
    Error = 0,

    /// <summary>The options work, but probably not as their author meant (a misspelt field, a reference that is ignored).</summary>
    Warning = 1,
}
