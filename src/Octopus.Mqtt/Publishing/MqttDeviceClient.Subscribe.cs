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
            var session = _subscriptionSession;
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

    /// <summary>Unsubscribes what is no longer wanted and subscribes what is new (or changed QoS); call under <see cref="_subscriptionLock"/>.</summary>
    /// <exception cref="MqttDeviceClientException">The broker refused a subscription (when <paramref name="throwOnRefusal"/>), or did not answer in time.</exception>
    private async Task ApplySubscriptionsAsync(ConnectionSession session, bool throwOnRefusal)
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
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(session.Token, _stoppingToken, timeout?.Token ?? CancellationToken.None);
        MqttDeviceClientException? refused = null;
        try
        {
            if (stale is not null)
            {
                var result = await session.Client.UnsubscribeAsync(new MqttClientUnsubscribeOptions { TopicFilters = stale }, linked.Token).ConfigureAwait(false);
                foreach (var item in result.Items)
                {
                    if ((int)item.ResultCode >= 0x80)
                    {
                        Log.UnsubscribeRefused(_logger, _clientId, item.TopicFilter, item.ResultCode, (int)item.ResultCode);
                    }
                }

                foreach (var filter in stale)
                {
                    _applied.Remove(filter);
                }
            }

            if (fresh is not null)
            {
                var result = await session.Client.SubscribeAsync(new MqttClientSubscribeOptions { TopicFilters = fresh }, linked.Token).ConfigureAwait(false);
                foreach (var item in result.Items)
                {
                    var filter = item.TopicFilter.Topic;
                    var code = (int)item.ResultCode;
                    if (code >= 0x80)
                    {
                        Log.SubscriptionRefused(_logger, _clientId, filter, item.ResultCode, code);
                        _applied.Remove(filter);
                        refused ??= new MqttDeviceClientException($"The MQTT broker refused the subscription to \"{filter}\": {item.ResultCode} ({code}).", code, null);
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
            // Unanswered or failed: a late SUBACK would make MQTTnet drop the connection anyway.
            if (timeout?.IsCancellationRequested == true && !session.IsLost)
            {
                Log.SubscribeTimedOut(_logger, _clientId, GoDuration.FromTimeSpan(_writeTimeout));
            }

            session.MarkLost(exception);
            throw;
        }

        if (refused is not null && throwOnRefusal)
        {
            throw refused;
        }
    }

    private async Task OnApplicationMessageReceivedAsync(MqttApplicationMessageReceivedEventArgs args)
    {
        var set = _subscriptions;
        var handler = set.Handler;
        if (handler is null)
        {
            return;
        }

        var message = args.ApplicationMessage;
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
