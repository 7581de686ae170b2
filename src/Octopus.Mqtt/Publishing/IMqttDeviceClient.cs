using System.Diagnostics.CodeAnalysis;
using System.Text.Json.Serialization.Metadata;

namespace Octopus.Mqtt;

/// <summary>
/// The MQTT client of one device (DeviceLink): publishes the device's status to its templated topic and delivers the
/// messages of its subscriptions, reconnecting, queueing and resending as needed.
/// </summary>
/// <remarks>
/// <para>
/// <see cref="MqttDeviceClientExtensions"/> adds the shorter publish overloads (without per-call options, or without a
/// cancellation token).
/// </para>
/// <para>All members are safe to call from several threads at once.</para>
/// <para>
/// A publish is accepted into a bounded queue (<c>client.messageChannelDepth</c>) and sent by one sender: with
/// <c>client.order</c> true, messages reach the broker in publish order, across reconnects; with false, QoS 1 and 2
/// messages are pipelined. Unacknowledged QoS 1 and 2 messages are sent again after a reconnect (at least once: the
/// broker may see a message twice). The <c>client.store</c> File type keeps them across process restarts too.
/// </para>
/// <para>
/// A publish call waits for its message's outcome: up to <c>client.waitTimeout</c> when it is set (across
/// reconnects); otherwise up to <c>client.writeTimeout</c> when connected, and not at all when offline (the result is
/// then <see cref="MqttPublishStatus.Queued"/>). A message dropped after its call returned is logged and counted.
/// </para>
/// <para>
/// Disposing disconnects gracefully: publishing stops, in-flight messages get up to <c>client.disconnectQuiesce</c>
/// to complete, then DISCONNECT is sent, so the broker does not publish the will.
/// </para>
/// </remarks>
public interface IMqttDeviceClient : IAsyncDisposable
{
    /// <summary>Occurs when <see cref="State"/> changes. Handlers run synchronously; an exception they throw is logged and ignored.</summary>
    event EventHandler<MqttConnectionStateChangedEventArgs>? StateChanged;

    /// <summary>
    /// Occurs when the broker has no session for the client though <c>client.cleanSession</c> is false (its CONNACK says
    /// session present 0 on a reconnect, or after a restart with messages in the middle of their handshake): the
    /// unacknowledged messages are sent again as new ones, and the subscriptions are made again. Logged (event 1501)
    /// and counted too. Handlers run synchronously; an exception they throw is logged and ignored.
    /// </summary>
    event EventHandler<MqttSessionLostEventArgs>? SessionLost;

    /// <summary>Gets the DeviceLink the client speaks for.</summary>
    DeviceIdentity Device { get; }

    /// <summary>Gets the MQTT client ID of the current (or next) connection.</summary>
    string ClientId { get; }

    /// <summary>Gets the connection state.</summary>
    MqttConnectionState State { get; }

    /// <summary>
    /// Gets the broker the client is connected to (<c>client.server</c>, an entry of <c>client.servers</c>, or the
    /// server an MQTT 5 broker redirected it to), as <c>scheme://host:port</c>, or <see langword="null"/> while it is
    /// not connected.
    /// </summary>
    string? ConnectedServer => null;

    /// <summary>
    /// Connects to the broker. After the first success the client reconnects by itself (<c>client.autoReconnect</c>),
    /// waiting 1 second, then twice as long after each failure, up to <c>client.maxReconnectInterval</c>, with jitter.
    /// </summary>
    /// <param name="cancellationToken">Cancels the first attempt.</param>
    /// <returns>A task that completes when connected, or, with <see cref="MqttFirstConnectPolicy.RetryInBackground"/>, after the first attempt.</returns>
    /// <exception cref="MqttDeviceClientException">The broker refused the connection (see <see cref="MqttDeviceClientException.ReasonCode"/>), could not be reached, or did not answer within <c>client.connectTimeout</c>.</exception>
    /// <exception cref="ObjectDisposedException">The client is disposed.</exception>
    /// <remarks>Calling it while connected or reconnecting does nothing.</remarks>
    Task ConnectAsync(CancellationToken cancellationToken = default);

    /// <summary>Publishes <paramref name="value"/> serialised as UTF-8 JSON; a byte array, or a <see cref="ReadOnlyMemory{T}"/>, <see cref="Memory{T}"/> or <see cref="ArraySegment{T}"/> of bytes, is sent as it is.</summary>
    /// <typeparam name="T">The type of the value.</typeparam>
    /// <param name="value">The value; a string is JSON too (<c>tested</c> is sent as <c>"tested"</c>).</param>
    /// <param name="options">Per-call topic render map, QoS and retain flag, or <see langword="null"/> for the <c>message</c> defaults.</param>
    /// <param name="cancellationToken">Ends the wait; once the message is accepted it is not withdrawn (the result is then <see cref="MqttPublishStatus.Queued"/>).</param>
    /// <returns>What happened to the message; see <see cref="MqttPublishStatus"/>. Await it once (or call <c>AsTask</c> once): it is the message's own, reused by a later publish once answered.</returns>
    /// <exception cref="ObjectDisposedException">The client is disposed.</exception>
    [RequiresUnreferencedCode("JSON serialisation of an arbitrary type may need types the trimmer removes; use the overload with a JsonTypeInfo<T>.")]
    [RequiresDynamicCode("JSON serialisation of an arbitrary type may need runtime code generation; use the overload with a JsonTypeInfo<T>.")]
    ValueTask<MqttPublishResult> PublishAsync<T>(T value, MqttPublishOptions? options, CancellationToken cancellationToken);

