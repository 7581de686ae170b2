using System.Diagnostics.CodeAnalysis;
using System.Text.Json.Serialization.Metadata;

namespace Octopus.Mqtt.Testing;

/// <summary>Publishing: the real client's, unless a test armed a failure.</summary>
public sealed partial class FakeMqttDeviceClient
{
    /// <inheritdoc/>
    [RequiresUnreferencedCode("JSON serialisation of an arbitrary type may need types the trimmer removes; use the overload with a JsonTypeInfo<T>.")]
    [RequiresDynamicCode("JSON serialisation of an arbitrary type may need runtime code generation; use the overload with a JsonTypeInfo<T>.")]
    public ValueTask<MqttPublishResult> PublishAsync<T>(T value, MqttPublishOptions? options, CancellationToken cancellationToken)
    {
        ThrowIfDisposed();
        return TryTakePublishFailure(out var result) ? ValueTask.FromResult(result!) : _engine.PublishAsync(value, options, cancellationToken);
    }

    /// <inheritdoc/>
    public ValueTask<MqttPublishResult> PublishAsync<T>(T value, JsonTypeInfo<T> jsonTypeInfo, MqttPublishOptions? options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(jsonTypeInfo);
        ThrowIfDisposed();
        return TryTakePublishFailure(out var result) ? ValueTask.FromResult(result!) : _engine.PublishAsync(value, jsonTypeInfo, options, cancellationToken);
    }

    /// <inheritdoc/>
    public ValueTask<MqttPublishResult> PublishAsync(ReadOnlyMemory<byte> payload, MqttPublishOptions? options, CancellationToken cancellationToken)
    {
        ThrowIfDisposed();
        return TryTakePublishFailure(out var result) ? ValueTask.FromResult(result!) : _engine.PublishAsync(payload, options, cancellationToken);
    }
}
