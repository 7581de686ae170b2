using System.Buffers;
using MQTTnet;
using MQTTnet.Packets;

namespace Octopus.Mqtt;

/// <summary>Subscribing: the desired set, its application to each connection, and delivery to the handler.</summary>
internal sealed partial class MqttDeviceClient
{
    /// <inheritdoc/>
    public async Task SubscribeAsync(IReadOnlyList<MqttDeviceSubscription> subscriptions, MqttMessageHandler handler, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(subscriptions);
        ArgumentNullException.ThrowIfNull(handler);
        ThrowIfDisposed();

        var entries = SubscriptionEntry.CreateAll(subscriptions, _defaultQos, _topics.RenderSubscribeTopic);

        _subscriptions = new SubscriptionSet(entries, handler);
        var apply = ApplyLatestSubscriptionsAsync();
        try
        {
            await apply.WaitAsync(_waitTimeout, _time, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            // The set is recorded; it is applied in the background and on every connection.
        }
    }

    /// <summary>Applies the latest desired set to the current connection, if there is one.</summary>
    private async Task ApplyLatestSubscriptionsAsync()
    {
        try
        {
            await _subscriptionLock.WaitAsync(_stoppingToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            return;
        }

        try
        {
            var session = _subscriptionConnection;
            if (session is null || session.IsLost)
            {
                return;
            }

            try
            {
                await ApplySubscriptionsAsync(session, throwOnRefusal: true).ConfigureAwait(false);
            }
            catch (Exception) when (session.IsLost || _stoppingToken.IsCancellationRequested)
            {
                // The connection went away: the set is restored on the next one.
            }
        }
        finally
        {
            _subscriptionLock.Release();
        }
    }

    /// <summary>
    /// Unsubscribes what is no longer wanted and subscribes what is new (or changed QoS); call under
    /// <see cref="_subscriptionLock"/>. A refused UNSUBSCRIBE (MQTT 5) keeps its filter as applied, so the next call or
    /// connection tries it again, as the Go extension does; a refused SUBSCRIBE likewise.
    /// </summary>
    /// <exception cref="MqttDeviceClientException">The broker refused a change (when <paramref name="throwOnRefusal"/>), or did not answer in time.</exception>
    private async Task ApplySubscriptionsAsync(MqttConnection connection, bool throwOnRefusal)
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

        List<MqttTopicFilter>? fresh = null;
        foreach (var (filter, qos) in desired)
        {
            if (!_applied.TryGetValue(filter, out var applied) || applied != qos)
            {
                (fresh ??= []).Add(new MqttTopicFilter { Topic = filter, QualityOfServiceLevel = ToMqttNet(qos) });
            }
        }

        if (stale is null && fresh is null)
        {
            return;
        }

        using var timeout = _writeTimeout == Timeout.InfiniteTimeSpan ? null : new CancellationTokenSource(_writeTimeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(connection.Token, _stoppingToken, timeout?.Token ?? CancellationToken.None);
        MqttDeviceClientException? refused = null;
        try
        {
            if (stale is not null)
            {
                var answer = (MqttUnsubAckPacket)await RequestAsync(connection, new MqttUnsubscribePacket { TopicFilters = stale }, linked.Token).ConfigureAwait(false);
                for (var i = 0; i < stale.Count; i++)
                {
                    var filter = stale[i];
                    var code = answer.ReasonCodes is { } codes && i < codes.Count ? (int)codes[i] : 0;
                    if (code >= 0x80)
                    {
                        Log.UnsubscribeRefused(_logger, _clientId, filter, (MqttClientUnsubscribeResultCode)code, code);
                        refused ??= new MqttDeviceClientException($"The MQTT broker refused to unsubscribe \"{filter}\": {(MqttClientUnsubscribeResultCode)code} ({code}); it is tried again on the next call.", code, null);
                    }
                    else
                    {
                        _applied.Remove(filter);
                    }
                }
            }

            if (fresh is not null)
            {
                var answer = (MqttSubAckPacket)await RequestAsync(connection, new MqttSubscribePacket { TopicFilters = fresh }, linked.Token).ConfigureAwait(false);
                for (var i = 0; i < fresh.Count; i++)
                {
                    var filter = fresh[i].Topic;
                    var code = answer.ReasonCodes is { } codes && i < codes.Count ? (int)codes[i] : 0x80;
                    if (code >= 0x80)
                    {
                        Log.SubscriptionRefused(_logger, _clientId, filter, (MqttClientSubscribeResultCode)code, code);
                        _applied.Remove(filter);
                        refused ??= new MqttDeviceClientException($"The MQTT broker refused the subscription to \"{filter}\": {(MqttClientSubscribeResultCode)code} ({code}).", code, null);
                    }
                    else
                    {
                        _applied[filter] = desired[filter];
                    }
                }
            }
        }
        catch (Exception exception)
        {
            // Unanswered or failed: the connection cannot be trusted with a late answer.
            if (timeout?.IsCancellationRequested == true && !connection.IsLost)
            {
                Log.SubscribeTimedOut(_logger, _clientId, GoDuration.FromTimeSpan(_writeTimeout));
            }

            connection.MarkLost(exception);
            throw;
        }

        if (refused is not null && throwOnRefusal)
        {
            throw refused;
        }
    }

    /// <summary>Sends a SUBSCRIBE or UNSUBSCRIBE with a packet identifier of the session's and waits for its answer.</summary>
    private async Task<MqttPacket> RequestAsync(MqttConnection connection, MqttPacketWithIdentifier request, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            request.PacketIdentifier = _ids.Allocate();
        }

        try
        {
            return await connection.RequestAsync(request, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            lock (_gate)
            {
                _ids.Release(request.PacketIdentifier);
            }
        }
    }

    /// <summary>Hands a message from the broker to the handler, once per matching subscription; called by the inbound side, one message at a time.</summary>
    private async Task DeliverAsync(MqttPublishPacket message)
    {
        var set = _subscriptions;
        var handler = set.Handler;
        if (handler is null)
        {
            return;
        }

        var topic = message.Topic;
        var payload = message.Payload.IsSingleSegment ? message.Payload.First : message.Payload.ToArray();
        foreach (var entry in set.Entries)
        {
            if (MqttTopicFilterComparer.Compare(topic, entry.Filter) != MqttTopicFilterCompareResult.IsMatch)
            {
                continue;
            }

            try
            {
                await handler(entry.Index, topic, payload, _stoppingToken).ConfigureAwait(false);
            }
            catch (Exception exception)
            {
                Log.HandlerFailed(_logger, exception, _clientId, entry.Index, topic);
            }
        }
    }
}
