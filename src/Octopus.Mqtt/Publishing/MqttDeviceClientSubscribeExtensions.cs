using System.Text.Json.Serialization.Metadata;

namespace Octopus.Mqtt;

/// <summary>The shorter subscribe overloads of <see cref="IMqttDeviceClient"/>: the device's own subscribe topic in one call, each message whole or as a typed value.</summary>
public static class MqttDeviceClientSubscribeExtensions
{
    /// <summary>Makes <paramref name="subscriptions"/> the device's whole set of subscriptions, each message passed to <paramref name="handler"/> whole.</summary>
    /// <param name="client">The client.</param>
    /// <param name="subscriptions">The desired subscriptions; an empty list unsubscribes everything.</param>
    /// <param name="handler">Receives the messages; replaces the handler of the previous call.</param>
    /// <returns>A task that completes when the broker acknowledged the changes, when offline, or after <c>client.waitTimeout</c>.</returns>
    public static Task SubscribeAsync(this IMqttDeviceClient client, IReadOnlyList<MqttDeviceSubscription> subscriptions, MqttReceivedMessageHandler handler)
    {
        ArgumentNullException.ThrowIfNull(client);
        return client.SubscribeAsync(subscriptions, handler, CancellationToken.None);
    }

    /// <summary>
    /// Subscribes to the device's own topic (<c>message.topic</c> rendered with <c>operator.read</c>, QoS
    /// <c>message.qos</c>) as the device's only subscription, each message passed to <paramref name="handler"/> with index 0.
    /// </summary>
    /// <param name="client">The client.</param>
    /// <param name="handler">Receives the messages; replaces the handler of the previous call.</param>
    /// <param name="cancellationToken">Ends the wait; the subscription is recorded and applied anyway.</param>
    /// <returns>A task that completes when the broker acknowledged it, when offline, or after <c>client.waitTimeout</c>.</returns>
    public static Task SubscribeAsync(this IMqttDeviceClient client, MqttReceivedMessageHandler handler, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        return client.SubscribeAsync([new MqttDeviceSubscription()], handler, cancellationToken);
    }

    /// <summary>Subscribes to the device's own topic as its only subscription; see <see cref="SubscribeAsync(IMqttDeviceClient, MqttReceivedMessageHandler, CancellationToken)"/>.</summary>
    /// <param name="client">The client.</param>
    /// <param name="handler">Receives the messages.</param>
    /// <returns>A task that completes when the broker acknowledged it, when offline, or after <c>client.waitTimeout</c>.</returns>
    public static Task SubscribeAsync(this IMqttDeviceClient client, MqttReceivedMessageHandler handler) =>
        SubscribeAsync(client, handler, CancellationToken.None);

    /// <summary>
    /// Subscribes to the device's own topic as its only subscription and passes each message's payload read as JSON of
    /// <typeparamref name="T"/>, with the message itself. A payload that is not JSON of <typeparamref name="T"/> is
    /// logged as a handler failure and acknowledged.
    /// </summary>
    /// <typeparam name="T">The type of the messages' JSON.</typeparam>
    /// <param name="client">The client.</param>
    /// <param name="jsonTypeInfo">The metadata of <typeparamref name="T"/>, e.g. from a <c>JsonSerializerContext</c>.</param>
    /// <param name="handler">Receives each value and its message.</param>
    /// <param name="cancellationToken">Ends the wait; the subscription is recorded and applied anyway.</param>
    /// <returns>A task that completes when the broker acknowledged it, when offline, or after <c>client.waitTimeout</c>.</returns>
    public static Task SubscribeAsync<T>(this IMqttDeviceClient client, JsonTypeInfo<T> jsonTypeInfo, Func<T?, MqttReceivedMessage, CancellationToken, ValueTask> handler, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(jsonTypeInfo);
        ArgumentNullException.ThrowIfNull(handler);
        return client.SubscribeAsync([new MqttDeviceSubscription()], (message, token) => handler(message.ReadJson(jsonTypeInfo), message, token), cancellationToken);
    }

    /// <summary>Subscribes to the device's own topic, each payload read as JSON; see <see cref="SubscribeAsync{T}(IMqttDeviceClient, JsonTypeInfo{T}, Func{T, MqttReceivedMessage, CancellationToken, ValueTask}, CancellationToken)"/>.</summary>
    /// <typeparam name="T">The type of the messages' JSON.</typeparam>
    /// <param name="client">The client.</param>
    /// <param name="jsonTypeInfo">The metadata of <typeparamref name="T"/>.</param>
    /// <param name="handler">Receives each value and its message.</param>
    /// <returns>A task that completes when the broker acknowledged it, when offline, or after <c>client.waitTimeout</c>.</returns>
    public static Task SubscribeAsync<T>(this IMqttDeviceClient client, JsonTypeInfo<T> jsonTypeInfo, Func<T?, MqttReceivedMessage, CancellationToken, ValueTask> handler) =>
        SubscribeAsync(client, jsonTypeInfo, handler, CancellationToken.None);
}
