using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Time.Testing;
using Octopus.Mqtt.Testing;
using static Octopus.Mqtt.Tests.Testing.FakeSetup;

namespace Octopus.Mqtt.Tests.Testing;

public sealed class FakeOctopusMqttServiceCollectionExtensionsTests
{
    private sealed class RealFactoryStandIn : IMqttDeviceClientFactory
    {
        public IMqttDeviceClient Create(DeviceIdentity device, MqttOptions options, IReferenceResolver? references = null) =>
            throw new InvalidOperationException("the real factory must not be used");
    }

    [Fact]
    public void AddFakeOctopusMqtt_Alone_TheFactoryIsTheFake()
    {
        using var provider = new ServiceCollection().AddFakeOctopusMqtt().BuildServiceProvider();

        var factory = provider.GetRequiredService<IMqttDeviceClientFactory>();

        factory.Should().BeSameAs(provider.GetFakeMqttDeviceClientFactory());
        provider.GetFakeMqttDeviceClientFactory().Broker.Should().BeSameAs(provider.GetFakeMqttBroker());
    }

    [Fact]
    public void AddFakeOctopusMqtt_AfterTheRealFactory_ReplacesIt()
    {
        var services = new ServiceCollection();
        services.AddSingleton<IMqttDeviceClientFactory, RealFactoryStandIn>();
        services.AddSingleton<IMqttDeviceClientFactory, RealFactoryStandIn>();

        services.AddFakeOctopusMqtt();

        services.Where(d => d.ServiceType == typeof(IMqttDeviceClientFactory)).Should().ContainSingle();
        using var provider = services.BuildServiceProvider();
        provider.GetRequiredService<IMqttDeviceClientFactory>().Should().BeOfType<FakeMqttDeviceClientFactory>();
    }

    [Fact]
    public void AddFakeOctopusMqtt_BeforeATryAddOfTheRealFactory_Stays()
    {
        var services = new ServiceCollection();

        services.AddFakeOctopusMqtt();
        services.TryAddSingleton<IMqttDeviceClientFactory, RealFactoryStandIn>();

        using var provider = services.BuildServiceProvider();
        provider.GetRequiredService<IMqttDeviceClientFactory>().Should().BeOfType<FakeMqttDeviceClientFactory>();
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task AddFakeOctopusMqtt_WithAddOctopusMqtt_TheDeviceLinksUseTheFake(bool fakeFirst)
    {
        var services = new ServiceCollection();
        if (fakeFirst)
        {
            services.AddFakeOctopusMqtt();
        }

        services.AddOctopusMqtt().ConfigureClient(o => o.QueueOverflowPolicy = MqttQueueOverflowPolicy.DropNewest);
        if (!fakeFirst)
        {
            services.AddFakeOctopusMqtt();
        }

        await using var provider = services.BuildServiceProvider();
        var client = await provider.GetRequiredService<IMqttDeviceLinks>().ConfigureAsync(Fan, CreateOptions(), cancellationToken: Ct);
        await client!.PublishAsync("on", Ct);

        var factory = provider.GetFakeMqttDeviceClientFactory();
        factory.GetClient(Fan).State.Should().Be(MqttConnectionState.Connected);
        factory.ClientOptions.QueueOverflowPolicy.Should().Be(MqttQueueOverflowPolicy.DropNewest);
        provider.GetFakeMqttBroker().Published.LatestRecord.PayloadText.Should().Be("\"on\"");
    }

    [Fact]
    public void AddFakeOctopusMqtt_Twice_RegistersOnce()
    {
        var services = new ServiceCollection();

        services.AddFakeOctopusMqtt().AddFakeOctopusMqtt();

        services.Should().HaveCount(3);
        using var provider = services.BuildServiceProvider();
        provider.GetRequiredService<IMqttDeviceClientFactory>().Should().BeSameAs(provider.GetFakeMqttDeviceClientFactory());
    }

    [Fact]
    public async Task AddFakeOctopusMqtt_TimeProviderAndClientOptions_TakenFromTheContainer()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2024, 1, 2, 3, 4, 5, TimeSpan.Zero));
        var services = new ServiceCollection().AddSingleton<TimeProvider>(time);
        services.Configure<MqttDeviceClientOptions>(o => o.QueueOverflowPolicy = MqttQueueOverflowPolicy.Refuse);
        await using var provider = services.AddFakeOctopusMqtt().BuildServiceProvider();

        await using var client = provider.GetRequiredService<IMqttDeviceClientFactory>().Create(Fan, CreateOptions());
        await client.ConnectAsync(Ct);
        await client.PublishAsync("x", Ct);

        provider.GetFakeMqttBroker().Published.LatestRecord.Timestamp.Should().Be(time.GetUtcNow());
        provider.GetFakeMqttDeviceClientFactory().ClientOptions.QueueOverflowPolicy.Should().Be(MqttQueueOverflowPolicy.Refuse);
    }

    [Fact]
    public void GetFakeMqttBroker_NotRegistered_Throws()
    {
        using var provider = new ServiceCollection().BuildServiceProvider();

        provider.Invoking(p => p.GetFakeMqttBroker()).Should().Throw<InvalidOperationException>()
            .WithMessage("No FakeMqttBroker is registered: call services.AddFakeOctopusMqtt() before building the service provider.");
        provider.Invoking(p => p.GetFakeMqttDeviceClientFactory()).Should().Throw<InvalidOperationException>()
            .WithMessage("No FakeMqttDeviceClientFactory is registered: call services.AddFakeOctopusMqtt() before building the service provider.");
    }
}
