using Microsoft.Extensions.Logging;
using MQTTnet.Protocol;
using MQTTnet.Exceptions;
using MQTTnet.Packets;

namespace Octopus.Mqtt;

/// <summary>
/// The session engine behind <see cref="IMqttDeviceClient"/>, on MQTTnet's packet codec and transports (an
/// <see cref="IMqttWire"/> per connection): the MQTT session is ours. Its parts: the connection supervisor (connect,
/// backoff, protocol fallback, keep-alive watchdog, resends on a resumed session), the outbound pipeline (one bounded
/// queue, FIFO waiters, one sender, acknowledgements, the write-timeout watch), the session state
/// (<see cref="InFlightTable"/>: packet identifiers and QoS 2 phases, kept by the File store), the inbound
/// <see cref="InboundDispatcher"/>, and the subscription set restored on every connection.
/// </summary>
/// <remarks>
/// Locking: <see cref="_gate"/> guards the queue, the waiters, the in-flight table, the current connection and the
/// signals; it is never held across an await, and no callback (logger, listener, handler) runs under it. The
/// <see cref="SubscriptionManager"/> serialises subscription changes; <see cref="_connectLock"/> connect calls.
/// </remarks>
internal sealed partial class MqttDeviceClient : IMqttDeviceClient, IDeviceClientHealth
{
    /// <summary>The most QoS 1 and 2 publishes in flight at once when <c>client.order</c> is false.</summary>
    public const int MaxPipelined = 64;

    /// <summary>How long disposal waits for DISCONNECT and for the background work to stop.</summary>
    public static readonly TimeSpan ShutdownTimeout = TimeSpan.FromSeconds(5);

    private readonly Lock _gate = new();
    private readonly Lock _stateGate = new();
    private readonly OutboundQueue _queue = new();
    private readonly RoomWaiters _waiters = new();
    private readonly PacketIdAllocator _ids = new();
    private readonly InFlightTable _inFlight;
    private readonly InboundDispatcher _inbound;
    private readonly SenderSignal _senderSignal = new();

    // Set under the gate by the reader when an acknowledgement made room in the window; the reader wakes the sender
    // when it has handled every packet that arrived together (OnReaderCaughtUp).
    private bool _wakeSenderWhenCaughtUp;

    // Set under the gate by the reader when a PUBREC calls for a PUBREL (Release hands it over); written when it caught up.
    private bool _releasesToFlush;

    // The PUBREL the reader answers a PUBREC with: encoded as it is handed over, so one serves every release.
    private readonly MqttPubRelPacket _release = new();
    private readonly SemaphoreSlim _connectLock = new(1, 1);
    private readonly CancellationTokenSource _stopping = new();
    private readonly CancellationToken _stoppingToken;
    private readonly TaskCompletionSource _disposeCompleted = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private readonly IMqttDeviceTopics _topics;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly IMessageStore? _store;
    private readonly ReconnectBackoff _backoff;
    private readonly ReconnectPlanner _planner;
    private readonly BrokerConnector _connector;
    private readonly MqttDeviceClientTelemetry? _telemetry;
    private readonly AckDeadline? _ackDeadline;
    private readonly PublishWaits? _publishWaits;
    private readonly OutboundMessagePool _messagePool = new();

    private readonly bool _cleanSession;
    private readonly bool _autoReconnect;
    private readonly bool _order;
    private readonly int _depth;
    private readonly TimeSpan _keepAlive;
    private readonly TimeSpan _pingTimeout;
    private readonly TimeSpan _writeTimeout;
    private readonly TimeSpan _waitTimeout;
    private readonly TimeSpan _quiesce;
    private readonly MqttQos _defaultQos;
    private readonly bool _defaultRetain;
    private readonly MqttQueueOverflowPolicy _overflowPolicy;
    private readonly MqttFirstConnectPolicy _firstConnectPolicy;
    private readonly byte[]? _onlinePayload;
    private readonly System.Text.Json.JsonSerializerOptions? _jsonOptions;
    private readonly MessagePropertiesPolicy _properties;
    private readonly bool _coalesceRetained;

