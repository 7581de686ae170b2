using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using Octopus.Mqtt.Tests.Lifecycle;
using Octopus.Mqtt.Tests.References;

namespace Octopus.Mqtt.Tests.DependencyInjection;

/// <summary>The registered reference resolver is the default of <see cref="IMqttDeviceLinks"/> and of the registered factory.</summary>
public sealed partial class OctopusMqttServiceCollectionExtensionsTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ConfigureAsync_NoReferencesGiven_ReadsThroughTheRegisteredDirectoryReferences()
    {
        using var root = new TempDirectory();
        Directory.CreateDirectory(Path.Join(root.Path, "mqtt-secret"));
        await File.WriteAllTextAsync(Path.Join(root.Path, "mqtt-secret", "password"), "mounted", Token);
        var factory = new StubClientFactory();
        var services = new ServiceCollection();
        services.AddSingleton<IMqttDeviceClientFactory>(factory);
        services.AddOctopusMqtt().AddDirectoryReferences(root.Path);
        await using var provider = services.BuildServiceProvider();
        var options = LifecycleOptions.WithPasswordRef();

        await provider.GetRequiredService<IMqttDeviceLinks>().ConfigureAsync(Fan, options, cancellationToken: Token);

        var references = factory.Created.Should().ContainSingle().Subject.References;
        var credentials = await MqttCredentialsBuilder.BuildAsync(options.Client, references, Token);
        credentials.Password.Should().Equal("mounted"u8.ToArray());
    }

    [Fact]
    public async Task ConfigureAsync_NoResolverRegisteredAndAPasswordRef_ThrowsNoResolverIsConfigured()
    {
        var factory = new StubClientFactory();
        var services = new ServiceCollection();
        services.AddSingleton<IMqttDeviceClientFactory>(factory);
        services.AddOctopusMqtt();
        await using var provider = services.BuildServiceProvider();

        var configure = () => provider.GetRequiredService<IMqttDeviceLinks>().ConfigureAsync(Fan, LifecycleOptions.WithPasswordRef(), cancellationToken: Token);

        var error = (await configure.Should().ThrowAsync<MqttCredentialsException>()).Which;
        error.Message.Should().Be("client.basicAuth.passwordRef: reference \"mqtt-secret\" item \"password\" cannot be read: no reference resolver is configured");
        error.FieldPath.Should().Be("client.basicAuth.passwordRef");
        factory.Created.Should().BeEmpty();
    }

    [Fact]
    public async Task ConfigureAsync_ReferenceDirectoryMissing_ThrowsCredentialsExceptionNamingTheField()
    {
        using var parent = new TempDirectory();
        var missing = Path.Join(parent.Path, "references");
        var factory = new StubClientFactory();
        var services = new ServiceCollection();
        services.AddSingleton<IMqttDeviceClientFactory>(factory);
        services.AddOctopusMqtt().AddDirectoryReferences(missing);
        await using var provider = services.BuildServiceProvider();

        var configure = () => provider.GetRequiredService<IMqttDeviceLinks>().ConfigureAsync(Fan, LifecycleOptions.WithPasswordRef(), cancellationToken: Token);

        var error = (await configure.Should().ThrowAsync<MqttCredentialsException>()).Which;
        error.Message.Should().Be($"client.basicAuth.passwordRef: reading reference \"mqtt-secret\" item \"password\" failed: The reference directory \"{missing}\" does not exist.");
        error.FieldPath.Should().Be("client.basicAuth.passwordRef");
        error.InnerException.Should().BeOfType<DirectoryNotFoundException>();
        factory.Created.Should().BeEmpty();
    }

    [Fact]
    public async Task Factory_CreateWithoutReferences_ConnectReadsTheRegisteredResolver()
    {
        var recording = new RecordingResolver();
        var services = new ServiceCollection();
        services.AddOctopusMqtt()
            .AddReferenceResolver(recording)
            .ConfigureClient(o => o.FirstConnectPolicy = MqttFirstConnectPolicy.FailFast);
        await using var provider = services.BuildServiceProvider();
        var options = LifecycleOptions.WithPasswordRef($"tcp://127.0.0.1:{ClosedPort()}");
        options.Client.AutoReconnect = false;
        await using var client = provider.GetRequiredService<IMqttDeviceClientFactory>().Create(Fan, options);

        var connect = () => client.ConnectAsync(Token);

        (await connect.Should().ThrowAsync<MqttDeviceClientException>()).Which.InnerException.Should().NotBeOfType<MqttCredentialsException>();
        recording.Asked.Should().Contain("mqtt-secret/password");
    }

    private static int ClosedPort()
    {
        var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        var port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    private sealed class RecordingResolver : IReferenceResolver
    {
        private readonly ConcurrentQueue<string> _asked = new();

        public IReadOnlyCollection<string> Asked => _asked;

        public ValueTask<byte[]?> ResolveAsync(string name, string item, CancellationToken cancellationToken = default)
        {
            _asked.Enqueue($"{name}/{item}");
            return new ValueTask<byte[]?>("secret"u8.ToArray());
        }
    }
}
