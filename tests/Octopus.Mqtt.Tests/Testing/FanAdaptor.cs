using System.Text.Json;

namespace Octopus.Mqtt.Tests.Testing;

/// <summary>
/// The adaptor of docs/testing-adaptors.md: a fan whose gear is set by a command and whose whole status is published
/// on every change.
/// </summary>
public sealed class FanAdaptor(IMqttDeviceClientFactory factory) : IAsyncDisposable
{
    private IMqttDeviceClient? _client;
    private string _gear = "slow";

    public MqttPublishResult? LastResult { get; private set; }

    public async Task StartAsync(DeviceIdentity device, MqttOptions options, CancellationToken cancellationToken)
    {
        _client = factory.Create(device, options);
        await _client.ConnectAsync(cancellationToken);
        await _client.SubscribeAsync([new MqttDeviceSubscription()], OnCommandAsync, cancellationToken);
        await PublishStatusAsync(cancellationToken);
    }

    public async Task SetGearAsync(string gear, CancellationToken cancellationToken)
    {
        _gear = gear;
        await PublishStatusAsync(cancellationToken);
    }

    public ValueTask DisposeAsync() => _client?.DisposeAsync() ?? ValueTask.CompletedTask;

    private async ValueTask OnCommandAsync(int index, string topic, ReadOnlyMemory<byte> payload, CancellationToken cancellationToken) =>
        await SetGearAsync(JsonSerializer.Deserialize<string>(payload.Span) ?? _gear, cancellationToken);

    private async Task PublishStatusAsync(CancellationToken cancellationToken)
    {
        var speed = _gear switch { "fast" => 200, "middle" => 100, _ => 0 };
        LastResult = await _client!.PublishAsync(new FanStatus(_gear, speed), cancellationToken);
    }
}
