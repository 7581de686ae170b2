namespace Octopus.Mqtt;

/// <summary>Describes a session the broker did not keep though <c>client.cleanSession</c> is false (see <see cref="IMqttDeviceClient.SessionLost"/>).</summary>
public sealed class MqttSessionLostEventArgs : EventArgs
{
    /// <summary>Initializes a new instance of the <see cref="MqttSessionLostEventArgs"/> class.</summary>
    /// <param name="resentAsNew">How many unacknowledged messages are sent again as new messages.</param>
    public MqttSessionLostEventArgs(int resentAsNew) => ResentAsNew = resentAsNew;

    /// <summary>
    /// Gets how many unacknowledged QoS 1 and 2 messages are sent again as new messages (with new packet identifiers):
    /// a subscriber may see them twice, QoS 2 included.
    /// </summary>
    public int ResentAsNew { get; }
}
