namespace Octopus.Mqtt;

/// <summary>Handles a message received on one of the device's subscriptions (its topic and payload; <see cref="MqttReceivedMessageHandler"/> gets the whole message).</summary>
/// <param name="index">The position, in the list passed to <see cref="IMqttDeviceClient.SubscribeAsync(IReadOnlyList{MqttDeviceSubscription}, MqttMessageHandler, CancellationToken)"/>, of the subscription the topic matches.</param>
/// <param name="topic">The topic the message was published to.</param>
/// <param name="payload">The payload; valid only until the returned task completes (copy it to keep it).</param>
/// <param name="cancellationToken">Cancelled when the client is disposed.</param>
/// <returns>A task that completes when the message is handled.</returns>
/// <remarks>
/// A message whose topic matches several subscriptions (wildcards) is handed to the handler once per matching index.
/// An exception thrown by the handler is logged and does not affect the connection.
/// </remarks>
public delegate ValueTask MqttMessageHandler(int index, string topic, ReadOnlyMemory<byte> payload, CancellationToken cancellationToken);
