using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Octopus.Mqtt.Tests.Lifecycle;

namespace Octopus.Mqtt.Tests.DependencyInjection;

public sealed partial class OctopusMqttServiceCollectionExtensionsTests
{
    private static readonly DeviceIdentity Fan = LifecycleOptions.Fan;

    [Fact]
    public async Task AddOctopusMqtt_Bare_RegistersTheFactoryTheLinksAndTheHostedService()
    {
        var services = new ServiceCollection();

        var builder = services.AddOctopusMqtt();

        builder.Services.Should().BeSameAs(services);
        builder.Name.Should().BeNull();
        await using var provider = services.BuildServiceProvider();
        provider.GetRequiredService<IMqttDeviceClientFactory>().Should().BeOfType<ServiceReferencesClientFactory>()
            .Which.Inner.Should().BeOfType<MqttDeviceClientFactory>();
        provider.GetRequiredService<IMqttDeviceLinks>().Should().BeOfType<MqttDeviceLinkManager>();
        provider.GetServices<IHostedService>().Should().ContainSingle().Which.GetType().Name.Should().Be("MqttDevicesHostedService");
        provider.GetService<IReferenceResolver>().Should().BeNull();
    }

    [Fact]
    public void AddOctopusMqtt_CalledAgain_AddsNothing()
    {
        var section = Configuration(Valid("tcp://broker:1883"));
        var once = new ServiceCollection();
        once.AddOctopusMqtt(section);
        once.AddOctopusMqtt("fan", Fan, section);
        var twice = new ServiceCollection();
        twice.AddOctopusMqtt(section);
        twice.AddOctopusMqtt("fan", Fan, section);

        twice.AddOctopusMqtt(section);
        twice.AddOctopusMqtt("fan", Fan, section);
        twice.AddOctopusMqtt();

        twice.Select(Describe).Should().Equal(once.Select(Describe));
    }

    [Fact]
    public async Task AddOctopusMqtt_FactoryRegisteredBefore_KeepsIt()
    {
        var services = new ServiceCollection();
        var mine = new StubClientFactory();
        services.AddSingleton<IMqttDeviceClientFactory>(mine);

        services.AddOctopusMqtt();

        await using var provider = services.BuildServiceProvider();
        provider.GetRequiredService<IMqttDeviceClientFactory>().Should().BeSameAs(mine);
        await provider.GetRequiredService<IMqttDeviceLinks>().ConfigureAsync(Fan, LifecycleOptions.Create(), null, TestContext.Current.CancellationToken);
        mine.Created.Should().ContainSingle();
    }

    [Fact]
    public async Task AddOctopusMqtt_FactoryReplacedAfter_UsesTheReplacement()
    {
        var services = new ServiceCollection();
        services.AddOctopusMqtt();
        var fake = new StubClientFactory();

        services.Replace(ServiceDescriptor.Singleton<IMqttDeviceClientFactory>(fake));

        await using var provider = services.BuildServiceProvider();
        await provider.GetRequiredService<IMqttDeviceLinks>().ConfigureAsync(Fan, LifecycleOptions.Create(), null, TestContext.Current.CancellationToken);
        fake.Created.Should().ContainSingle();
    }

    [Fact]
    public async Task AddOctopusMqtt_Section_ReadsTheOptionsWithTheDocumentedNames()
    {
        var services = new ServiceCollection();
        services.AddOctopusMqtt(Configuration(new Dictionary<string, string?>
        {
            ["client:server"] = "tcp://broker:1883",
            ["client:keepAlive"] = "15s",
            ["message:topic"] = "cattle.io/octopus/:namespace/:name",
            ["message:will:content"] = "b2ZmbGluZQ",
        }));

        await using var provider = services.BuildServiceProvider();
        var options = provider.GetRequiredService<IOptions<MqttOptions>>().Value;

        options.Client.Server.Should().Be("tcp://broker:1883");
        options.Client.KeepAlive.Should().Be(GoDuration.FromSeconds(15));
        options.Message.Will!.Content.Should().Equal("offline"u8.ToArray());
    }

    [Fact]
    public async Task AddOctopusMqtt_Delegate_SetsTheOptions()
    {
        var services = new ServiceCollection();
        services.AddOctopusMqtt(o =>
        {
            o.Client.Server = "tcp://broker:1883";
            o.Message.Topic = "devices/:name";
        });

        await using var provider = services.BuildServiceProvider();
        provider.GetRequiredService<IStartupValidator>().Validate();

        provider.GetRequiredService<IOptions<MqttOptions>>().Value.Message.Topic.Should().Be("devices/:name");
    }

