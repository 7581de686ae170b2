namespace Octopus.Mqtt.Testing;

/// <summary>Subscribing: the real client's, with the handler observed so the broker knows when a message is handled.</summary>
public sealed partial class FakeMqttDeviceClient
{
    /// <inheritdoc/>
    /// <remarks>
    /// Connected, the returned task completes when the handler has handled the retained messages the new topic filters
    /// match (unless called from the handler itself). Offline, the set is kept and applied on connect.
    /// </remarks>
#pragma warning disable RS0027 // Nothing has shipped yet; see IMqttDeviceClient.
    public Task SubscribeAsync(IReadOnlyList<MqttDeviceSubscription> subscriptions, MqttMessageHandler handler, CancellationToken cancellationToken = default)
#pragma warning restore RS0027
    {
        ArgumentNullException.ThrowIfNull(handler);
        return SubscribeAsync(subscriptions, (message, token) => handler(message.SubscriptionIndex, message.Topic, message.Payload, token), cancellationToken);
    }

    /// <inheritdoc/>
    /// <remarks>
    /// Connected, the returned task completes when the handler has handled the retained messages the new topic filters
    /// match (unless called from the handler itself). Offline, the set is kept and applied on connect.
    /// </remarks>
    public async Task SubscribeAsync(IReadOnlyList<MqttDeviceSubscription> subscriptions, MqttReceivedMessageHandler handler, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(subscriptions);
        ArgumentNullException.ThrowIfNull(handler);
        ThrowIfDisposed();

        var entries = SubscriptionEntry.CreateAll(subscriptions, _defaultQos, renderMap => Topic.RenderForSubscribe(renderMap));
        try
        {
            await _engine.SubscribeAsync(subscriptions, Observe(handler), cancellationToken).ConfigureAwait(false);
        }
        catch (MqttDeviceClientException)
        {
            _subscribedTopics = [.. entries.Select(e => e.Filter)];
            if (TakeSubscribeFailure() is { } armed)
            {
                throw armed;
            }

            throw;
        }

        _subscribedTopics = [.. entries.Select(e => e.Filter)];
        await WhenHandledAsync().WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Wraps the handler: the broker learns how often it was called and what it threw, and a publish from it does not wait for this client.</summary>
    private MqttReceivedMessageHandler Observe(MqttReceivedMessageHandler handler) => async (message, cancellationToken) =>
    {
        DeliveryScope.Current = Published;
        _probe.Called();
        try
        {
            await handler(message, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception)
        {
            _probe.Failed(exception);
            throw;
        }
    };
}