    /// <summary>Publishes <paramref name="value"/> serialised as UTF-8 JSON with source-generated metadata (trimming and AOT safe).</summary>
    /// <typeparam name="T">The type of the value.</typeparam>
    /// <param name="value">The value; a string is JSON too (<c>tested</c> is sent as <c>"tested"</c>).</param>
    /// <param name="jsonTypeInfo">The serialisation metadata of <typeparamref name="T"/>, e.g. from a <c>JsonSerializerContext</c>.</param>
    /// <param name="options">Per-call topic render map, QoS and retain flag, or <see langword="null"/> for the <c>message</c> defaults.</param>
    /// <param name="cancellationToken">Ends the wait; once the message is accepted it is not withdrawn (the result is then <see cref="MqttPublishStatus.Queued"/>).</param>
    /// <returns>What happened to the message; see <see cref="MqttPublishStatus"/>. Await it once (or call <c>AsTask</c> once): it is the message's own, reused by a later publish once answered.</returns>
    /// <exception cref="ObjectDisposedException">The client is disposed.</exception>
    ValueTask<MqttPublishResult> PublishAsync<T>(T value, JsonTypeInfo<T> jsonTypeInfo, MqttPublishOptions? options, CancellationToken cancellationToken);

    /// <summary>Publishes <paramref name="payload"/> as it is.</summary>
    /// <param name="payload">The bytes to send; copied, so the caller may reuse its buffer when the call returns.</param>
    /// <param name="options">Per-call topic render map, QoS and retain flag, or <see langword="null"/> for the <c>message</c> defaults.</param>
    /// <param name="cancellationToken">Ends the wait; once the message is accepted it is not withdrawn (the result is then <see cref="MqttPublishStatus.Queued"/>).</param>
    /// <returns>What happened to the message; see <see cref="MqttPublishStatus"/>. Await it once (or call <c>AsTask</c> once): it is the message's own, reused by a later publish once answered.</returns>
    /// <exception cref="ObjectDisposedException">The client is disposed.</exception>
    ValueTask<MqttPublishResult> PublishAsync(ReadOnlyMemory<byte> payload, MqttPublishOptions? options, CancellationToken cancellationToken);

    /// <summary>
    /// Makes <paramref name="subscriptions"/> the device's whole set of subscriptions: topics no longer in it are
    /// unsubscribed, new ones subscribed, and every message matching one of them (wildcards included) is passed to
    /// <paramref name="handler"/> with the subscription's index. The set is restored after every reconnect.
    /// </summary>
    /// <param name="subscriptions">The desired subscriptions; an empty list unsubscribes everything.</param>
    /// <param name="handler">Receives the messages; replaces the handler of the previous call.</param>
    /// <param name="cancellationToken">Ends the wait; the set is recorded and applied anyway.</param>
    /// <returns>A task that completes when the broker acknowledged the changes, when offline (they are applied on connect), or after <c>client.waitTimeout</c>.</returns>
    /// <exception cref="MqttDeviceClientException">The broker refused a subscription.</exception>
    /// <exception cref="ObjectDisposedException">The client is disposed.</exception>
#pragma warning disable RS0027 // Nothing has shipped yet; the overload taking MqttReceivedMessageHandler has the same arity and needs no default.
    Task SubscribeAsync(IReadOnlyList<MqttDeviceSubscription> subscriptions, MqttMessageHandler handler, CancellationToken cancellationToken = default);
#pragma warning restore RS0027

    /// <summary>
    /// Makes <paramref name="subscriptions"/> the device's whole set of subscriptions, as the other overload does, and
    /// passes every matching message to <paramref name="handler"/> as an <see cref="MqttReceivedMessage"/>: topic,
    /// payload, QoS, flags, the subscription's index and the MQTT 5 properties.
    /// </summary>
    /// <param name="subscriptions">The desired subscriptions; an empty list unsubscribes everything.</param>
    /// <param name="handler">Receives the messages; replaces the handler of the previous call.</param>
    /// <param name="cancellationToken">Ends the wait; the set is recorded and applied anyway.</param>
    /// <returns>A task that completes when the broker acknowledged the changes, when offline (they are applied on connect), or after <c>client.waitTimeout</c>.</returns>
    /// <exception cref="MqttDeviceClientException">The broker refused a subscription.</exception>
    /// <exception cref="ObjectDisposedException">The client is disposed.</exception>
    /// <remarks>
    /// On MQTT 5, a message whose <c>traceparent</c> user property carries a W3C trace context is handled inside a
    /// consumer span that continues the publisher's trace (when someone listens to the <c>Octopus.Mqtt</c> activity source).
    /// </remarks>
    Task SubscribeAsync(IReadOnlyList<MqttDeviceSubscription> subscriptions, MqttReceivedMessageHandler handler, CancellationToken cancellationToken);
}
