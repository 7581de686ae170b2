using System.Text.Json.Serialization.Metadata;

namespace Octopus.Mqtt.Tests.Lifecycle;

/// <summary>A device client that records what is done to it; its connect can fail or wait, and its state is set by the test.</summary>
internal sealed class StubDeviceClient(DeviceIdentity device, MqttOptions options, IReferenceResolver? references) : IMqttDeviceClient
{
    private MqttConnectionState _state;

    public event EventHandler<MqttConnectionStateChangedEventArgs>? StateChanged;

    public event EventHandler<MqttSessionLostEventArgs>? SessionLost
    {
        add { }
        remove { }
    }

    public DeviceIdentity Device { get; } = device;

    public MqttOptions Options { get; } = options;

    public IReferenceResolver? References { get; } = references;

    public string ClientId => MqttClientId.Create(Device.Uid);

    public MqttConnectionState State => _state;

    public int ConnectCalls;

    public bool Disposed { get; private set; }

    /// <summary>Gets or sets what the next connects throw; null connects.</summary>
    public Exception? ConnectFailure { get; set; }

    /// <summary>Gets or sets a task every connect waits for.</summary>
    public Task? ConnectGate { get; set; }

    public async Task ConnectAsync(CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref ConnectCalls);
        SetState(MqttConnectionState.Connecting);
        if (ConnectGate is { } gate)
        {
            await gate.WaitAsync(cancellationToken);
        }

        if (ConnectFailure is { } failure)
        {
            SetState(MqttConnectionState.Disconnected);
            throw failure;
        }

        SetState(MqttConnectionState.Connected);
    }

    public void SetState(MqttConnectionState state)
    {
        var previous = _state;
        _state = state;
        StateChanged?.Invoke(this, new MqttConnectionStateChangedEventArgs(previous, state, null));
    }

    public ValueTask<MqttPublishResult> PublishAsync<T>(T value, MqttPublishOptions? options, CancellationToken cancellationToken) =>
        new(MqttPublishResult.Delivered);

    public ValueTask<MqttPublishResult> PublishAsync<T>(T value, JsonTypeInfo<T> jsonTypeInfo, MqttPublishOptions? options, CancellationToken cancellationToken) =>
        new(MqttPublishResult.Delivered);

    public ValueTask<MqttPublishResult> PublishAsync(ReadOnlyMemory<byte> payload, MqttPublishOptions? options, CancellationToken cancellationToken) =>
        new(MqttPublishResult.Delivered);

    public Task SubscribeAsync(IReadOnlyList<MqttDeviceSubscription> subscriptions, MqttMessageHandler handler, CancellationToken cancellationToken = default) =>
        Task.CompletedTask;

    public Task SubscribeAsync(IReadOnlyList<MqttDeviceSubscription> subscriptions, MqttReceivedMessageHandler handler, CancellationToken cancellationToken) =>
        Task.CompletedTask;

    /// <summary>Gets or sets a task disposal waits for.</summary>
    public Task? DisposeGate { get; set; }

    public async ValueTask DisposeAsync()
    {
        if (DisposeGate is { } gate)
        {
            await gate;
        }

        Disposed = true;
        SetState(MqttConnectionState.Disposed);
    }
}
