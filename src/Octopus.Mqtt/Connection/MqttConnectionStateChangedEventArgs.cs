namespace Octopus.Mqtt;

/// <summary>Describes a change of <see cref="IMqttDeviceClient.State"/>.</summary>
public sealed class MqttConnectionStateChangedEventArgs : EventArgs
{
    /// <summary>Initializes a new instance of the <see cref="MqttConnectionStateChangedEventArgs"/> class.</summary>
    /// <param name="previousState">The state before the change.</param>
    /// <param name="state">The state after the change.</param>
    /// <param name="error">Why the connection failed or was lost, if it did.</param>
    public MqttConnectionStateChangedEventArgs(MqttConnectionState previousState, MqttConnectionState state, Exception? error)
    {
        PreviousState = previousState;
        State = state;
        Error = error;
    }

    /// <summary>Gets the state before the change.</summary>
    public MqttConnectionState PreviousState { get; }

    /// <summary>Gets the state after the change.</summary>
    public MqttConnectionState State { get; }

    /// <summary>
    /// Gets why a connection attempt failed (a <see cref="MqttDeviceClientException"/>, with the broker's reason code
    /// when it refused) or why the connection was lost; <see langword="null"/> otherwise.
    /// </summary>
    public Exception? Error { get; }
}
