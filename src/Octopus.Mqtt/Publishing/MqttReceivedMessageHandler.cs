namespace Octopus.Mqtt;

/// <summary>Handles a message received on one of the device's subscriptions.</summary>
/// <param name="message">The message, with the index of the subscription it matched and its MQTT 5 properties.</param>
/// <param name="cancellationToken">Cancelled when the client is disposed.</param>
/// <returns>A task that completes when the message is handled; a QoS 1 or 2 message is acknowledged after it.</returns>
/// <remarks>
/// A message whose topic matches several subscriptions (wildcards) is handed to the handler once per matching index.
/// An exception thrown by the handler is logged and does not affect the connection.
/// </remarks>
public delegate ValueTask MqttReceivedMessageHandler(MqttReceivedMessage message, CancellationToken cancellationToken);
