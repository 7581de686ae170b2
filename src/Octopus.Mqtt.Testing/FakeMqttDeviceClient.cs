using System.Text.Json;

namespace Octopus.Mqtt.Testing;

/// <summary>
/// An in-memory <see cref="IMqttDeviceClient"/> on a <see cref="FakeMqttBroker"/>, for unit-testing adaptors without
/// a broker. It renders topics, serialises payloads, queues while offline and reports results as the real client does,
/// and lets a test cut and restore the connection and make the next connect, publish or subscribe fail.
/// </summary>
/// <remarks>
/// <para>
/// Topics and the client ID come from <see cref="MqttTopicTemplate"/> and <see cref="MqttDeviceTopic"/>, exactly as
/// the real client renders them. A payload is sent as the real client sends it: bytes as they are, anything else as
/// UTF-8 JSON with <see cref="MqttDeviceClientOptions.JsonSerializerOptions"/> (camelCase by default; a string <c>x</c> becomes <c>"x"</c>).
/// </para>
/// <para>
/// Connected, a publish reaches the broker at once and returns <see cref="MqttPublishStatus.Delivered"/>. Offline
/// (before <see cref="ConnectAsync"/> and after <see cref="SimulateDisconnect"/>), it waits in a queue of
/// <c>client.messageChannelDepth</c> messages under <see cref="MqttDeviceClientOptions.QueueOverflowPolicy"/>, and the
/// queue is delivered in order on reconnect. The fake never reconnects by itself: the test calls
/// <see cref="SimulateReconnectAsync"/>. Durations other than <c>client.waitTimeout</c> are not simulated; the
/// <c>client.store</c> is always memory; <c>*Ref</c> references are not read.
/// </para>
/// <para>
/// Messages for the client's subscriptions are handed to its handler one at a time, in order, on a thread of the pool
/// (as a real client's receive loop does), so a publish never waits for a handler. <see cref="SubscribeAsync"/>,
/// <see cref="ConnectAsync"/> and <see cref="SimulateReconnectAsync"/> return after the handler has handled the
/// retained messages they brought, unless called from the handler itself.
/// </para>
/// <para>All members are safe to call from several threads at once.</para>
/// </remarks>
public sealed partial class FakeMqttDeviceClient : IMqttDeviceClient
{
    private readonly Lock _gate = new();
    private readonly Lock _stateGate = new();
    private readonly FakeMqttBroker _broker;
    private readonly TimeProvider _time;
    private readonly CancellationTokenSource _disposing = new();
    private readonly CancellationToken _disposingToken;
    private readonly Queue<QueuedMessage> _queue = new();
    private readonly Queue<SimulatedFailure> _connectFailures = new();
    private readonly Queue<SimulatedFailure> _publishFailures = new();
    private readonly Queue<SimulatedFailure> _subscribeFailures = new();

    private readonly string? _publishTopic;
    private readonly MqttQos _defaultQos;
    private readonly bool _defaultRetain;
    private readonly int _depth;
    private readonly TimeSpan _waitTimeout;
    private readonly bool _autoReconnect;
    private readonly bool _cleanSession;
    private readonly int _protocolVersion;
    private readonly MqttQueueOverflowPolicy _overflowPolicy;
    private readonly MqttFirstConnectPolicy _firstConnectPolicy;
    private readonly byte[]? _onlinePayload;
    private readonly JsonSerializerOptions? _jsonOptions;
    private readonly MqttWillSettings? _will;

    // Guarded by _gate.
    private BrokerSession? _session;
    private TaskCompletionSource? _roomSignal;
    private bool _acceptClosed;

    // Guarded by _stateGate.
    private MqttConnectionState _state;

    private int _disposed;

