using System.Diagnostics.CodeAnalysis;
using System.Text.Json.Serialization.Metadata;
using Microsoft.Extensions.Options;

namespace Octopus.Mqtt;

/// <summary>
/// The client of a device registered with AddOctopusMqtt(name, device, …), resolved as the keyed service
/// <c>[FromKeyedServices(name)] IMqttDeviceClient</c>: it stands for whichever client <see cref="IMqttDeviceLinks"/>
/// holds for the device, so it can be injected before the host starts and stays valid when the client is replaced.
/// </summary>
/// <remarks>
/// <see cref="ConnectAsync"/> configures the device from its named options (the hosted service does it at start);
/// the other calls need a client and throw <see cref="InvalidOperationException"/> before. Disposing it removes the
/// device from the links.
/// </remarks>
internal sealed class MqttNamedDeviceClient : IMqttDeviceClient
{
    private readonly string _name;
    private readonly IMqttDeviceLinks _links;
    private readonly IOptionsMonitor<MqttOptions> _options;
    private readonly IReferenceResolver? _references;
    private readonly object _gate = new();
    private IMqttDeviceClient? _attached;

    public MqttNamedDeviceClient(string name, DeviceIdentity device, IMqttDeviceLinks links, IOptionsMonitor<MqttOptions> options, IReferenceResolver? references)
    {
        _name = name;
        Device = device;
        _links = links;
        _options = options;
        _references = references;
        if (links is MqttDeviceLinkManager manager)
        {
            manager.ClientChanged += OnClientChanged;
        }
    }

    public event EventHandler<MqttConnectionStateChangedEventArgs>? StateChanged;

    public event EventHandler<MqttSessionLostEventArgs>? SessionLost;

    public DeviceIdentity Device { get; }

    public string ClientId => Current?.ClientId ?? MqttClientId.Create(Device.Uid);

    public MqttConnectionState State => Current?.State ?? MqttConnectionState.Disconnected;

    /// <inheritdoc/>
    public string? ConnectedServer => Current?.ConnectedServer;

    private IMqttDeviceClient? Current
    {
        get
        {
            var client = _links.GetClient(Device);
            Attach(client);
            return client;
        }
    }

    public async Task ConnectAsync(CancellationToken cancellationToken = default)
    {
        var client = await _links.ConfigureAsync(Device, _options.Get(_name), _references, cancellationToken).ConfigureAwait(false);
        Attach(client);
    }

    [RequiresUnreferencedCode("JSON serialisation of an arbitrary type may need types the trimmer removes; use the overload with a JsonTypeInfo<T>.")]
    [RequiresDynamicCode("JSON serialisation of an arbitrary type may need runtime code generation; use the overload with a JsonTypeInfo<T>.")]
    public ValueTask<MqttPublishResult> PublishAsync<T>(T value, MqttPublishOptions? options, CancellationToken cancellationToken) =>
        Required.PublishAsync(value, options, cancellationToken);

    public ValueTask<MqttPublishResult> PublishAsync<T>(T value, JsonTypeInfo<T> jsonTypeInfo, MqttPublishOptions? options, CancellationToken cancellationToken) =>
        Required.PublishAsync(value, jsonTypeInfo, options, cancellationToken);

    public ValueTask<MqttPublishResult> PublishAsync(ReadOnlyMemory<byte> payload, MqttPublishOptions? options, CancellationToken cancellationToken) =>
        Required.PublishAsync(payload, options, cancellationToken);

    public Task SubscribeAsync(IReadOnlyList<MqttDeviceSubscription> subscriptions, MqttMessageHandler handler, CancellationToken cancellationToken = default) =>
        Required.SubscribeAsync(subscriptions, handler, cancellationToken);

    public Task SubscribeAsync(IReadOnlyList<MqttDeviceSubscription> subscriptions, MqttReceivedMessageHandler handler, CancellationToken cancellationToken) =>
        Required.SubscribeAsync(subscriptions, handler, cancellationToken);

    public async ValueTask DisposeAsync()
    {
        if (_links is MqttDeviceLinkManager manager)
        {
            manager.ClientChanged -= OnClientChanged;
        }

        Attach(null);
        await _links.RemoveAsync(Device).ConfigureAwait(false);
    }

    private IMqttDeviceClient Required => Current ?? throw new InvalidOperationException(
        $"The MQTT device \"{_name}\" ({Device.Namespace}/{Device.Name}) has no client yet: it is created when the host starts, or by ConnectAsync.");

    private void OnClientChanged(DeviceIdentity device)
    {
        if (device == Device)
        {
            Attach(_links.GetClient(device));
        }
    }

    /// <summary>Passes the state changes of <paramref name="client"/> on, as this client's, from now on.</summary>
    private void Attach(IMqttDeviceClient? client)
    {
        lock (_gate)
        {
            if (ReferenceEquals(client, _attached))
            {
                return;
            }

            if (_attached is not null)
            {
                _attached.StateChanged -= OnStateChanged;
                _attached.SessionLost -= OnSessionLost;
            }

            _attached = client;
            if (client is not null)
            {
                client.StateChanged += OnStateChanged;
                client.SessionLost += OnSessionLost;
            }
        }
    }

    private void OnStateChanged(object? sender, MqttConnectionStateChangedEventArgs e) => StateChanged?.Invoke(this, e);

    private void OnSessionLost(object? sender, MqttSessionLostEventArgs e) => SessionLost?.Invoke(this, e);
}
