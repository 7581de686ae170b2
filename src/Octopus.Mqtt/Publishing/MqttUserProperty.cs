namespace Octopus.Mqtt;

/// <summary>One MQTT 5 user property of a message: a name and a value, both UTF-8 strings; a name may repeat.</summary>
/// <param name="Name">The property's name.</param>
/// <param name="Value">The property's value.</param>
public readonly record struct MqttUserProperty(string Name, string Value);