    /// <summary>Initializes a new instance of the <see cref="FakeMqttDeviceClient"/> class; it is not connected yet.</summary>
    /// <param name="broker">The fake broker the client connects to.</param>
    /// <param name="device">The DeviceLink the client speaks for.</param>
    /// <param name="options">The DeviceLink's MQTT options; <c>message</c> and the <c>client</c> fields the fake simulates are read once.</param>
    /// <param name="clientOptions">The behaviour options, or <see langword="null"/> for the defaults.</param>
    /// <param name="timeProvider">The clock of <c>client.waitTimeout</c>, or <see langword="null"/> for the broker's.</param>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    /// <exception cref="MqttOptionsException">The options are not valid; every problem is listed (as the real factory checks them).</exception>
    /// <exception cref="MqttTopicException">A device value cannot go into the topic (it would inject a wildcard).</exception>
    public FakeMqttDeviceClient(FakeMqttBroker broker, DeviceIdentity device, MqttOptions options, MqttDeviceClientOptions? clientOptions = null, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(broker);
        ArgumentNullException.ThrowIfNull(device);
        ArgumentNullException.ThrowIfNull(options);
        clientOptions ??= new MqttDeviceClientOptions();
        _broker = broker;
        _time = timeProvider ?? broker.TimeProvider;
        Device = device;
        _disposingToken = _disposing.Token;
        Inbox = new MessageInbox(DeliverAsync);

        // As the real factory: every problem of the options at once, before anything else.
        var problems = MqttOptionsValidator.GetProblems(options);
        var errors = problems.Where(p => p.Severity == MqttOptionsProblemSeverity.Error).ToArray();
        if (errors.Length > 0)
        {
            throw new MqttOptionsException(errors, [.. problems.Where(p => p.Severity == MqttOptionsProblemSeverity.Warning)]);
        }

        var message = options.Message;
        var client = options.Client;
        Topic = MqttTopicTemplate.Parse(message.Topic).Bind(device, message);
        ClientId = client.ProtocolVersion == 3 ? Topic.ClientIdForMqtt31 : Topic.ClientId;
        try
        {
            _publishTopic = Topic.RenderForPublish();
        }
        catch (MqttTopicException)
        {
            // A template only for subscribing (a wildcard level), or one that needs a render map: publishing without
            // a render map throws this error again, as with the real client.
            _publishTopic = null;
        }

        _defaultQos = message.Qos;
        _defaultRetain = message.Retained;
        _will = message.Will;
        _depth = Math.Max(1, client.MessageChannelDepth);
        _waitTimeout = MqttTimeouts.Limit(client.WaitTimeout);
        _autoReconnect = client.AutoReconnect;
        _cleanSession = client.CleanSession;
        _protocolVersion = client.ProtocolVersion;
        _overflowPolicy = clientOptions.QueueOverflowPolicy;
        _firstConnectPolicy = clientOptions.FirstConnectPolicy;
        _onlinePayload = clientOptions.OnlinePayload;
        _jsonOptions = clientOptions.JsonSerializerOptions;
    }

    /// <inheritdoc/>
    public event EventHandler<MqttConnectionStateChangedEventArgs>? StateChanged;

    /// <inheritdoc/>
    public DeviceIdentity Device { get; }

    /// <inheritdoc/>
    /// <remarks>The 23-character MQTT 3.1 form when <c>client.protocolVersion</c> is 3.</remarks>
    public string ClientId { get; }

    /// <inheritdoc/>
    public MqttConnectionState State
    {
        get
        {
            lock (_stateGate)
            {
                return _state;
            }
        }
    }

    /// <summary>Gets the device's bound topic: the publish topic, the subscribe topics and the will topic render from it.</summary>
    public MqttDeviceTopic Topic { get; }

    /// <summary>Gets the messages of this client that reached the broker: its publishes, its availability messages and its will.</summary>
    public FakeMqttMessageCollector Published { get; } = new();

    /// <summary>Gets how many messages wait in the offline queue.</summary>
    public int QueuedCount
    {
        get
        {
            lock (_gate)
            {
                return _queue.Count;
            }
        }
    }

    /// <summary>Gets the topic filters of the last <see cref="SubscribeAsync"/> call, rendered, in the order of their subscription index.</summary>
    public IReadOnlyList<string> SubscribedTopics
    {
        get
        {
            var entries = _subscriptions.Entries;
            var filters = new string[entries.Length];
            for (var i = 0; i < entries.Length; i++)
            {
                filters[i] = entries[i].Filter;
            }

            return filters;
        }
    }

    /// <summary>Gets the inbox the broker queues this client's messages in.</summary>
    internal MessageInbox Inbox { get; }

