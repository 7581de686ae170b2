namespace Octopus.Mqtt.Testing;

/// <summary>The broker's state for one client ID: its subscriptions, its connection, and while it is offline with a persistent session, the messages it missed.</summary>
/// <param name="clientId">The client ID.</param>
internal sealed class BrokerSession(string clientId)
{
    /// <summary>Gets the client ID.</summary>
    public string ClientId { get; } = clientId;

    /// <summary>Gets the subscribed topic filters and their QoS.</summary>
    public Dictionary<string, MqttQos> Subscriptions { get; } = new(StringComparer.Ordinal);

    /// <summary>Gets or sets the connected client, or <see langword="null"/> while offline.</summary>
    public FakeMqttDeviceClient? Client { get; set; }

    /// <summary>Gets or sets the connected packet connection, or <see langword="null"/> while offline (or connected as a <see cref="FakeMqttDeviceClient"/>).</summary>
    public FakeBrokerConnection? Connection { get; set; }

    /// <summary>Gets or sets a value indicating whether the session outlives its connection (<c>client.cleanSession</c> false).</summary>
    public bool Persistent { get; set; }

    /// <summary>Gets the QoS 1 and 2 messages that matched while the client was offline with a persistent session.</summary>
    public List<FakeMqttMessage> Pending { get; } = [];
}