    [Fact]
    public async Task ValidateOnStart_InvalidSection_FailsWithEveryProblem()
    {
        var services = new ServiceCollection();
        services.AddOctopusMqtt(Configuration(new Dictionary<string, string?>
        {
            ["client:server"] = "ftp://broker",
            ["client:keepAlive"] = "-1s",
            ["message:topic"] = "devices/:name/",
        }));
        await using var provider = services.BuildServiceProvider();

        var validate = () => provider.GetRequiredService<IStartupValidator>().Validate();

        validate.Should().Throw<OptionsValidationException>().Which.Failures.Should().Equal(
            "client.server: \"ftp://broker\" has the unknown scheme \"ftp\"; expected tcp, ssl, tls, tcps, ws, wss or unix",
            "client.keepAlive: \"-1s\" is negative; allowed: 0s or more",
            "message.topic: \"devices/:name/\" ends with \"/\"; allowed: a topic template without a trailing \"/\"");
    }

    [Fact]
    public async Task ValidateOnStart_UnknownKeyInTheSection_FailsNamingTheClosestField()
    {
        var section = Valid("tcp://broker:1883");
        section["client:keepAlvie"] = "10s";
        var services = new ServiceCollection();
        services.AddOctopusMqtt(Configuration(section));
        await using var provider = services.BuildServiceProvider();

        var validate = () => provider.GetRequiredService<IStartupValidator>().Validate();

        validate.Should().Throw<OptionsValidationException>().Which.Failures.Should().Equal(
            "client.keepAlvie is not a known field; did you mean keepAlive?");
    }

    [Fact]
    public async Task ValidateOnStart_TwoNamedDevicesInvalid_ReportsBothByName()
    {
        var services = new ServiceCollection();
        services.AddOctopusMqtt("fan", Fan, o => o.Message.Topic = "devices/:name");
        services.AddOctopusMqtt("lamp", LifecycleOptions.Lamp, o => o.Client.Server = "tcp://broker:1883");
        await using var provider = services.BuildServiceProvider();

        var validate = () => provider.GetRequiredService<IStartupValidator>().Validate();

        var failures = validate.Should().Throw<AggregateException>().Which.InnerExceptions.Cast<OptionsValidationException>()
            .SelectMany(e => e.Failures);
        failures.Should().BeEquivalentTo(
            "MQTT device \"fan\": client.server: is required; expected scheme://host:port with scheme tcp, ssl, tls, tcps, ws, wss or unix",
            "MQTT device \"lamp\": message.topic: is required; e.g. cattle.io/octopus/:namespace/:name");
    }

