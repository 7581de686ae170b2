using System.Diagnostics.CodeAnalysis;
using System.Text.Json.Serialization.Metadata;

namespace Octopus.Mqtt;

/// <summary>The shorter publish overloads of <see cref="IMqttDeviceClient"/>: with the <c>message</c> defaults, with or without a cancellation token.</summary>
public static class MqttDeviceClientExtensions
{
    /// <summary>Publishes <paramref name="payload"/> as it is, with the <c>message</c> topic, QoS and retain flag.</summary>
    /// <param name="client">The client.</param>
    /// <param name="payload">The bytes to send; copied.</param>
    /// <returns>What happened to the message.</returns>
    public static ValueTask<MqttPublishResult> PublishAsync(this IMqttDeviceClient client, ReadOnlyMemory<byte> payload)
    {
        ArgumentNullException.ThrowIfNull(client);
        return client.PublishAsync(payload, null, CancellationToken.None);
    }

    /// <summary>Publishes <paramref name="payload"/> as it is, with the <c>message</c> topic, QoS and retain flag.</summary>
    /// <param name="client">The client.</param>
    /// <param name="payload">The bytes to send; copied.</param>
    /// <param name="cancellationToken">Ends the wait; an accepted message is not withdrawn.</param>
    /// <returns>What happened to the message.</returns>
    public static ValueTask<MqttPublishResult> PublishAsync(this IMqttDeviceClient client, ReadOnlyMemory<byte> payload, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        return client.PublishAsync(payload, null, cancellationToken);
    }

    /// <summary>Publishes <paramref name="value"/> as UTF-8 JSON with source-generated metadata, with the <c>message</c> topic, QoS and retain flag.</summary>
    /// <typeparam name="T">The type of the value.</typeparam>
    /// <param name="client">The client.</param>
    /// <param name="value">The value.</param>
    /// <param name="jsonTypeInfo">The serialisation metadata of <typeparamref name="T"/>.</param>
    /// <returns>What happened to the message.</returns>
    public static ValueTask<MqttPublishResult> PublishAsync<T>(this IMqttDeviceClient client, T value, JsonTypeInfo<T> jsonTypeInfo)
    {
        ArgumentNullException.ThrowIfNull(client);
        return client.PublishAsync(value, jsonTypeInfo, null, CancellationToken.None);
    }

    /// <summary>Publishes <paramref name="value"/> as UTF-8 JSON with source-generated metadata, with the <c>message</c> topic, QoS and retain flag.</summary>
    /// <typeparam name="T">The type of the value.</typeparam>
    /// <param name="client">The client.</param>
    /// <param name="value">The value.</param>
    /// <param name="jsonTypeInfo">The serialisation metadata of <typeparamref name="T"/>.</param>
    /// <param name="cancellationToken">Ends the wait; an accepted message is not withdrawn.</param>
    /// <returns>What happened to the message.</returns>
    public static ValueTask<MqttPublishResult> PublishAsync<T>(this IMqttDeviceClient client, T value, JsonTypeInfo<T> jsonTypeInfo, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        return client.PublishAsync(value, jsonTypeInfo, null, cancellationToken);
    }

    /// <summary>Publishes <paramref name="value"/> as UTF-8 JSON (bytes as they are), with the <c>message</c> topic, QoS and retain flag.</summary>
    /// <typeparam name="T">The type of the value.</typeparam>
    /// <param name="client">The client.</param>
    /// <param name="value">The value.</param>
    /// <returns>What happened to the message.</returns>
    [RequiresUnreferencedCode("JSON serialisation of an arbitrary type may need types the trimmer removes; use the overload with a JsonTypeInfo<T>.")]
    [RequiresDynamicCode("JSON serialisation of an arbitrary type may need runtime code generation; use the overload with a JsonTypeInfo<T>.")]
    public static ValueTask<MqttPublishResult> PublishAsync<T>(this IMqttDeviceClient client, T value)
    {
        ArgumentNullException.ThrowIfNull(client);
        return client.PublishAsync(value, null, CancellationToken.None);
    }

    /// <summary>Publishes <paramref name="value"/> as UTF-8 JSON (bytes as they are), with the <c>message</c> topic, QoS and retain flag.</summary>
    /// <typeparam name="T">The type of the value.</typeparam>
    /// <param name="client">The client.</param>
    /// <param name="value">The value.</param>
    /// <param name="cancellationToken">Ends the wait; an accepted message is not withdrawn.</param>
    /// <returns>What happened to the message.</returns>
    [RequiresUnreferencedCode("JSON serialisation of an arbitrary type may need types the trimmer removes; use the overload with a JsonTypeInfo<T>.")]
    [RequiresDynamicCode("JSON serialisation of an arbitrary type may need runtime code generation; use the overload with a JsonTypeInfo<T>.")]
    public static ValueTask<MqttPublishResult> PublishAsync<T>(this IMqttDeviceClient client, T value, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        return client.PublishAsync(value, null, cancellationToken);
    }
}
