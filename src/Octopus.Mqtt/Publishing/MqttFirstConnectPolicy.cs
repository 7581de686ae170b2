namespace Octopus.Mqtt;

/// <summary>What <see cref="IMqttDeviceClient.ConnectAsync"/> does when the first connection attempt fails.</summary>
public enum MqttFirstConnectPolicy
{
    /// <summary>The call throws <see cref="MqttDeviceClientException"/>, as the Octopus adaptors expect; no retry follows.</summary>
    FailFast = 0,

    /// <summary>
    /// The call returns and the client keeps trying in the background with the reconnect backoff; publishes are queued
    /// meanwhile. <see cref="IMqttDeviceClient.StateChanged"/> reports each failure.
    /// </summary>
    RetryInBackground = 1,
}