    [Fact]
    public async Task ValidateOnStart_Host_StopsTheStartWithTheProblems()
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Mqtt:client:server"] = "tcp://broker:1883",
            ["Mqtt:message:topic"] = "devices/:name",
            ["Mqtt:message:qos"] = "3",
        });
        builder.Services.AddOctopusMqtt(builder.Configuration.GetSection("Mqtt"));
        using var host = builder.Build();

        var start = () => host.StartAsync(TestContext.Current.CancellationToken);

        (await start.Should().ThrowAsync<OptionsValidationException>()).Which.Message.Should().Be("message.qos: 3 is not a QoS; allowed: 0, 1, 2");
    }

    [Fact]
    public async Task ValidateOnStart_OptionsNotRegisteredByAddOctopusMqtt_AreNotValidated()
    {
        var services = new ServiceCollection();
        services.AddOctopusMqtt("fan", Fan, Configuration(Valid("tcp://broker:1883")));
        services.AddOptions<MqttOptions>("someone else's").ValidateOnStart();
        await using var provider = services.BuildServiceProvider();

        provider.GetRequiredService<IStartupValidator>().Validate();

        provider.GetRequiredService<IOptionsMonitor<MqttOptions>>().Get("someone else's").Client.Server.Should().BeEmpty();
    }

    [Fact]
    public async Task AddOctopusMqtt_Named_ResolvesTheDevicesKeyedClient()
    {
        var services = new ServiceCollection();
        services.AddSingleton<IMqttDeviceClientFactory>(new StubClientFactory());
        services.AddOctopusMqtt("fan", Fan, Configuration(Valid("tcp://broker:1883")));
        await using var provider = services.BuildServiceProvider();

        var client = provider.GetRequiredKeyedService<IMqttDeviceClient>("fan");

        client.Device.Should().Be(Fan);
        client.State.Should().Be(MqttConnectionState.Disconnected);
        client.ClientId.Should().Be("octopus-9e8efcb04b7945e7a4c43349562292e3");
        var publish = async () => await client.PublishAsync("x"u8.ToArray(), TestContext.Current.CancellationToken);
        (await publish.Should().ThrowAsync<InvalidOperationException>()).Which.Message.Should().Be(
            "The MQTT device \"fan\" (default/fan) has no client yet: it is created when the host starts, or by ConnectAsync.");
    }

    [Fact]
    public async Task AddOctopusMqtt_Named_HostedServiceStartsAndStopsTheDevice()
    {
        var factory = new StubClientFactory();
        var services = new ServiceCollection();
        services.AddSingleton<IMqttDeviceClientFactory>(factory);
        services.AddOctopusMqtt("fan", Fan, Configuration(Valid("tcp://broker:1883")));
        await using var provider = services.BuildServiceProvider();
        var client = provider.GetRequiredKeyedService<IMqttDeviceClient>("fan");
        var states = new List<MqttConnectionState>();
        client.StateChanged += (_, e) => states.Add(e.State);
        var hosted = provider.GetServices<IHostedService>().Single();

        await hosted.StartAsync(TestContext.Current.CancellationToken);

        client.State.Should().Be(MqttConnectionState.Connected);
        states.Should().Equal(MqttConnectionState.Connecting, MqttConnectionState.Connected);
        factory.Created.Should().ContainSingle().Which.Options.Client.Server.Should().Be("tcp://broker:1883");

        await hosted.StopAsync(TestContext.Current.CancellationToken);

        factory.Created[0].Disposed.Should().BeTrue();
        states.Should().EndWith(MqttConnectionState.Disposed);
        provider.GetRequiredService<IMqttDeviceLinks>().GetStatus().Should().BeEmpty();
    }

    [Fact]
    public void AddOctopusMqtt_NameTakenByAnotherDevice_Throws()
    {
        var services = new ServiceCollection();
        services.AddOctopusMqtt("fan", Fan, _ => { });

        var add = () => services.AddOctopusMqtt("fan", LifecycleOptions.Lamp, _ => { });

        add.Should().Throw<ArgumentException>().WithMessage(
            "The MQTT device name \"fan\" is already registered for default/fan (UID 9e8efcb0-4b79-45e7-a4c4-3349562292e3); one name stands for one device.*")
            .And.ParamName.Should().Be("name");
    }

    [Fact]
    public void AddOctopusMqtt_InvalidArguments_Throw()
    {
        var services = new ServiceCollection();
        var section = Configuration(Valid("tcp://broker:1883"));

        ((Action)(() => ((IServiceCollection)null!).AddOctopusMqtt())).Should().Throw<ArgumentNullException>().WithParameterName("services");
        ((Action)(() => services.AddOctopusMqtt((IConfiguration)null!))).Should().Throw<ArgumentNullException>().WithParameterName("section");
        ((Action)(() => services.AddOctopusMqtt((Action<MqttOptions>)null!))).Should().Throw<ArgumentNullException>().WithParameterName("configure");
        ((Action)(() => services.AddOctopusMqtt("", Fan, section))).Should().Throw<ArgumentException>().WithParameterName("name");
        ((Action)(() => services.AddOctopusMqtt(null!, Fan, section))).Should().Throw<ArgumentNullException>().WithParameterName("name");
        ((Action)(() => services.AddOctopusMqtt("fan", null!, section))).Should().Throw<ArgumentNullException>().WithParameterName("device");
        ((Action)(() => services.AddOctopusMqtt("fan", Fan, (IConfiguration)null!))).Should().Throw<ArgumentNullException>().WithParameterName("section");
        ((Action)(() => services.AddOctopusMqtt("fan", Fan, (Action<MqttOptions>)null!))).Should().Throw<ArgumentNullException>().WithParameterName("configure");
        var builder = services.AddOctopusMqtt();
        ((Action)(() => builder.AddReferenceResolver((IReferenceResolver)null!))).Should().Throw<ArgumentNullException>().WithParameterName("resolver");
        ((Action)(() => builder.AddDirectoryReferences(""))).Should().Throw<ArgumentException>().WithParameterName("rootPath");
        ((Action)(() => builder.ConfigureClient(null!))).Should().Throw<ArgumentNullException>().WithParameterName("configure");
    }

    private static string Describe(ServiceDescriptor descriptor) =>
        $"{descriptor.ServiceType.Name} {descriptor.ServiceKey} {descriptor.Lifetime} {(descriptor.IsKeyedService ? null : descriptor.ImplementationType?.Name ?? descriptor.ImplementationInstance?.GetType().Name)}";

    private static Dictionary<string, string?> Valid(string server) => new()
    {
        ["client:server"] = server,
        ["message:topic"] = "cattle.io/octopus/:namespace/:name",
    };

    private static IConfiguration Configuration(Dictionary<string, string?> values) =>
        new ConfigurationBuilder().AddInMemoryCollection(values).Build();
}