    /// <summary>
    /// Makes the next connection attempt (<see cref="ConnectAsync"/> or <see cref="SimulateReconnectAsync"/>) fail with
    /// a <see cref="MqttDeviceClientException"/> with reason code 135, as the real client reports a broker that refuses
    /// the connection as not authorized; each call arms one more failure.
    /// </summary>
    public void FailNextConnect() => Arm(_connectFailures, new SimulatedFailure(null));

    /// <summary>Makes the next connection attempt (<see cref="ConnectAsync"/> or <see cref="SimulateReconnectAsync"/>) fail with <paramref name="exception"/>; each call arms one more failure.</summary>
    /// <param name="exception">The failure <see cref="ConnectAsync"/> throws and <see cref="StateChanged"/> reports.</param>
    public void FailNextConnect(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        Arm(_connectFailures, new SimulatedFailure(exception));
    }

    /// <summary>
    /// Makes the next publish return <c>Dropped (RefusedByBroker, reason code 135)</c> without reaching the broker, as
    /// the real client reports a message the broker refuses as not authorized; each call arms one more failure.
    /// </summary>
    /// <remarks>Argument and topic errors of the publish are still reported first.</remarks>
    public void FailNextPublish() => FailNextPublish(MqttPublishResult.Dropped(MqttDropReason.RefusedByBroker, 135));

    /// <summary>Makes the next publish throw <paramref name="exception"/> without reaching the broker; each call arms one more failure.</summary>
    /// <param name="exception">The exception, for example the <see cref="MqttDeviceClientException"/> of a full queue under <see cref="MqttQueueOverflowPolicy.Refuse"/>.</param>
    public void FailNextPublish(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        Arm(_publishFailures, new SimulatedFailure(exception));
    }

    /// <summary>Makes the next publish return <paramref name="result"/> without reaching the broker; each call arms one more failure.</summary>
    /// <param name="result">The result, for example <c>MqttPublishResult.Dropped(MqttDropReason.QueueOverflow)</c>.</param>
    public void FailNextPublish(MqttPublishResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        Arm(_publishFailures, new SimulatedFailure(null, result));
    }

    /// <summary>
    /// Makes the broker refuse the next subscription request (every topic filter it adds): <see cref="SubscribeAsync"/>
    /// throws the <see cref="MqttDeviceClientException"/> the real client throws for a refused subscription, with
    /// reason code 128 (UnspecifiedError: an MQTT 3.1.1 SUBACK carries no reason), or 135 (NotAuthorized) with
    /// <c>client.protocolVersion</c> 5; each call arms one more failure.
    /// </summary>
    /// <remarks>
    /// As with the real client, the new set and handler are kept, and the refused filters are requested again on the
    /// next reconnect. A request made on (re)connect is refused without an exception. A call that adds no topic filter
    /// sends no request, and leaves the failure armed.
    /// </remarks>
    public void FailNextSubscribe() => Arm(_subscribeFailures, new SimulatedFailure(null));

    /// <summary>Makes the broker refuse the next subscription request, and <see cref="SubscribeAsync"/> throw <paramref name="exception"/>; each call arms one more failure.</summary>
    /// <param name="exception">The exception.</param>
    /// <remarks>See <see cref="FailNextSubscribe()"/>.</remarks>
    public void FailNextSubscribe(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        Arm(_subscribeFailures, new SimulatedFailure(exception));
    }

    private static void Arm(Queue<SimulatedFailure> failures, SimulatedFailure failure)
    {
        lock (failures)
        {
            failures.Enqueue(failure);
        }
    }

    private static SimulatedFailure? TakeFailure(Queue<SimulatedFailure> failures)
    {
        lock (failures)
        {
            return failures.TryDequeue(out var failure) ? failure : null;
        }
    }

    private void SetState(MqttConnectionState state, Exception? error)
    {
        MqttConnectionState previous;
        lock (_stateGate)
        {
            previous = _state;
            if (previous == MqttConnectionState.Disposed || previous == state)
            {
                return;
            }

            _state = state;
        }

        RaiseStateChanged(previous, state, error);
    }

    private void RaiseStateChanged(MqttConnectionState previous, MqttConnectionState state, Exception? error)
    {
        try
        {
            StateChanged?.Invoke(this, new MqttConnectionStateChangedEventArgs(previous, state, error));
        }
        catch (Exception)
        {
            // As the real client: a failing StateChanged handler does not affect the client.
        }
    }

    private void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
}
