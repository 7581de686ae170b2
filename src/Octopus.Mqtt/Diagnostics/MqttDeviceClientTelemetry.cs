using System.Diagnostics;

namespace Octopus.Mqtt;

/// <summary>
/// The metrics and spans of one device client, tagged with its topic template (as <c>messaging.destination.name</c> on
/// metrics: the template, never the rendered topic, keeps their cardinality low). The engine calls it at a few points
/// (accepted, completed, send failed, reconnecting); everything here is allocation-free unless someone listens.
/// </summary>
internal sealed class MqttDeviceClientTelemetry
{
    private const string ErrorType = "error.type";

    /// <summary>The library's activity source (producer and consumer spans).</summary>
    internal static readonly ActivitySource Source = new(OctopusMqttTelemetry.ActivitySourceName);

    private readonly MqttMetrics _metrics;
    private readonly TimeProvider _time;
    private readonly string _spanName;
    private readonly KeyValuePair<string, object?>[] _operationTags;
    private readonly KeyValuePair<string, object?>[] _timeoutTags;
    private readonly KeyValuePair<string, object?>[] _connectionLostTags;
    private readonly KeyValuePair<string, object?>[][] _dropTags;
    private readonly KeyValuePair<string, object?>[][] _operationErrorTags;
    private MqttDeviceClient? _client;

    public MqttDeviceClientTelemetry(MqttMetrics metrics, string template, TimeProvider time)
    {
        _metrics = metrics;
        _time = time;
        Template = template;
        _spanName = "publish " + template;
        Tags = [new("messaging.system", "mqtt"), new("messaging.destination.name", template)];
        _operationTags = [.. Tags, new("messaging.operation.name", "publish"), new("messaging.operation.type", "send")];
        _timeoutTags = [.. _operationTags, new(ErrorType, "timeout")];
        _connectionLostTags = [.. _operationTags, new(ErrorType, "connection_lost")];
        _dropTags = new KeyValuePair<string, object?>[(int)MqttDropReason.Superseded + 1][];
        _operationErrorTags = new KeyValuePair<string, object?>[(int)MqttDropReason.Superseded + 1][];
        foreach (var reason in Enum.GetValues<MqttDropReason>())
        {
            _dropTags[(int)reason] = [.. Tags, new(ErrorType, GetErrorType(reason))];
            _operationErrorTags[(int)reason] = [.. _operationTags, new(ErrorType, GetErrorType(reason))];
        }
    }

    /// <summary>Gets the topic template.</summary>
    public string Template { get; }

    /// <summary>Gets the tags of every measurement: <c>messaging.system</c> and <c>messaging.destination.name</c> (the template).</summary>
    public KeyValuePair<string, object?>[] Tags { get; }

    /// <summary>Gets how many messages of the client wait to be sent.</summary>
    public int QueuedCount => _client?.QueuedCount ?? 0;

    /// <summary>Gets a value indicating whether the client is connected.</summary>
    public bool IsConnected => _client?.State == MqttConnectionState.Connected;

    /// <summary>Gets the <c>error.type</c> of a drop reason.</summary>
    /// <param name="reason">The reason.</param>
    /// <returns>The snake_case name.</returns>
    public static string GetErrorType(MqttDropReason reason) => reason switch
    {
        MqttDropReason.QueueOverflow => "queue_overflow",
        MqttDropReason.RefusedByBroker => "refused_by_broker",
        MqttDropReason.Disposed => "disposed",
        MqttDropReason.Invalid => "invalid",
        MqttDropReason.StoreFailed => "store_failed",
        MqttDropReason.Expired => "expired",
        MqttDropReason.Superseded => "superseded",
        _ => "_OTHER",
    };

    /// <summary>Starts reporting the client's queue and connection in the gauges.</summary>
    /// <param name="client">The client.</param>
    public void Attach(MqttDeviceClient client)
    {
        _client = client;
        _metrics.Register(this);
    }

    /// <summary>Stops reporting the client in the gauges.</summary>
    public void Detach() => _metrics.Unregister(this);

    /// <summary>A publish was accepted: starts its span (when someone listens) and its clock.</summary>
    /// <param name="message">The message.</param>
    /// <param name="clientId">The client ID.</param>
    public void Accepted(OutboundMessage message, string clientId)
    {
        message.AcceptedTimestamp = _time.GetTimestamp();
        if (!Source.HasListeners())
        {
            return;
        }

        try
        {
            StartSpan(message, clientId);
        }
        catch (Exception)
        {
            // An activity listener that throws costs the message its span, nothing else.
            message.Activity = null;
        }
    }

    /// <summary>A message got its outcome: counts it, records its duration when delivered, ends its span.</summary>
    /// <param name="message">The message.</param>
    /// <param name="result">The outcome.</param>
    /// <remarks>A meter or activity listener that throws is ignored: telemetry never changes a message's fate.</remarks>
    public void Completed(OutboundMessage message, MqttPublishResult result)
    {
        try
        {
            Count(message, result);
        }
        catch (Exception)
        {
            // See remarks.
        }

        if (message.Activity is { } activity)
        {
            message.Activity = null;
            try
            {
                Stop(activity, result);
            }
            catch (Exception)
            {
                // See remarks.
            }
        }
    }

