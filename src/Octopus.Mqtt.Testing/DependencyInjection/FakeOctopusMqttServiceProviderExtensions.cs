using Octopus.Mqtt.Testing;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Gets the fakes that <see cref="FakeOctopusMqttServiceCollectionExtensions.AddFakeOctopusMqtt"/> registered.</summary>
public static class FakeOctopusMqttServiceProviderExtensions
{
    /// <summary>Gets the fake broker: what every device published, the retained messages, and a way to send commands.</summary>
    /// <param name="services">The service provider.</param>
    /// <returns>The broker.</returns>
    /// <exception cref="InvalidOperationException"><c>AddFakeOctopusMqtt()</c> was not called.</exception>
    public static FakeMqttBroker GetFakeMqttBroker(this IServiceProvider services)
    {
        ArgumentNullException.ThrowIfNull(services);
        return services.GetService<FakeMqttBroker>() ?? throw NotRegistered(nameof(FakeMqttBroker));
    }

    /// <summary>Gets the fake client factory: the clients the adaptor created, by device.</summary>
    /// <param name="services">The service provider.</param>
    /// <returns>The factory.</returns>
    /// <exception cref="InvalidOperationException"><c>AddFakeOctopusMqtt()</c> was not called.</exception>
    public static FakeMqttDeviceClientFactory GetFakeMqttDeviceClientFactory(this IServiceProvider services)
    {
        ArgumentNullException.ThrowIfNull(services);
        return services.GetService<FakeMqttDeviceClientFactory>() ?? throw NotRegistered(nameof(FakeMqttDeviceClientFactory));
    }

    private static InvalidOperationException NotRegistered(string type) =>
        new($"No {type} is registered: call services.AddFakeOctopusMqtt() before building the service provider.");
}
