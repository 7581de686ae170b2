using MQTTnet.Protocol;

namespace Octopus.Mqtt.IntegrationTests.Brokers;

/// <summary>What a <see cref="ScriptedBroker"/> keeps for one client ID; guarded by the broker's lock.</summary>
internal sealed class ScriptedSession(string clientId)
{
    public string ClientId { get; } = clientId;

    /// <summary>Gets or sets a value indicating whether the session outlives its connection (clean session false, or MQTT 5 session expiry above 0).</summary>
    public bool Persistent { get; set; }

    /// <summary>Gets the packet identifiers of inbound QoS 2 messages delivered and awaiting their PUBREL.</summary>
    public HashSet<ushort> AwaitingPubRel { get; } = [];

    /// <summary>Gets the subscriptions, topic filter to granted QoS.</summary>
    public Dictionary<string, MqttQualityOfServiceLevel> Subscriptions { get; } = [];
}