    /// <summary>Tags a span with the OpenTelemetry messaging conventions: the same on the producer and the consumer side.</summary>
    /// <param name="activity">The span.</param>
    /// <param name="operation">The operation name (<c>publish</c>, <c>process</c>).</param>
    /// <param name="operationType">The operation type (<c>send</c>, <c>process</c>).</param>
    /// <param name="template">The topic template.</param>
    /// <param name="clientId">The client ID.</param>
    /// <param name="bodySize">The payload's length.</param>
    internal static void SetMessagingTags(Activity activity, string operation, string operationType, string template, string clientId, int bodySize)
    {
        activity.SetTag("messaging.system", "mqtt");
        activity.SetTag("messaging.operation.name", operation);
        activity.SetTag("messaging.operation.type", operationType);
        activity.SetTag("messaging.destination.template", template);
        activity.SetTag("messaging.client.id", clientId);
        activity.SetTag("messaging.message.body.size", bodySize);
    }

    private void StartSpan(OutboundMessage message, string clientId)
    {
        // The span lasts until the message's outcome, beyond the publish call: it must not stay the caller's current activity.
        var current = Activity.Current;
        var activity = Source.StartActivity(_spanName, ActivityKind.Producer);
        if (activity is null)
        {
            return;
        }

        Activity.Current = current;
        if (activity.IsAllDataRequested)
        {
            SetMessagingTags(activity, "publish", "send", Template, clientId, message.Payload.Length);
        }

        message.Activity = activity;
    }

    /// <summary>Counts an outcome (a broker's refusal as a failed send) and records the publish's duration.</summary>
    private void Count(OutboundMessage message, MqttPublishResult result)
    {
        switch (result.Status)
        {
            case MqttPublishStatus.Delivered:
                _metrics.SentMessages.Add(1, _operationTags);
                RecordDuration(message, _operationTags);
                break;
            case MqttPublishStatus.Dropped:
                var errorTags = _operationErrorTags[(int)result.DropReason];
                _metrics.Dropped.Add(1, _dropTags[(int)result.DropReason]);
                if (result.DropReason == MqttDropReason.RefusedByBroker)
                {
                    _metrics.SentMessages.Add(1, errorTags);
                }

                RecordDuration(message, errorTags);
                break;
        }
    }

    /// <summary>A message was never accepted (the publish call threw): ends its span without an outcome.</summary>
    /// <param name="message">The message.</param>
    public static void Abandoned(OutboundMessage message)
    {
        if (message.Activity is { } activity)
        {
            message.Activity = null;
            activity.SetStatus(ActivityStatusCode.Error);
            StopKeepingCurrent(activity);
        }
    }

    /// <summary>A send was not acknowledged (counted as a failed send); the message will be sent again.</summary>
    /// <param name="timedOut">Whether <c>client.writeTimeout</c> passed (otherwise the connection failed).</param>
    public void SendFailed(bool timedOut) => Add(_metrics.SentMessages, timedOut ? _timeoutTags : _connectionLostTags);

    /// <summary>The broker had no session though one was expected.</summary>
    public void SessionLost() => Add(_metrics.SessionsLost, Tags);

    /// <summary>A reconnection attempt is scheduled.</summary>
    public void Reconnecting() => Add(_metrics.Reconnects, Tags);

    /// <summary>The broker <paramref name="server"/> accepted a connection: counted with <c>server.address</c> and <c>server.port</c>.</summary>
    /// <param name="server">The server.</param>
    public void Connected(ServerAddress server)
    {
        if (_metrics.Connects.Enabled)
        {
            Add(_metrics.Connects, [.. Tags, new("server.address", server.Transport == MqttTransport.UnixSocket ? server.Path : server.Host), new("server.port", server.Port)]);
        }
    }

    /// <summary>Another client with the same client ID took the session (or is suspected to).</summary>
    /// <param name="suspected">Whether it is suspected (connections closed soon after being accepted) rather than said (0x8E).</param>
    public void TakenOver(bool suspected) => Add(_metrics.Takeovers, [.. Tags, new(ErrorType, suspected ? "suspected_takeover" : "session_taken_over")]);

    /// <summary>Counts one, ignoring a meter listener that throws.</summary>
    private static void Add(System.Diagnostics.Metrics.Counter<long> counter, KeyValuePair<string, object?>[] tags)
    {
        try
        {
            counter.Add(1, tags);
        }
        catch (Exception)
        {
            // Telemetry never stops the client.
        }
    }

    private void RecordDuration(OutboundMessage message, KeyValuePair<string, object?>[] tags)
    {
        if (message.AcceptedTimestamp != 0 && _metrics.OperationDuration.Enabled)
        {
            _metrics.OperationDuration.Record(_time.GetElapsedTime(message.AcceptedTimestamp).TotalSeconds, tags);
        }
    }

    private static void Stop(Activity activity, MqttPublishResult result)
    {
        if (activity.IsAllDataRequested)
        {
            activity.SetTag("octopus.mqtt.publish.status", result.Status switch
            {
                MqttPublishStatus.Delivered => "delivered",
                MqttPublishStatus.Queued => "queued",
                _ => "dropped",
            });
            if (result.Status == MqttPublishStatus.Dropped)
            {
                activity.SetTag(ErrorType, GetErrorType(result.DropReason));
                activity.SetStatus(ActivityStatusCode.Error);
            }
        }

        StopKeepingCurrent(activity);
    }

    /// <summary>Stops a span that is not the current one without changing <see cref="Activity.Current"/> (Stop would set it to the span's parent).</summary>
    private static void StopKeepingCurrent(Activity activity)
    {
        var current = Activity.Current;
        activity.Stop();
        if (current != activity)
        {
            Activity.Current = current;
        }
    }
}
