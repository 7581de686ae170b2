namespace Octopus.Mqtt;

/// <summary>One rendered subscription.</summary>
/// <param name="Index">Its position in the subscribe call's list.</param>
/// <param name="Filter">The topic filter.</param>
/// <param name="Qos">The QoS.</param>
internal readonly record struct SubscriptionEntry(int Index, string Filter, MqttQos Qos);
