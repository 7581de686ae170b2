using System.Buffers;
using Microsoft.Extensions.Logging;
using MQTTnet;
using MQTTnet.Packets;
using MQTTnet.Protocol;

namespace Octopus.Mqtt;

/// <summary>
/// The device's subscriptions: the desired set (the last <c>SubscribeAsync</c> call), what
/// the broker holds of it on the current connection, the SUBSCRIBE and UNSUBSCRIBE that make the two equal (after a
/// new set, and on every connection the broker did not keep a session for), and the handing of each message to the
/// handler, once per matching entry.
/// </summary>
internal sealed class SubscriptionManager : IDisposable
{
    private readonly SemaphoreSlim _lock = new(1, 1);
    private readonly Dictionary<string, MqttQos> _applied = new(StringComparer.Ordinal);
    private readonly Func<ushort> _allocateId;
    private readonly Action<ushort> _releaseId;
    private readonly Func<string> _clientIdSource;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly TimeSpan _writeTimeout;
    private readonly CancellationToken _stoppingToken;
    private volatile SubscriptionSet _set = SubscriptionSet.Empty;

    // Guarded by _lock.
    private MqttConnection? _connection;

    /// <summary>Initializes a new instance of the <see cref="SubscriptionManager"/> class.</summary>
    /// <param name="allocateId">Takes a packet identifier of the session (shared with PUBLISH).</param>
    /// <param name="releaseId">Frees it.</param>
    /// <param name="clientId">Gets the current client ID, for the log.</param>
    /// <param name="logger">The logger.</param>
    /// <param name="time">The clock.</param>
    /// <param name="writeTimeout">How long the broker may take to answer (<c>client.writeTimeout</c>).</param>
    /// <param name="stoppingToken">Cancelled when the client is disposed.</param>
    public SubscriptionManager(Func<ushort> allocateId, Action<ushort> releaseId, Func<string> clientId, ILogger logger, TimeProvider time, TimeSpan writeTimeout, CancellationToken stoppingToken)
    {
        _allocateId = allocateId;
        _releaseId = releaseId;
        _clientIdSource = clientId;
        _logger = logger;
        _time = time;
        _writeTimeout = writeTimeout;
        _stoppingToken = stoppingToken;
    }

    private string ClientId => _clientIdSource();

    /// <inheritdoc/>
    public void Dispose() => _lock.Dispose();

    /// <summary>Makes <paramref name="set"/> the desired set and applies it to the current connection, if there is one.</summary>
    /// <param name="set">The set and its handler.</param>
    /// <returns>A task that completes when the broker answered, or at once when offline.</returns>
    /// <exception cref="MqttDeviceClientException">The broker refused a change.</exception>
    public async Task SetAsync(SubscriptionSet set)
    {
        _set = set;
        try
        {
            await _lock.WaitAsync(_stoppingToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            return;
        }

        try
        {
            var connection = _connection;
            if (connection is null || connection.IsLost)
            {
                return;
            }

            try
            {
                await ApplySubscriptionsAsync(connection, throwOnRefusal: true).ConfigureAwait(false);
            }
            catch (Exception) when (connection.IsLost || _stoppingToken.IsCancellationRequested)
            {
                // The connection went away: the set is restored on the next one.
            }
        }
        finally
        {
            _lock.Release();
        }
    }

    /// <summary>Restores the desired set on a new connection: all of it when the broker kept no session, the difference otherwise.</summary>
    /// <param name="connection">The connection.</param>
    /// <returns>A task that completes when the broker answered.</returns>
    public async Task RestoreAsync(MqttConnection connection)
    {
        await _lock.WaitAsync(_stoppingToken).ConfigureAwait(false);
        try
        {
            if (connection.ConnectResult?.IsSessionPresent != true)
            {
                _applied.Clear();
            }

            _connection = connection;
            await ApplySubscriptionsAsync(connection, throwOnRefusal: false).ConfigureAwait(false);
        }
        finally
        {
            _lock.Release();
        }
    }

    /// <summary>
    /// Unsubscribes what is no longer wanted and subscribes what is new (or changed QoS); call under
    /// <see cref="_lock"/>. A refused UNSUBSCRIBE (MQTT 5) keeps its filter as applied, so the next call or
    /// connection tries it again, as the Go extension does; a refused SUBSCRIBE likewise.
    /// </summary>
    /// <exception cref="MqttDeviceClientException">The broker refused a change (when <paramref name="throwOnRefusal"/>), or did not answer in time.</exception>
    private async Task ApplySubscriptionsAsync(MqttConnection connection, bool throwOnRefusal)
    {
        var desired = _set.GetFilters();
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
                        Log.UnsubscribeRefused(_logger, ClientId, filter, (MqttClientUnsubscribeResultCode)code, code);
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
                        Log.SubscriptionRefused(_logger, ClientId, filter, (MqttClientSubscribeResultCode)code, code);
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
                Log.SubscribeTimedOut(_logger, ClientId, GoDuration.FromTimeSpan(_writeTimeout));
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
        request.PacketIdentifier = _allocateId();
        try
        {
            return await connection.RequestAsync(request, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _releaseId(request.PacketIdentifier);
        }
    }

    /// <summary>Hands a message from the broker to the handler, once per matching subscription; called by the inbound side, one message at a time.</summary>
    /// <param name="message">The message.</param>
    /// <returns>A task that completes when the handler returned for every matching entry.</returns>
    public async Task DeliverAsync(MqttPublishPacket message)
    {
        var set = _set;
        var handler = set.Handler;
        if (handler is null)
        {
            return;
        }

        var topic = message.Topic;
        var payload = message.Payload.IsSingleSegment ? message.Payload.First : message.Payload.ToArray();
        UserProperty[]? userProperties = null;
        foreach (var entry in set.Entries)
        {
            if (MqttTopicFilterComparer.Compare(topic, entry.Filter) != MqttTopicFilterCompareResult.IsMatch)
            {
                continue;
            }

            userProperties ??= ReceivedMessageReader.ReadUserProperties(message);
            var received = ReceivedMessageReader.Read(message, payload, userProperties, entry.Index);
            var activity = Tracing?.Start(received, ClientId);
            Exception? error = null;
            try
            {
                await handler(received, _stoppingToken).ConfigureAwait(false);
            }
            catch (Exception exception)
            {
                error = exception;
                Log.HandlerFailed(_logger, exception, ClientId, entry.Index, topic);
            }
            finally
            {
                ConsumerTracing.Stop(activity, error);
            }
        }
    }

    /// <summary>Gets or sets the consumer spans of received messages, or <see langword="null"/> for none.</summary>
    public ConsumerTracing? Tracing { get; set; }

    private static MqttQualityOfServiceLevel ToMqttNet(MqttQos qos) => (MqttQualityOfServiceLevel)qos;
}
