using System.Diagnostics.Metrics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Octopus.Mqtt;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers Octopus.Mqtt: the device client factory, the device links and, optionally, validated options and fixed devices.</summary>
/// <remarks>
/// <para>
/// Every overload registers, if not registered yet (so a service registered before wins, and calling twice is
/// harmless): <see cref="IMqttDeviceClientFactory"/> (a <see cref="MqttDeviceClientFactory"/> on the host's
/// <see cref="ILoggerFactory"/>, <see cref="TimeProvider"/> and <see cref="IMeterFactory"/> when registered),
/// <see cref="IMqttDeviceLinks"/> (a <see cref="MqttDeviceLinkManager"/>), and a hosted service that starts the named
/// devices with the host and disconnects every device gracefully within the host's shutdown timeout.
/// </para>
/// <para>
/// Options given by a configuration section are read with <see cref="MqttOptionsConfiguration"/> (unknown keys are
/// errors, the documentation's misspellings are read with a warning); options are validated with every rule of
/// <see cref="MqttOptionsValidator"/> when the host starts (<c>ValidateOnStart</c>), so bad MQTT settings stop the host
/// with an <see cref="OptionsValidationException"/> that lists every problem. Warnings are logged then.
/// </para>
/// </remarks>
public static class OctopusMqttServiceCollectionExtensions
{
    /// <summary>Registers the client factory and the device links; each device's options are given at run time (<see cref="IMqttDeviceLinks.ConfigureAsync"/>).</summary>
    /// <param name="services">The services.</param>
    /// <returns>A builder to add reference resolvers and client behaviour.</returns>
    public static OctopusMqttBuilder AddOctopusMqtt(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        return AddOctopusMqttCore(services, name: null);
    }

