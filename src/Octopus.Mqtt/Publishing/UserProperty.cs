namespace Octopus.Mqtt;

/// <summary>One MQTT 5 user property of a message (named apart from MQTTnet's <c>MqttUserProperty</c>, which code using both may import): a name and a value, both UTF-8 strings; a name may repeat.</summary>
/// <param name="Name">The property's name.</param>
/// <param name="Value">The property's value.</param>
public readonly record struct UserProperty(string Name, string Value);
