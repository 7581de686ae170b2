using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Octopus.Mqtt.Testing;

namespace Octopus.Mqtt.Samples.DummyFan.Tests.Adaptor;

/// <summary>
/// How an adaptor author unit-tests an adaptor: the adaptor's own services, Octopus.Mqtt with the in-memory fake in
/// place of a broker (<c>AddFakeOctopusMqtt()</c>), and a fake clock for the device.
/// </summary>
public sealed class FanAdaptorTests : IAsyncDisposable
{
    private const string Topic = "cattle.io/octopus/default/living-room-fan";
    private static readonly TimeSpan Arrival = TimeSpan.FromSeconds(10);
    private static readonly string ShippedDeviceLink = Path.Combine(AppContext.BaseDirectory, "devicelink.yaml");

    private readonly FakeTimeProvider _time = new();
    private readonly ServiceProvider _services;
    private readonly FanAdaptor _adaptor;
    private readonly FakeMqttBroker _broker;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _publishing;

    public FanAdaptorTests()
    {
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(_time);
        services.AddLogging();
        services.AddOctopusMqtt();
        services.AddFakeOctopusMqtt();
        services.AddSingleton<DummyFan>();
        services.AddSingleton<FanAdaptor>();
        _services = services.BuildServiceProvider();

        _adaptor = _services.GetRequiredService<FanAdaptor>();
        _broker = _services.GetFakeMqttBroker();
        _publishing = _adaptor.PublishStatusChangesAsync(_stop.Token);
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _publishing.ContinueWith(_ => { }, TaskScheduler.Default);
        await _services.DisposeAsync();
        _stop.Dispose();
    }

    [Fact]
    public async Task ReconcileAsync_FirstDeviceLink_PublishesTheStatusToTheDeviceLinksTopic()
    {
        await _adaptor.ReconcileAsync(LivingRoomFan(), TestContext.Current.CancellationToken);

        var first = (await _broker.Published.WaitForCountAsync(1, Arrival)).Single();
        first.Topic.Should().Be(Topic);
        first.PayloadText.Should().Be("""{"gear":"slow","rotatingSpeed":0}""");
        first.Qos.Should().Be(MqttQos.AtLeastOnce);
        first.Retained.Should().BeTrue();
        first.ClientId.Should().Be("octopus-9e8efcb04b7945e7a4c43349562292e3");

        _time.Advance(TimeSpan.FromSeconds(3));

        // At least once: if the cut came before the first status's acknowledgement, that status is sent again first.
        var queued = await _broker.Published.WaitForMessageAsync(m => m.PayloadText == """{"gear":"slow","rotatingSpeed":1}""", Arrival);
        queued.Topic.Should().Be(_broker.Published.GetSnapshot()[0].Topic);
        _broker.GetRetainedMessage(Topic)!.PayloadText.Should().Be("""{"gear":"slow","rotatingSpeed":1}""");
    }

    [Fact]
    public async Task ReconcileAsync_SameDeviceLinkAgain_KeepsTheClientAndPublishesNothing()
    {
        await _adaptor.ReconcileAsync(LivingRoomFan(), TestContext.Current.CancellationToken);
        await _broker.Published.WaitForCountAsync(1, Arrival);
        var client = _adaptor.Client;

        await _adaptor.ReconcileAsync(LivingRoomFan(), TestContext.Current.CancellationToken);

        _adaptor.Client.Should().BeSameAs(client);
        _services.GetFakeMqttDeviceClientFactory().GetClients().Should().ContainSingle();
        _broker.Published.Count.Should().Be(1);
    }

    [Fact]
    public async Task ReconcileAsync_GearChanged_KeepsTheClientAndPublishesTheJump()
    {
        await _adaptor.ReconcileAsync(LivingRoomFan(), TestContext.Current.CancellationToken);
        await _broker.Published.WaitForCountAsync(1, Arrival);
        var client = _adaptor.Client;

        await _adaptor.ReconcileAsync(LivingRoomFan() with { Spec = new FanSpec(FanGear.Fast, On: true, "living_room") }, TestContext.Current.CancellationToken);

        (await _broker.Published.WaitForCountAsync(2, Arrival))[1].PayloadText.Should().Be("""{"gear":"fast","rotatingSpeed":200}""");
        _adaptor.Client.Should().BeSameAs(client);
    }

    [Fact]
    public async Task ReconcileAsync_MqttOptionsChanged_ReplacesTheClient()
    {
        await _adaptor.ReconcileAsync(LivingRoomFan(), TestContext.Current.CancellationToken);
        await _broker.Published.WaitForCountAsync(1, Arrival);
        var first = _adaptor.Client;

        await _adaptor.ReconcileAsync(LivingRoomFan(server: "tcp://broker.example:1883"), TestContext.Current.CancellationToken);
        _time.Advance(TimeSpan.FromSeconds(3));

        // At least once: if the cut came before the first status's acknowledgement, that status is sent again first.
        var queued = await _broker.Published.WaitForMessageAsync(m => m.PayloadText == """{"gear":"slow","rotatingSpeed":1}""", Arrival);
        queued.Topic.Should().Be(_broker.Published.GetSnapshot()[0].Topic);
        _adaptor.Client.Should().NotBeSameAs(first);
        first!.State.Should().Be(MqttConnectionState.Disposed);
    }

    [Fact]
    public async Task ReconcileAsync_MqttExtensionRemoved_ClosesTheClientAndPublishesNoMore()
    {
        await _adaptor.ReconcileAsync(LivingRoomFan(), TestContext.Current.CancellationToken);
        await _broker.Published.WaitForCountAsync(1, Arrival);
        var client = _adaptor.Client;

        await _adaptor.ReconcileAsync(LivingRoomFan() with { Mqtt = null }, TestContext.Current.CancellationToken);
        _time.Advance(TimeSpan.FromSeconds(30));

        client!.State.Should().Be(MqttConnectionState.Disposed);
        _adaptor.Client.Should().BeNull();
        _broker.Published.Count.Should().Be(1);
    }

    [Fact]
    public async Task PublishStatusChangesAsync_ConnectionLost_DeliversTheQueuedStatusAfterTheReconnect()
    {
        await _adaptor.ReconcileAsync(LivingRoomFan(), TestContext.Current.CancellationToken);
        await _broker.Published.WaitForCountAsync(1, Arrival);
        var client = _services.GetFakeMqttDeviceClientFactory().GetClients().Single();

        await client.SimulateConnectionLossAsync();

        // The fan arms its next 3-second step on its own task: the clock moves a second at a time until that step's
        // status is queued, so a step armed a little late is not skipped.
        await WaitUntilAsync(() =>
        {
            if (client.QueuedCount == 0)
            {
                _time.Advance(TimeSpan.FromSeconds(1));
            }

            return client.QueuedCount >= 1;
        });
        _broker.Published.Count.Should().Be(1);

        await client.SimulateReconnectAsync();

        // At least once: if the cut came before the first status's acknowledgement, that status is sent again first.
        var queued = await _broker.Published.WaitForMessageAsync(m => m.PayloadText == """{"gear":"slow","rotatingSpeed":1}""", Arrival);
        queued.Topic.Should().Be(_broker.Published.GetSnapshot()[0].Topic);
    }

    private static FanDeviceLink LivingRoomFan(string? server = null) => FanDeviceLinkReader.Read(ShippedDeviceLink, server);

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        using var deadline = new CancellationTokenSource(Arrival);
        while (!condition())
        {
            await Task.Delay(10, deadline.Token);
        }
    }
}
