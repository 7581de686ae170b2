using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Octopus.Mqtt.Tests.Lifecycle;

namespace Octopus.Mqtt.Tests.DependencyInjection;

public sealed class OctopusMqttBuilderTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task AddReferenceResolver_Unnamed_IsTheReferenceResolverServiceAskedInOrder()
    {
        var first = new InMemoryReferenceResolver();
        first.Add("secret", "password", "from first");
        var second = new InMemoryReferenceResolver();
        second.Add("secret", "password", "from second");
        second.Add("secret", "username", "only in second");
        var services = new ServiceCollection();

        services.AddOctopusMqtt().AddReferenceResolver(first).AddReferenceResolver(_ => second);

        await using var provider = services.BuildServiceProvider();
        var resolver = provider.GetRequiredService<IReferenceResolver>();
        (await resolver.ResolveAsync("secret", "password", Token)).Should().Equal("from first"u8.ToArray());
        (await resolver.ResolveAsync("secret", "username", Token)).Should().Equal("only in second"u8.ToArray());
    }

    [Fact]
    public async Task AddReferenceResolver_Named_ServesThatDeviceBeforeTheSharedOnes()
    {
        var shared = new InMemoryReferenceResolver();
        shared.Add("mqtt-secret", "password", "shared");
        var own = new InMemoryReferenceResolver();
        own.Add("mqtt-secret", "password", "own");
        var factory = new StubClientFactory();
        var services = new ServiceCollection();
        services.AddSingleton<IMqttDeviceClientFactory>(factory);
        services.AddOctopusMqtt().AddReferenceResolver(shared);

        var builder = services.AddOctopusMqtt("fan", LifecycleOptions.Fan, o =>
        {
            o.Client.Server = "tcp://broker:1883";
            o.Message.Topic = "devices/:name";
        }).AddReferenceResolver(own);

        builder.Name.Should().Be("fan");
        await using var provider = services.BuildServiceProvider();
        await provider.GetRequiredKeyedService<IMqttDeviceClient>("fan").ConnectAsync(Token);
        var references = factory.Created.Should().ContainSingle().Subject.References!;
        (await references.ResolveAsync("mqtt-secret", "password", Token)).Should().Equal("own"u8.ToArray());
        (await provider.GetRequiredService<IReferenceResolver>().ResolveAsync("mqtt-secret", "password", Token)).Should().Equal("shared"u8.ToArray());
    }

    [Fact]
    public async Task AddDirectoryReferences_ReadsMountedFiles()
    {
        var root = Directory.CreateTempSubdirectory("octopus-mqtt-di-");
        try
        {
            Directory.CreateDirectory(Path.Join(root.FullName, "mqtt-secret"));
            await File.WriteAllTextAsync(Path.Join(root.FullName, "mqtt-secret", "password"), "mounted", Token);
            var services = new ServiceCollection();

            services.AddOctopusMqtt().AddDirectoryReferences(root.FullName);

            await using var provider = services.BuildServiceProvider();
            (await provider.GetRequiredService<IReferenceResolver>().ResolveAsync("mqtt-secret", "password", Token)).Should().Equal("mounted"u8.ToArray());
        }
        finally
        {
            root.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task AddConfigurationReferences_ReadsTheSection()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["References:mqtt-secret:password"] = "configured",
        }).Build();
        var services = new ServiceCollection();

        services.AddOctopusMqtt().AddConfigurationReferences(configuration.GetSection("References"));

        await using var provider = services.BuildServiceProvider();
        (await provider.GetRequiredService<IReferenceResolver>().ResolveAsync("mqtt-secret", "password", Token)).Should().Equal("configured"u8.ToArray());
    }

    [Fact]
    public async Task ConfigureClient_SetsTheClientOptions()
    {
        var services = new ServiceCollection();

        services.AddOctopusMqtt().ConfigureClient(o => o.QueueOverflowPolicy = MqttQueueOverflowPolicy.Refuse);

        await using var provider = services.BuildServiceProvider();
        provider.GetRequiredService<IOptions<MqttDeviceClientOptions>>().Value.QueueOverflowPolicy.Should().Be(MqttQueueOverflowPolicy.Refuse);
    }

    [Fact]
    public async Task AddOctopusMqtt_SectionWithTheDocumentationsMisspelling_LogsAWarningAtStart()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["client:server"] = "tcp://broker:1883",
            ["client:connectionTime"] = "10s",
            ["message:topic"] = "devices/:name",
        }).Build();
        var services = new ServiceCollection();
        services.AddFakeLogging();
        services.AddOctopusMqtt(configuration);
        await using var provider = services.BuildServiceProvider();

        provider.GetRequiredService<IStartupValidator>().Validate();

        provider.GetRequiredService<IOptions<MqttOptions>>().Value.Client.ConnectTimeout.Should().Be(GoDuration.FromSeconds(10));
        provider.GetFakeLogCollector().GetSnapshot().Should().ContainSingle(r => r.Id.Id == 1433)
            .Which.Message.Should().Be("MQTT options (default): client.connectionTime is a misspelling of connectTimeout (as in the Octopus documentation); read as connectTimeout");
    }
}