    // Guarded by _gate.
    private int _writing;
    private MqttConnection? _ready;
    private MqttConnection? _connection;
    private TaskCompletionSource? _drainedSignal;
    private TaskCompletionSource? _idleSignal;
    private bool _acceptClosed;
    private bool _closed;
    private bool _sessionExpected;
    private long _internalSequence = long.MinValue;

    private readonly SubscriptionManager _subscriptions;

    private volatile string _clientId;
    private MqttConnectionState _state;
    private long _sequence;
    private long _droppedCount;
    private Exception? _storeFailure;
    private int _disposeStarted;
    private Task? _supervisor;
    private Task? _sender;

    /// <summary>Initializes a new instance of the <see cref="MqttDeviceClient"/> class; with a File store, reads back the messages it kept.</summary>
    /// <param name="setup">The inputs.</param>
    /// <exception cref="ArgumentException">The default publish topic is not a valid MQTT topic, or the File store cannot use the UID.</exception>
    public MqttDeviceClient(MqttDeviceClientSetup setup)
    {
        ArgumentNullException.ThrowIfNull(setup);
        Device = setup.Device;
        _clientId = setup.ClientId;
        _topics = setup.Topics;
        _time = setup.TimeProvider;
        _logger = GuardedLogger.Wrap(setup.Logger);
        _stoppingToken = _stopping.Token;
        _telemetry = setup.Telemetry;
        _inFlight = new InFlightTable(_ids);
        _subscriptions = new SubscriptionManager(AllocatePacketId, ReleasePacketId, () => _clientId, _logger, _time, MqttTimeouts.Limit(setup.Client.WriteTimeout), _stoppingToken);
        _subscriptions.Tracing = new ConsumerTracing(setup.Telemetry?.Template ?? setup.Message.Topic);
        _inbound = new InboundDispatcher(_subscriptions.DeliverAsync, _logger, () => _clientId);

        var client = setup.Client;
        _cleanSession = client.CleanSession;
        _autoReconnect = client.AutoReconnect;
        _order = client.Order;
        _depth = Math.Max(1, client.MessageChannelDepth);
        _keepAlive = MqttTimeouts.KeepAlive(client.KeepAlive);
        _pingTimeout = MqttTimeouts.Limit(client.PingTimeout);
        _writeTimeout = MqttTimeouts.Limit(client.WriteTimeout);
        _waitTimeout = MqttTimeouts.Limit(client.WaitTimeout);
        _ackDeadline = _writeTimeout == Timeout.InfiniteTimeSpan ? null : new AckDeadline(_writeTimeout, _time, OnAckOverdue);
        var callLimit = _waitTimeout != Timeout.InfiniteTimeSpan ? _waitTimeout : _writeTimeout;
        _publishWaits = callLimit == Timeout.InfiniteTimeSpan ? null : new PublishWaits(callLimit, _time);
        _quiesce = client.DisconnectQuiesce.TotalNanoseconds > 0 ? client.DisconnectQuiesce.ToTimeSpan() : TimeSpan.Zero;
        _connector = new BrokerConnector(setup.OptionsFactory, setup.WireFactory ?? ChannelAdapterWire.Factory(null), client, _clientId, _time, _logger);
        _backoff = new ReconnectBackoff(client.MaxReconnectInterval.ToTimeSpan(), setup.Random, setup.ReconnectPacer);
        _planner = new ReconnectPlanner(setup.Servers ?? ServerList.Parse(client), _backoff, ReconnectPlanner.GetStableTime(client), _time);
        _defaultQos = setup.Message.Qos;
        _defaultRetain = setup.Message.Retained;
        _overflowPolicy = setup.Options.QueueOverflowPolicy;
        _firstConnectPolicy = setup.Options.FirstConnectPolicy;
        _onlinePayload = setup.Options.OnlinePayload;
        _jsonOptions = setup.Options.JsonSerializerOptions;
        var expiry = setup.Message.Expiry.TotalNanoseconds > 0 ? setup.Message.Expiry.ToTimeSpan() : setup.Options.MessageExpiryInterval;
        _properties = new MessagePropertiesPolicy(client.ProtocolVersion, expiry, setup.Options.JsonContentType, setup.Options.DefaultContentType, _time);
        _coalesceRetained = setup.Message.CoalesceRetained || setup.Options.CoalesceRetained;

        _store = setup.Store ?? (client.Store.Type == MqttStoreType.File
            ? new FileMessageStore(client.Store.DirectoryPrefix, Device.Uid, _logger)
            : null);
        Recover();
        _telemetry?.Attach(this);
    }

