using System.Diagnostics.CodeAnalysis;
using System.Text.Json.Serialization.Metadata;

namespace Octopus.Mqtt.Testing;

/// <summary>Publishing: straight to the broker when connected, through the bounded offline queue otherwise.</summary>
public sealed partial class FakeMqttDeviceClient
{
    /// <inheritdoc/>
    [RequiresUnreferencedCode("JSON serialisation of an arbitrary type may need types the trimmer removes; use the overload with a JsonTypeInfo<T>.")]
    [RequiresDynamicCode("JSON serialisation of an arbitrary type may need runtime code generation; use the overload with a JsonTypeInfo<T>.")]
    public ValueTask<MqttPublishResult> PublishAsync<T>(T value, MqttPublishOptions? options, CancellationToken cancellationToken)
    {
        ThrowIfDisposed();
        var payload = JsonPayload.TryCopyBytes(value, out var bytes) ? bytes : JsonPayload.Serialize(value, _jsonOptions);
        return PublishPayloadAsync(Detach(payload), options, cancellationToken);
    }

    /// <inheritdoc/>
    public ValueTask<MqttPublishResult> PublishAsync<T>(T value, JsonTypeInfo<T> jsonTypeInfo, MqttPublishOptions? options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(jsonTypeInfo);
        ThrowIfDisposed();
        var payload = JsonPayload.TryCopyBytes(value, out var bytes) ? bytes : JsonPayload.Serialize(value, jsonTypeInfo);
        return PublishPayloadAsync(Detach(payload), options, cancellationToken);
    }

    /// <inheritdoc/>
    public ValueTask<MqttPublishResult> PublishAsync(ReadOnlyMemory<byte> payload, MqttPublishOptions? options, CancellationToken cancellationToken)
    {
        ThrowIfDisposed();
        return PublishPayloadAsync(payload.ToArray(), options, cancellationToken);
    }

    private static byte[] Detach(PayloadBuffer buffer)
    {
        var bytes = buffer.Memory.ToArray();
        buffer.Release();
        return bytes;
    }

    private async ValueTask<MqttPublishResult> PublishPayloadAsync(byte[] payload, MqttPublishOptions? options, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        string topic;
        if (options?.RenderMap is { } renderMap)
        {
            topic = Topic.RenderForPublish(renderMap);
            FakeTopics.ValidatePublishTopic(topic, "The rendered publish topic");
        }
        else
        {
            topic = _publishTopic ?? Topic.RenderForPublish();
        }

        var qos = options?.Qos ?? _defaultQos;
        if ((uint)qos > (uint)MqttQos.ExactlyOnce)
        {
            throw new ArgumentException($"The QoS {(int)qos} is not 0, 1 or 2.", nameof(options));
        }

        if (TakeFailure(_publishFailures) is { } failure)
        {
            return failure.Result ?? throw failure.Exception!;
        }

        var message = new QueuedMessage(topic, payload, qos, options?.Retained ?? _defaultRetain);
        var start = _time.GetTimestamp();
        while (true)
        {
            Task room;
            lock (_gate)
            {
                ObjectDisposedException.ThrowIf(_acceptClosed, this);
                if (_session is not null)
                {
                    List<PendingDelivery>? deliveries = null;
                    _broker.Route(ClientId, message.Topic, message.Payload, message.Qos, message.Retain, Published, ref deliveries);
                    return MqttPublishResult.Delivered;
                }

                if (TryQueueLocked(message, out var refused))
                {
                    break;
                }

                if (refused is not null)
                {
                    return refused;
                }

                room = (_roomSignal ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).Task;
            }

            var remaining = _waitTimeout == Timeout.InfiniteTimeSpan ? Timeout.InfiniteTimeSpan : _waitTimeout - _time.GetElapsedTime(start);
            try
            {
                if (remaining != Timeout.InfiniteTimeSpan && remaining <= TimeSpan.Zero)
                {
                    throw new TimeoutException();
                }

                await room.WaitAsync(remaining, _time, cancellationToken).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                return MqttPublishResult.Dropped(MqttDropReason.QueueOverflow);
            }
        }

        // Queued while offline: without client.waitTimeout the call returns at once; with it, it waits for the outcome.
        if (_waitTimeout == Timeout.InfiniteTimeSpan)
        {
            return message.Outcome.Task.IsCompleted ? await message.Outcome.Task.ConfigureAwait(false) : MqttPublishResult.Queued;
        }

        try
        {
            return await message.Outcome.Task.WaitAsync(_waitTimeout, _time, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            return MqttPublishResult.Queued;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return MqttPublishResult.Queued;
        }
    }

    /// <summary>Puts a message in the offline queue under the overflow policy.</summary>
    /// <param name="message">The message.</param>
    /// <param name="refused">The result when the policy drops the message (<see cref="MqttQueueOverflowPolicy.DropNewest"/>).</param>
    /// <returns><see langword="true"/> when queued; <see langword="false"/> when dropped, or when the caller must wait for room.</returns>
    /// <exception cref="MqttDeviceClientException">The queue is full and the policy is <see cref="MqttQueueOverflowPolicy.Refuse"/>.</exception>
    private bool TryQueueLocked(QueuedMessage message, out MqttPublishResult? refused)
    {
        refused = null;
        if (_queue.Count >= _depth)
        {
            switch (_overflowPolicy)
            {
                case MqttQueueOverflowPolicy.DropNewest:
                    refused = MqttPublishResult.Dropped(MqttDropReason.QueueOverflow);
                    return false;
                case MqttQueueOverflowPolicy.Refuse:
                    throw new MqttDeviceClientException($"The message queue is full: {_depth} message(s) are waiting to be sent (client.messageChannelDepth); the publish was refused.");
                case MqttQueueOverflowPolicy.Wait:
                    return false;
                default:
                    while (_queue.Count >= _depth)
                    {
                        _queue.Dequeue().Outcome.TrySetResult(MqttPublishResult.Dropped(MqttDropReason.QueueOverflow));
                    }

                    break;
            }
        }

        _queue.Enqueue(message);
        return true;
    }
}
