namespace Octopus.Mqtt;

/// <summary>Subscribing: the desired set goes to the <see cref="SubscriptionManager"/>, which keeps it applied on every connection.</summary>
internal sealed partial class MqttDeviceClient
{
    /// <inheritdoc/>
    public Task SubscribeAsync(IReadOnlyList<MqttDeviceSubscription> subscriptions, MqttMessageHandler handler, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(handler);
        return SubscribeAsync(subscriptions, (message, token) => handler(message.SubscriptionIndex, message.Topic, message.Payload, token), cancellationToken);
    }

    /// <inheritdoc/>
    public async Task SubscribeAsync(IReadOnlyList<MqttDeviceSubscription> subscriptions, MqttReceivedMessageHandler handler, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(subscriptions);
        ArgumentNullException.ThrowIfNull(handler);
        ThrowIfDisposed();

        var entries = SubscriptionEntry.CreateAll(subscriptions, _defaultQos, _topics.RenderSubscribeTopic);
        WarnAboutOwnPublishTopic(entries);
        var apply = _subscriptions.SetAsync(new SubscriptionSet(entries, handler));
        try
        {
            await apply.WaitAsync(_waitTimeout, _time, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            // The set is recorded; it is applied in the background and on every connection.
        }
    }

    private void WarnAboutOwnPublishTopic(IReadOnlyList<SubscriptionEntry> entries)
    {
        string publishTopic;
        try
        {
            publishTopic = _topics.PublishTopic;
        }
        catch (MqttTopicException)
        {
            // A template only for subscribing has no publish topic to collide with.
            return;
        }

        foreach (var entry in entries)
        {
            if (string.Equals(entry.Filter, publishTopic, StringComparison.Ordinal))
            {
                Log.SubscribedToOwnPublishTopic(_logger, entry.Index, _clientId, entry.Filter);
            }
        }
    }

    private ushort AllocatePacketId()
    {
        lock (_gate)
        {
            return _ids.Allocate();
        }
    }

    private void ReleasePacketId(ushort id)
    {
        lock (_gate)
        {
            _ids.Release(id);
        }
    }
}
