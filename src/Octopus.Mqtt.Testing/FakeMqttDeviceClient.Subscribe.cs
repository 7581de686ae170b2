namespace Octopus.Mqtt.Testing;

/// <summary>Subscribing: the desired set, its application at the broker, and delivery to the handler.</summary>
public sealed partial class FakeMqttDeviceClient
{
    // Guarded by _gate: the filters the broker granted this client, as the real client tracks them.
    private readonly Dictionary<string, MqttQos> _applied = new(StringComparer.Ordinal);

    private volatile SubscriptionSet _subscriptions = SubscriptionSet.Empty;

    /// <inheritdoc/>
    /// <remarks>
    /// Connected, the returned task completes when the handler has handled the retained messages the new topic filters
    /// match (unless called from the handler itself). Offline, the set is kept and applied on connect.
    /// </remarks>
    public async Task SubscribeAsync(IReadOnlyList<MqttDeviceSubscription> subscriptions, MqttMessageHandler handler, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(subscriptions);
        ArgumentNullException.ThrowIfNull(handler);
        ThrowIfDisposed();

        var entries = SubscriptionEntry.CreateAll(subscriptions, _defaultQos, renderMap => Topic.RenderForSubscribe(renderMap));

        List<PendingDelivery>? deliveries = null;
        Exception? refused = null;
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_acceptClosed, this);
            _subscriptions = new SubscriptionSet(entries, handler);
            if (_session is { } session)
            {
                refused = ApplySubscriptionsLocked(session, ref deliveries);
            }
        }

        if (refused is not null)
        {
            throw refused;
        }

        await PendingDelivery.WhenAllAsync(deliveries).WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Unsubscribes what is no longer wanted and subscribes what is new (or changed QoS), queueing the retained messages the new filters match.</summary>
    /// <returns>The refusal armed by <see cref="FailNextSubscribe()"/>, if it applied.</returns>
    private Exception? ApplySubscriptionsLocked(BrokerSession session, ref List<PendingDelivery>? deliveries)
    {
        var desired = _subscriptions.GetFilters();
        List<string>? stale = null;
        foreach (var filter in _applied.Keys)
        {
            if (!desired.ContainsKey(filter))
            {
                (stale ??= []).Add(filter);
            }
        }

        List<KeyValuePair<string, MqttQos>>? fresh = null;
        foreach (var pair in desired)
        {
            if (!_applied.TryGetValue(pair.Key, out var applied) || applied != pair.Value)
            {
                (fresh ??= []).Add(pair);
            }
        }

        if (stale is null && fresh is null)
        {
            return null;
        }

        Exception? refused = null;
        if (fresh is not null && TakeFailure(_subscribeFailures) is { } failure)
        {
            refused = failure.Exception ?? DefaultSubscribeError(fresh[0].Key);
            foreach (var (filter, _) in fresh)
            {
                _applied.Remove(filter);
            }

            fresh = null;
        }

        var retained = _broker.Subscribe(session, (IReadOnlyCollection<string>?)stale ?? [], (IReadOnlyCollection<KeyValuePair<string, MqttQos>>?)fresh ?? []);
        foreach (var filter in stale ?? [])
        {
            _applied.Remove(filter);
        }

        foreach (var (filter, qos) in fresh ?? [])
        {
            _applied[filter] = qos;
        }

        foreach (var message in retained)
        {
            (deliveries ??= []).Add(Inbox.Enqueue(message));
        }

        return refused;
    }

    /// <summary>
    /// Gets the error the real client reports for a refused subscription: MQTT 3.1 and 3.1.1 SUBACKs carry no reason,
    /// which MQTTnet reads as UnspecifiedError (128); MQTT 5 says NotAuthorized (135).
    /// </summary>
    private MqttDeviceClientException DefaultSubscribeError(string filter) => _protocolVersion == 5
        ? new($"The MQTT broker refused the subscription to \"{filter}\": NotAuthorized (135).", 135, null)
        : new($"The MQTT broker refused the subscription to \"{filter}\": UnspecifiedError (128).", 128, null);

    /// <summary>Hands a message to the handler once per matching subscription index, as the real client does.</summary>
    private async Task<DeliveryOutcome> DeliverAsync(FakeMqttMessage message)
    {
        var set = _subscriptions;
        if (set.Handler is not { } handler || Volatile.Read(ref _disposed) != 0)
        {
            return default;
        }

        var calls = 0;
        List<Exception>? errors = null;
        foreach (var entry in set.Entries)
        {
            if (!FakeTopics.Matches(message.Topic, entry.Filter))
            {
                continue;
            }

            calls++;
            try
            {
                await handler(entry.Index, message.Topic, message.Payload, _disposingToken).ConfigureAwait(false);
            }
            catch (Exception exception)
            {
                // As the real client: the exception does not affect the connection (the real one logs it).
                (errors ??= []).Add(exception);
            }
        }

        return new DeliveryOutcome(calls, errors);
    }
}
