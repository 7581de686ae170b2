namespace Octopus.Mqtt.Testing;

/// <summary>
/// An <see cref="IMqttDeviceClient"/> on a <see cref="FakeMqttBroker"/>, for unit-testing adaptors without a broker:
/// the real client of <see cref="MqttDeviceClientFactory"/>, with its whole engine (queue, overflow policies, waits,
/// sessions, reconnects), connected to the fake broker in memory instead of over the network. A test cuts and
/// restores the connection and makes the next connect, publish or subscribe fail.
/// </summary>
/// <remarks>
/// <para>
/// Topics and the client ID come from <see cref="MqttTopicTemplate"/> and <see cref="MqttDeviceTopic"/>, exactly as
/// the real factory binds them. A payload is sent as the real client sends it: bytes as they are, anything else as
/// UTF-8 JSON with <see cref="MqttDeviceClientOptions.JsonSerializerOptions"/> (camelCase by default; a string <c>x</c> becomes <c>"x"</c>).
/// </para>
/// <para>
/// Every option works as with the real client (<c>client.store</c> File included, which writes its directory);
/// only <c>client.server</c> is not dialled and <c>*Ref</c> references are not read. Connected, a publish returns once
/// the broker acknowledged it. Offline, it waits in the queue of <c>client.messageChannelDepth</c> messages under
/// <see cref="MqttDeviceClientOptions.QueueOverflowPolicy"/>. As the real client, it reconnects by itself after its
/// backoff (on the broker's <see cref="FakeMqttBroker.TimeProvider"/>: with a <c>FakeTimeProvider</c> only when the
/// test advances it); <see cref="SimulateReconnectAsync"/> makes it reconnect at once.
/// </para>
/// <para>
/// Messages for the client's subscriptions are handed to its handler one at a time, in order, off the caller's thread
/// (as the real client does), so a publish never waits for a handler. <c>SubscribeAsync</c>,
/// <see cref="ConnectAsync"/> and <see cref="SimulateReconnectAsync"/> return after the handler has handled the
/// retained messages they brought, unless called from the handler itself.
/// </para>
/// <para>All members are safe to call from several threads at once.</para>
/// </remarks>
public sealed partial class FakeMqttDeviceClient : IMqttDeviceClient, IDeviceClientHealth
{
    private readonly FakeMqttBroker _broker;
    private readonly MqttDeviceClient _engine;
    private readonly HandlerProbe _probe = new();
    private readonly MqttQos _defaultQos;
    private readonly bool _version5;
    private readonly List<StateWaiter> _stateWaiters = [];

    private volatile string[] _subscribedTopics = [];
    private int _disposed;

    /// <summary>Initializes a new instance of the <see cref="FakeMqttDeviceClient"/> class; it is not connected yet.</summary>
    /// <param name="broker">The fake broker the client connects to.</param>
    /// <param name="device">The DeviceLink the client speaks for.</param>
    /// <param name="options">The DeviceLink's MQTT options, read as the real factory reads them (<c>client.server</c> is not dialled; <c>*Ref</c> references are not read).</param>
    /// <param name="clientOptions">The behaviour options, or <see langword="null"/> for the defaults.</param>
    /// <param name="timeProvider">The clock of every timeout, backoff and keep-alive of the client, or <see langword="null"/> for the broker's.</param>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    /// <exception cref="MqttOptionsException">The options are not valid; every problem is listed (as the real factory checks them).</exception>
    /// <exception cref="MqttTopicException">A device value cannot go into the topic (it would inject a wildcard).</exception>
    public FakeMqttDeviceClient(FakeMqttBroker broker, DeviceIdentity device, MqttOptions options, MqttDeviceClientOptions? clientOptions = null, TimeProvider? timeProvider = null)
        : this(broker, DeviceClientPlan.Create(device, options), clientOptions, timeProvider)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="FakeMqttDeviceClient"/> class from options checked already.</summary>
    /// <param name="broker">The fake broker the client connects to.</param>
    /// <param name="plan">The device's checked and bound options.</param>
    /// <param name="clientOptions">The behaviour options, or <see langword="null"/> for the defaults.</param>
    /// <param name="timeProvider">The clock of the client, or <see langword="null"/> for the broker's.</param>
    internal FakeMqttDeviceClient(FakeMqttBroker broker, DeviceClientPlan plan, MqttDeviceClientOptions? clientOptions, TimeProvider? timeProvider)
    {
        ArgumentNullException.ThrowIfNull(broker);
        _broker = broker;
        Topic = plan.Topic;
        _defaultQos = plan.Message.Qos;
        _version5 = plan.Client.ProtocolVersion == 5;
        _engine = new MqttDeviceClient(new MqttDeviceClientSetup
        {
            Device = plan.Device,
            ClientId = plan.ClientId,
            Client = plan.Client,
            Message = plan.Message,
            Topics = new BoundDeviceTopics(plan.Topic),
            OptionsFactory = (address, fallback, _) => ValueTask.FromResult(plan.CreateConnectOptions(address, MqttCredentials.None, fallback)),
            Options = clientOptions ?? new MqttDeviceClientOptions(),
            TimeProvider = timeProvider ?? broker.TimeProvider,
            WireFactory = connectOptions => broker.CreateWire(connectOptions, Published, _probe.Take),
        });
        _engine.StateChanged += OnStateChanged;
    }

