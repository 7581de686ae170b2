using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Octopus.Mqtt;
using Octopus.Mqtt.Testing;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Replaces the real MQTT device client factory with the in-memory fake.</summary>
public static class FakeOctopusMqttServiceCollectionExtensions
{
    /// <summary>
    /// Registers a <see cref="FakeMqttBroker"/> and a <see cref="FakeMqttDeviceClientFactory"/> as singletons, and makes
    /// the fake factory the <see cref="IMqttDeviceClientFactory"/>, whether this is called before or after
    /// <c>AddOctopusMqtt()</c>. Get them back with <see cref="FakeOctopusMqttServiceProviderExtensions.GetFakeMqttBroker"/>
    /// and <see cref="FakeOctopusMqttServiceProviderExtensions.GetFakeMqttDeviceClientFactory"/>.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <returns>The services, for chaining.</returns>
    /// <remarks>
    /// The broker's clock is the <see cref="TimeProvider"/> registered in the container, if any (for example a
    /// <c>FakeTimeProvider</c>); the clients' behaviour options are <c>IOptions&lt;MqttDeviceClientOptions&gt;</c>, if
    /// registered. Calling this again changes nothing.
    /// </remarks>
    public static IServiceCollection AddFakeOctopusMqtt(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.TryAddSingleton(provider => new FakeMqttBroker(provider.GetService<TimeProvider>()));
        services.TryAddSingleton(provider => new FakeMqttDeviceClientFactory(
            provider.GetRequiredService<FakeMqttBroker>(),
            provider.GetService<IOptions<MqttDeviceClientOptions>>()?.Value));

        // Replace, not TryAdd: the fake must win over a real factory registered earlier, and AddOctopusMqtt's TryAdd
        // leaves this one in place when it comes later.
        services.RemoveAll<IMqttDeviceClientFactory>();
        services.AddSingleton<IMqttDeviceClientFactory>(provider => provider.GetRequiredService<FakeMqttDeviceClientFactory>());
        return services;
    }
}
