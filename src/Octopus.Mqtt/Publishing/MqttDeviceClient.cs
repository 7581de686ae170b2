using Microsoft.Extensions.Logging;
using MQTTnet;
using MQTTnet.Exceptions;
using MQTTnet.Protocol;

namespace Octopus.Mqtt;

/// <summary>
/// The reliability engine behind <see cref="IMqttDeviceClient"/>, on a bare MQTTnet 5 connection (which neither
/// reconnects, queues, nor resends): a connection supervisor (connect, backoff, protocol fallback, keep-alive
/// watchdog), one ordered (or pipelined) sender over a bounded queue, an optional File store, and the subscription set
/// restored on every connection.
/// </summary>
/// <remarks>
/// Locking: <see cref="_gate"/> guards the queue, the in-flight count, the current session and the signals; it is
/// never held across an await. Subscription changes are serialised by <see cref="_subscriptionLock"/>, connect calls
/// by <see cref="_connectLock"/>.
/// </remarks>
internal sealed partial class MqttDeviceClient : IMqttDeviceClient
{
    /// <summary>The most QoS 1 and 2 publishes in flight at once when <c>client.order</c> is false.</summary>
    public const int MaxPipelined = 64;

    /// <summary>How long disposal waits for DISCONNECT and for the background work to stop.</summary>
    public static readonly TimeSpan ShutdownTimeout = TimeSpan.FromSeconds(5);

    private static readonly MqttClientFactory DefaultClientFactory = new();

    private readonly object _gate = new();
    private readonly object _stateGate = new();
    private readonly OutboundQueue _queue = new();
    private readonly SenderSignal _senderSignal = new();
    private readonly SemaphoreSlim _connectLock = new(1, 1);
    private readonly SemaphoreSlim _subscriptionLock = new(1, 1);
    private readonly CancellationTokenSource _stopping = new();
    private readonly CancellationToken _stoppingToken;
    private readonly TaskCompletionSource _disposeCompleted = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Func<MqttApplicationMessageReceivedEventArgs, Task> _onMessageReceived;

    private readonly IMqttDeviceTopics _topics;
    private readonly ConnectOptionsProvider _optionsFactory;
    private readonly Func<IMqttClient> _clientFactory;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly IMessageStore? _store;
    private readonly ReconnectBackoff _backoff;
    private readonly MqttDeviceClientTelemetry? _telemetry;
    private readonly WriteTimeoutPool? _writeTimeouts;
    private readonly PublishWaits? _publishWaits;

    private readonly int _protocolVersion;
    private readonly bool _cleanSession;
    private readonly bool _autoReconnect;
    private readonly bool _order;
    private readonly int _depth;
    private readonly TimeSpan _keepAlive;
    private readonly TimeSpan _connectTimeout;
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

    // Guarded by _gate.
    private int _inFlight;
    private ConnectionSession? _session;
    private ConnectionSession? _connected;
    private TaskCompletionSource? _roomSignal;
    private TaskCompletionSource? _drainedSignal;
    private TaskCompletionSource? _idleSignal;
    private bool _acceptClosed;
    private bool _closed;

    // Guarded by _subscriptionLock.
    private readonly Dictionary<string, MqttQos> _applied = new(StringComparer.Ordinal);
    private ConnectionSession? _subscriptionSession;

    private volatile SubscriptionSet _subscriptions = SubscriptionSet.Empty;
    private volatile string _clientId;
    private volatile bool _mqtt31Fallback;
    private MqttConnectionState _state;
    private long _sequence;
    private long _droppedCount;
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
        _optionsFactory = setup.OptionsFactory;
        _clientFactory = setup.MqttClientFactory ?? DefaultClientFactory.CreateMqttClient;
        _time = setup.TimeProvider;
        _logger = setup.Logger;
        _stoppingToken = _stopping.Token;
        _onMessageReceived = OnApplicationMessageReceivedAsync;
        _telemetry = setup.Telemetry;

        var client = setup.Client;
        _protocolVersion = client.ProtocolVersion;
        _cleanSession = client.CleanSession;
        _autoReconnect = client.AutoReconnect;
        _order = client.Order;
        _depth = Math.Max(1, client.MessageChannelDepth);
        _keepAlive = MqttTimeouts.KeepAlive(client.KeepAlive);
        _connectTimeout = MqttTimeouts.Limit(client.ConnectTimeout);
        _pingTimeout = MqttTimeouts.Limit(client.PingTimeout);
        _writeTimeout = MqttTimeouts.Limit(client.WriteTimeout);
        _waitTimeout = MqttTimeouts.Limit(client.WaitTimeout);
        _writeTimeouts = _writeTimeout == Timeout.InfiniteTimeSpan ? null : new WriteTimeoutPool(_writeTimeout, _time, MaxPipelined);
        var callLimit = _waitTimeout != Timeout.InfiniteTimeSpan ? _waitTimeout : _writeTimeout;
        _publishWaits = callLimit == Timeout.InfiniteTimeSpan ? null : new PublishWaits(callLimit, _time);
        _quiesce = client.DisconnectQuiesce.TotalNanoseconds > 0 ? client.DisconnectQuiesce.ToTimeSpan() : TimeSpan.Zero;
        _backoff = new ReconnectBackoff(client.MaxReconnectInterval.ToTimeSpan(), setup.Random, setup.ReconnectPacer);
        _defaultQos = setup.Message.Qos;
        _defaultRetain = setup.Message.Retained;
        _overflowPolicy = setup.Options.QueueOverflowPolicy;
        _firstConnectPolicy = setup.Options.FirstConnectPolicy;
        _onlinePayload = setup.Options.OnlinePayload;
        _jsonOptions = setup.Options.JsonSerializerOptions;

        _store = setup.Store ?? (client.Store.Type == MqttStoreType.File
            ? new FileMessageStore(client.Store.DirectoryPrefix, Device.Uid, _logger)
            : null);
        Recover();
        _telemetry?.Attach(this);
    }

    /// <inheritdoc/>
    public event EventHandler<MqttConnectionStateChangedEventArgs>? StateChanged;

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

    private void Recover()
    {
        if (_store is null)
        {
            return;
        }

        var stored = _store.Load();
        foreach (var item in stored)
        {
            var message = new OutboundMessage(item.Sequence, item.Topic, PayloadBuffer.Copy(item.Payload), item.Qos, item.Retain)
            {
                Persisted = true,
            };
            _queue.Insert(message);
            _sequence = Math.Max(_sequence, item.Sequence);
        }

        if (stored.Count > 0)
        {
            Log.StoreRecovered(_logger, stored.Count, _clientId, (_store as FileMessageStore)?.DirectoryPath ?? "(custom)");
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