    /// <inheritdoc/>
    public event EventHandler<MqttConnectionStateChangedEventArgs>? StateChanged;

    /// <inheritdoc/>
    /// <remarks>The fake broker keeps a persistent session while it runs, so this occurs only when a test makes it forget one.</remarks>
    public event EventHandler<MqttSessionLostEventArgs>? SessionLost
    {
        add => _engine.SessionLost += value;
        remove => _engine.SessionLost -= value;
    }

    /// <inheritdoc/>
    public DeviceIdentity Device => _engine.Device;

    /// <inheritdoc/>
    /// <remarks>The 23-character MQTT 3.1 form when <c>client.protocolVersion</c> is 3 (or 0 after falling back to 3.1).</remarks>
    public string ClientId => _engine.ClientId;

    /// <inheritdoc/>
    public MqttConnectionState State => _engine.State;

    /// <inheritdoc/>
    public string? ConnectedServer => _engine.ConnectedServer;

    /// <summary>Gets the device's bound topic: the publish topic, the subscribe topics and the will topic render from it.</summary>
    public MqttDeviceTopic Topic { get; }

    /// <summary>Gets the messages of this client that reached the broker: its publishes, its availability messages and its will.</summary>
    public FakeMqttMessageCollector Published { get; } = new();

    /// <summary>Gets how many messages wait in the client's queue to be sent (not counting those sent and not acknowledged yet).</summary>
    public int QueuedCount => _engine.QueuedCount;

    /// <summary>Gets the topic filters of the last <c>SubscribeAsync</c> call, rendered, in the order of their subscription index.</summary>
    public IReadOnlyList<string> SubscribedTopics => _subscribedTopics;

    /// <inheritdoc/>
    string? IDeviceClientHealth.Problem => _engine.Problem;

    private void OnStateChanged(object? sender, MqttConnectionStateChangedEventArgs e)
    {
        StateWaiter[] reached;
        lock (_stateWaiters)
        {
            reached = [.. _stateWaiters.Where(w => w.Condition(e.PreviousState, e.State))];
            _stateWaiters.RemoveAll(reached.Contains);
        }

        try
        {
            StateChanged?.Invoke(this, e);
        }
        catch (Exception)
        {
            // As the real client: a failing StateChanged handler does not affect the client.
        }

        foreach (var waiter in reached)
        {
            waiter.Done.TrySetResult(e.State);
        }
    }

    /// <summary>Waits for a state change that meets <paramref name="condition"/> (previous state, new state).</summary>
    private Task<MqttConnectionState> WaitForChangeAsync(Func<MqttConnectionState, MqttConnectionState, bool> condition)
    {
        var waiter = new StateWaiter(condition);
        lock (_stateWaiters)
        {
            _stateWaiters.Add(waiter);
        }

        return waiter.Done.Task;
    }

    /// <summary>Waits until what the broker sent this client is handled, unless called from this client's handler (that wait would never end).</summary>
    private Task WhenHandledAsync() =>
        ReferenceEquals(DeliveryScope.Current, Published) ? Task.CompletedTask : _broker.WhenHandledAsync(ClientId);

    private void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);

    private sealed class StateWaiter(Func<MqttConnectionState, MqttConnectionState, bool> condition)
    {
        public Func<MqttConnectionState, MqttConnectionState, bool> Condition { get; } = condition;

        public TaskCompletionSource<MqttConnectionState> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
