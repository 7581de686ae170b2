using System.Collections.Concurrent;

namespace Octopus.Mqtt.Tests.Lifecycle;

/// <summary>Creates <see cref="StubDeviceClient"/>s and keeps them in creation order.</summary>
internal sealed class StubClientFactory : IMqttDeviceClientFactory
{
    private readonly ConcurrentQueue<StubDeviceClient> _created = new();

    /// <summary>Gets or sets a hook run on each new client before it is returned.</summary>
    public Action<StubDeviceClient>? OnCreate { get; set; }

    public IReadOnlyList<StubDeviceClient> Created => [.. _created];

    public IMqttDeviceClient Create(DeviceIdentity device, MqttOptions options, IReferenceResolver? references = null)
    {
        var client = new StubDeviceClient(device, options, references);
        OnCreate?.Invoke(client);
        _created.Enqueue(client);
        return client;
    }
}