    /// <inheritdoc/>
    public event EventHandler<MqttConnectionStateChangedEventArgs>? StateChanged;

    /// <inheritdoc/>
    public event EventHandler<MqttSessionLostEventArgs>? SessionLost;

    /// <inheritdoc/>
    public DeviceIdentity Device { get; }

    /// <inheritdoc/>
    public string ClientId => _clientId;

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

    /// <summary>Gets how many messages were dropped so far.</summary>
    public long DroppedCount => Interlocked.Read(ref _droppedCount);

    /// <summary>Gets the error of the File store's last write when it failed (the client is then unhealthy), or <see langword="null"/>.</summary>
    public Exception? StoreFailure => Volatile.Read(ref _storeFailure);

    /// <inheritdoc/>
    public string? ConnectedServer => _planner.Connected?.ToString();

    /// <summary>Gets how many times another client with this client ID took the session over (or is suspected to: connections closed one after the other soon after being accepted).</summary>
    public long TakeoverCount => _planner.Takeovers;

    /// <inheritdoc/>
    public string? Problem => StoreFailure is { } failure ? $"the File store cannot keep messages ({_store?.Location}): {failure.Message}" : _planner.Problem;

    /// <summary>Gets how many messages await their acknowledgement.</summary>
    public int InFlightCount
    {
        get
        {
            lock (_gate)
            {
                return _inFlight.Count;
            }
        }
    }

    /// <summary>Gets how many messages wait to be sent (not counting those in flight).</summary>
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

    private static void ValidateTopic(string topic, string what)
    {
        try
        {
            MqttTopicValidator.ThrowIfInvalid(topic);
        }
        catch (MqttProtocolViolationException exception)
        {
            throw new ArgumentException($"{what}: \"{topic}\" is not a valid MQTT topic: {exception.Message}", exception);
        }
    }

    /// <summary>
    /// Reads back what the File store kept: with <c>cleanSession</c> false, a message that had a packet identifier
    /// resumes its exchange (its PUBLISH or PUBREL is sent again with that identifier if the broker kept the session);
    /// every other message waits in the queue.
    /// </summary>
    private void Recover()
    {
        if (_store is null)
        {
            return;
        }

        var stored = _store.Load();
        var resumed = 0;
        foreach (var item in stored)
        {
            var message = new OutboundMessage(item.Sequence, item.Topic, PayloadBuffer.Copy(item.Payload), item.Qos, item.Retain)
            {
                Store = _store,
                Properties = item.Properties is { } properties ? properties with { Clock = _time } : null,
                PacketId = item.PacketId,
                Phase = item.PacketId == 0 ? OutboundPhase.Unsent : item.Phase,
            };
            if (!_cleanSession && message.Phase != OutboundPhase.Unsent && _inFlight.Resume(message))
            {
                resumed++;
            }
            else
            {
                message.PacketId = 0;
                message.Phase = OutboundPhase.Unsent;
                _queue.Insert(message);
            }

            _sequence = Math.Max(_sequence, item.Sequence);
        }

        // Messages that were in the middle of an exchange expect the broker's session.
        _sessionExpected = resumed > 0;
        if (stored.Count > 0)
        {
            Log.StoreRecovered(_logger, stored.Count, _clientId, _store.Location);
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

        var handler = StateChanged;
        if (handler is null)
        {
            return;
        }

        try
        {
            handler(this, new MqttConnectionStateChangedEventArgs(previous, state, error));
        }
        catch (Exception exception)
        {
            Log.StateChangedHandlerFailed(_logger, exception, _clientId);
        }
    }

    private void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposeStarted) != 0, this);
}
