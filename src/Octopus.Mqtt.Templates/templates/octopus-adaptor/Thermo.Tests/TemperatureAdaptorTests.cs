using Microsoft.Extensions.DependencyInjection;
using Octopus.Mqtt;

namespace Thermo.Tests;

/// <summary>
/// The adaptor with Octopus.Mqtt as the host registers it (<c>AddOctopusMqtt()</c>), but the in-memory fake in place
/// of a broker (<c>AddFakeOctopusMqtt()</c>): the tests assert on what reached the fake broker.
/// </summary>
public sealed class TemperatureAdaptorTests : IAsyncDisposable
{
    private static readonly DeviceIdentity Device = new("default", "living-room-sensor", "5f2b7c1e-8d4a-4e6b-9c3f-1a2b3c4d5e6f");

    private readonly ServiceProvider _services;
    private readonly TemperatureAdaptor _adaptor;

    public TemperatureAdaptorTests()
    {
        var services = new ServiceCollection();
        services.AddOctopusMqtt();
        services.AddFakeOctopusMqtt();
        services.AddSingleton<TemperatureAdaptor>();
        _services = services.BuildServiceProvider();
        _adaptor = _services.GetRequiredService<TemperatureAdaptor>();
    }

    public ValueTask DisposeAsync() => _services.DisposeAsync();

    [Fact]
    public async Task PublishAsync_Configured_PublishesTheStatusToTheDeviceLinksTopic()
    {
        await _adaptor.ConfigureAsync(Device, Options(), CancellationToken.None);

        var result = await _adaptor.PublishAsync(new TemperatureStatus(21.5, "celsius"), CancellationToken.None);

        Assert.Equal(MqttPublishResult.Delivered, result);
        var message = _services.GetFakeMqttBroker().Published.LatestRecord;
        Assert.Equal("cattle.io/octopus/default/living-room-sensor", message.Topic);
        Assert.Equal("""{"temperature":21.5,"unit":"celsius"}""", message.PayloadText);
        Assert.Equal(MqttQos.AtLeastOnce, message.Qos);
        Assert.True(message.Retained);
    }

    [Fact]
    public async Task PublishAsync_ConnectionLost_DeliversTheStatusAfterTheReconnect()
    {
        await _adaptor.ConfigureAsync(Device, Options(), CancellationToken.None);
        var client = _services.GetFakeMqttDeviceClientFactory().GetClient(Device);
        client.SimulateDisconnect();

        var result = await _adaptor.PublishAsync(new TemperatureStatus(22, "celsius"), CancellationToken.None);
        Assert.Equal(MqttPublishResult.Queued, result);
        Assert.Equal(0, _services.GetFakeMqttBroker().Published.Count);

        await client.SimulateReconnectAsync();

        Assert.Equal("""{"temperature":22,"unit":"celsius"}""", _services.GetFakeMqttBroker().Published.LatestRecord.PayloadText);
    }

    [Fact]
    public async Task PublishAsync_MqttExtensionRemoved_PublishesNothing()
    {
        await _adaptor.ConfigureAsync(Device, Options(), CancellationToken.None);
        await _adaptor.ConfigureAsync(Device, options: null, CancellationToken.None);

        var result = await _adaptor.PublishAsync(new TemperatureStatus(21.5, "celsius"), CancellationToken.None);

        Assert.Null(result);
        Assert.Equal(0, _services.GetFakeMqttBroker().Published.Count);
    }

    private static MqttOptions Options() => new()
    {
        Client = { Server = "tcp://127.0.0.1:1883" },
        Message = { Topic = "cattle.io/octopus/:namespace/:name" },
    };
}
