namespace Octopus.Mqtt.Testing;

/// <summary>
/// An <see cref="IMqttDeviceClientFactory"/> that creates <see cref="FakeMqttDeviceClient"/>s on one shared
/// <see cref="FakeMqttBroker"/> and remembers them, so a test can find the client its adaptor created for a device.
/// </summary>
/// <remarks>Register it in place of the real factory with <c>services.AddFakeOctopusMqtt()</c>. All members are safe to call from several threads at once.</remarks>
public sealed class FakeMqttDeviceClientFactory : IMqttDeviceClientFactory, IPlannedDeviceClientFactory
{
    private readonly Lock _gate = new();
    private readonly List<FakeMqttDeviceClient> _clients = [];

    /// <summary>Initializes a new instance of the <see cref="FakeMqttDeviceClientFactory"/> class with a new broker on the system clock.</summary>
    public FakeMqttDeviceClientFactory()
        : this(new FakeMqttBroker())
    {
    }

    /// <summary>Initializes a new instance of the <see cref="FakeMqttDeviceClientFactory"/> class.</summary>
    /// <param name="broker">The broker every client connects to; its <see cref="FakeMqttBroker.TimeProvider"/> is the clients' clock.</param>
    /// <param name="clientOptions">The behaviour options of every client, or <see langword="null"/> for the defaults.</param>
    public FakeMqttDeviceClientFactory(FakeMqttBroker broker, MqttDeviceClientOptions? clientOptions = null)
    {
        ArgumentNullException.ThrowIfNull(broker);
        Broker = broker;
        ClientOptions = clientOptions ?? new MqttDeviceClientOptions();
    }

    /// <summary>Gets the broker the clients connect to.</summary>
    public FakeMqttBroker Broker { get; }

    /// <summary>Gets the behaviour options of every client (overflow policy, first connect, availability, JSON); read when a client is created.</summary>
    public MqttDeviceClientOptions ClientOptions { get; }

    /// <summary>Creates a fake client for <paramref name="device"/>; it is not connected yet.</summary>
    /// <param name="device">The DeviceLink the client speaks for.</param>
    /// <param name="options">The DeviceLink's MQTT options.</param>
    /// <param name="references">Not read: the fake needs no credentials.</param>
    /// <returns>The client.</returns>
    /// <exception cref="MqttOptionsException">The options are not valid; every problem is listed (as the real factory checks them).</exception>
    /// <exception cref="MqttTopicException">A device value cannot go into the topic (it would inject a wildcard).</exception>
    public FakeMqttDeviceClient Create(DeviceIdentity device, MqttOptions options, IReferenceResolver? references = null) =>
        Remember(new FakeMqttDeviceClient(Broker, device, options, ClientOptions));

    /// <inheritdoc/>
    IMqttDeviceClient IPlannedDeviceClientFactory.Create(DeviceClientPlan plan, IReferenceResolver? references) =>
        Remember(new FakeMqttDeviceClient(Broker, plan, ClientOptions, timeProvider: null));

    private FakeMqttDeviceClient Remember(FakeMqttDeviceClient client)
    {
        lock (_gate)
        {
            _clients.Add(client);
        }

        return client;
    }

    /// <inheritdoc/>
    IMqttDeviceClient IMqttDeviceClientFactory.Create(DeviceIdentity device, MqttOptions options, IReferenceResolver? references) =>
        Create(device, options, references);

    /// <summary>Gets every client created so far, disposed ones included.</summary>
    /// <returns>The clients, in the order they were created.</returns>
    public IReadOnlyList<FakeMqttDeviceClient> GetClients()
    {
        lock (_gate)
        {
            return [.. _clients];
        }
    }

    /// <summary>Gets the client created last for <paramref name="device"/> (an adaptor replaces a device's client when its options change).</summary>
    /// <param name="device">The device.</param>
    /// <returns>The client.</returns>
    /// <exception cref="InvalidOperationException">No client was created for the device; the message lists those that were.</exception>
    public FakeMqttDeviceClient GetClient(DeviceIdentity device)
    {
        ArgumentNullException.ThrowIfNull(device);
        lock (_gate)
        {
            for (var i = _clients.Count - 1; i >= 0; i--)
            {
                if (_clients[i].Device == device)
                {
                    return _clients[i];
                }
            }

            var created = _clients.Count == 0 ? "none" : string.Join(", ", _clients.Select(c => Describe(c.Device)).Distinct());
            throw new InvalidOperationException($"No fake MQTT client was created for the device {Describe(device)}; clients were created for: {created}.");
        }
    }

    private static string Describe(DeviceIdentity device) => $"{device.Namespace}/{device.Name} (uid {device.Uid})";
}
