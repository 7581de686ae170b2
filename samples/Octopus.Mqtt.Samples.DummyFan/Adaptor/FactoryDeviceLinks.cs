using Microsoft.Extensions.Hosting;

namespace Octopus.Mqtt.Samples.DummyFan;

/// <summary>
/// <see cref="IDeviceLinks"/> on an <see cref="IMqttDeviceClientFactory"/>: options are compared through their JSON
/// form; at host shutdown every client is disposed, which disconnects it gracefully.
/// </summary>
internal sealed class FactoryDeviceLinks(IMqttDeviceClientFactory factory) : IDeviceLinks, IHostedService, IDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly Dictionary<DeviceIdentity, (IMqttDeviceClient Client, string Options, IReferenceResolver? References)> _clients = [];

    public async Task<IMqttDeviceClient?> ConfigureAsync(DeviceIdentity device, MqttOptions? options, IReferenceResolver? references = null, CancellationToken cancellationToken = default)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            var json = options is null ? null : MqttOptionsJson.Write(options);
            if (_clients.TryGetValue(device, out var current))
            {
                if (json == current.Options && ReferenceEquals(references, current.References))
                {
                    return current.Client;
                }

                _clients.Remove(device);
                await current.Client.DisposeAsync();
            }

            if (options is null)
            {
                return null;
            }

            var client = factory.Create(device, options, references);
            try
            {
                await client.ConnectAsync(cancellationToken);
            }
            catch
            {
                await client.DisposeAsync();
                throw;
            }

            _clients[device] = (client, json!, references);
            return client;
        }
        finally
        {
            _gate.Release();
        }
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            foreach (var (client, _, _) in _clients.Values)
            {
                await client.DisposeAsync();
            }

            _clients.Clear();
        }
        finally
        {
            _gate.Release();
        }
    }

    public void Dispose() => _gate.Dispose();
}