    /// <summary>Registers Octopus.Mqtt with host-wide options (<see cref="IOptions{TOptions}"/> of <see cref="MqttOptions"/>) read from a configuration section.</summary>
    /// <param name="services">The services.</param>
    /// <param name="section">The section holding <c>client</c> and <c>message</c>, named as in the Octopus documentation.</param>
    /// <returns>A builder to add reference resolvers and client behaviour.</returns>
    public static OctopusMqttBuilder AddOctopusMqtt(this IServiceCollection services, IConfiguration section)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(section);
        AddOptions(services, Options.Options.DefaultName, section, configure: null);
        return AddOctopusMqttCore(services, name: null);
    }

    /// <summary>Registers Octopus.Mqtt with host-wide options (<see cref="IOptions{TOptions}"/> of <see cref="MqttOptions"/>) set by a delegate.</summary>
    /// <param name="services">The services.</param>
    /// <param name="configure">Sets the options.</param>
    /// <returns>A builder to add reference resolvers and client behaviour.</returns>
    public static OctopusMqttBuilder AddOctopusMqtt(this IServiceCollection services, Action<MqttOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configure);
        AddOptions(services, Options.Options.DefaultName, section: null, configure);
        return AddOctopusMqttCore(services, name: null);
    }

    /// <summary>
    /// Registers a device with fixed options read from a configuration section: the host connects it at start, and its
    /// client is the keyed service <c>[FromKeyedServices(name)] IMqttDeviceClient</c>.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="name">The registration's name: the options name and the service key.</param>
    /// <param name="device">The device's identity: namespace, name and UID.</param>
    /// <param name="section">The section holding <c>client</c> and <c>message</c>.</param>
    /// <returns>A builder to add the device's reference resolvers and client behaviour.</returns>
    /// <exception cref="ArgumentException"><paramref name="name"/> is empty, or already stands for another device.</exception>
    public static OctopusMqttBuilder AddOctopusMqtt(this IServiceCollection services, string name, DeviceIdentity device, IConfiguration section)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(device);
        ArgumentNullException.ThrowIfNull(section);
        AddDevice(services, name, device);
        AddOptions(services, name, section, configure: null);
        return AddOctopusMqttCore(services, name);
    }

    /// <summary>
    /// Registers a device with fixed options set by a delegate: the host connects it at start, and its client is the
    /// keyed service <c>[FromKeyedServices(name)] IMqttDeviceClient</c>.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="name">The registration's name: the options name and the service key.</param>
    /// <param name="device">The device's identity: namespace, name and UID.</param>
    /// <param name="configure">Sets the options.</param>
    /// <returns>A builder to add the device's reference resolvers and client behaviour.</returns>
    /// <exception cref="ArgumentException"><paramref name="name"/> is empty, or already stands for another device.</exception>
    public static OctopusMqttBuilder AddOctopusMqtt(this IServiceCollection services, string name, DeviceIdentity device, Action<MqttOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(device);
        ArgumentNullException.ThrowIfNull(configure);
        AddDevice(services, name, device);
        AddOptions(services, name, section: null, configure);
        return AddOctopusMqttCore(services, name);
    }

    private static OctopusMqttBuilder AddOctopusMqttCore(IServiceCollection services, string? name)
    {
        services.AddOptions();
        services.TryAddTransient<IOptionsFactory<MqttDeviceClientOptions>, HostedClientOptionsFactory>();
        services.TryAddSingleton<IMqttDeviceClientFactory>(sp => new ServiceReferencesClientFactory(
            new MqttDeviceClientFactory(
                sp.GetRequiredService<IOptions<MqttDeviceClientOptions>>().Value,
                sp.GetService<ILoggerFactory>(),
                sp.GetService<TimeProvider>(),
                sp.GetService<IMeterFactory>()),
            sp.GetService<IReferenceResolver>()));
        services.TryAddSingleton<IMqttDeviceLinks>(sp => new MqttDeviceLinkManager(
            sp.GetRequiredService<IMqttDeviceClientFactory>(),
            sp.GetService<ILoggerFactory>(),
            sp.GetService<TimeProvider>())
        {
            DefaultReferences = sp.GetService<IReferenceResolver>(),
        });
        services.TryAddSingleton<MqttReferenceResolvers>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, MqttDevicesHostedService>());
        return new OctopusMqttBuilder(services, name);
    }

    private static void AddOptions(IServiceCollection services, string name, IConfiguration? section, Action<MqttOptions>? configure)
    {
        // A delegate adds to the options each call, as Configure does; a section is bound once however often it is given.
        if (configure is not null)
        {
            services.Configure(name, configure);
        }

        foreach (var descriptor in services)
        {
            if (!descriptor.IsKeyedService
                && descriptor.ImplementationInstance is MqttOptionsRegistration registered
                && registered.Name == name
                && ReferenceEquals(registered.Section, section))
            {
                return;
            }
        }

        services.TryAddEnumerable(ServiceDescriptor.Singleton<IConfigureOptions<MqttOptions>, MqttOptionsSetup>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<MqttOptions>, MqttOptionsStartupValidator>());
        services.AddSingleton(new MqttOptionsRegistration(name, section));
        services.AddOptions<MqttOptions>(name).ValidateOnStart();
    }

    private static void AddDevice(IServiceCollection services, string name, DeviceIdentity device)
    {
        foreach (var descriptor in services)
        {
            if (!descriptor.IsKeyedService && descriptor.ImplementationInstance is MqttDeviceRegistration registered && registered.Name == name)
            {
                if (registered.Device != device)
                {
                    throw new ArgumentException(
                        $"The MQTT device name \"{name}\" is already registered for {registered.Device.Namespace}/{registered.Device.Name} (UID {registered.Device.Uid}); one name stands for one device.",
                        nameof(name));
                }

                return;
            }
        }

        services.AddSingleton(new MqttDeviceRegistration(name, device));
        services.TryAddKeyedSingleton<IMqttDeviceClient>(name, (sp, _) => new MqttNamedDeviceClient(
            name,
            device,
            sp.GetRequiredService<IMqttDeviceLinks>(),
            sp.GetRequiredService<IOptionsMonitor<MqttOptions>>(),
            sp.GetRequiredService<MqttReferenceResolvers>().Get(name)));
    }
}
