using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Octopus.Mqtt;

/// <summary>Continues an <c>AddOctopusMqtt(…)</c> registration: reference resolvers and client behaviour.</summary>
/// <remarks>
/// Resolvers added on the builder of a named device serve that device first; those added on an unnamed builder serve
/// every device and are also registered as the <see cref="IReferenceResolver"/> service, for an adaptor's own
/// <see cref="IMqttDeviceLinks.ConfigureAsync"/> calls.
/// </remarks>
public sealed class OctopusMqttBuilder
{
    internal OctopusMqttBuilder(IServiceCollection services, string? name)
    {
        Services = services;
        Name = name;
    }

    /// <summary>Gets the service collection.</summary>
    public IServiceCollection Services { get; }

    /// <summary>Gets the name of the device this builder registers, or <see langword="null"/> for host-wide registrations.</summary>
    public string? Name { get; }

    /// <summary>Adds a resolver of the options' <c>*Ref</c> fields; resolvers are asked in the order they are added.</summary>
    /// <param name="resolver">The resolver.</param>
    /// <returns>This builder.</returns>
    public OctopusMqttBuilder AddReferenceResolver(IReferenceResolver resolver)
    {
        ArgumentNullException.ThrowIfNull(resolver);
        return AddReferenceResolver(_ => resolver);
    }

    /// <summary>Adds a resolver of the options' <c>*Ref</c> fields, created from the services once.</summary>
    /// <param name="factory">Creates the resolver.</param>
    /// <returns>This builder.</returns>
    public OctopusMqttBuilder AddReferenceResolver(Func<IServiceProvider, IReferenceResolver> factory)
    {
        ArgumentNullException.ThrowIfNull(factory);
        Services.AddSingleton(new MqttReferenceRegistration(Name ?? string.Empty, factory));
        if (Name is null)
        {
            Services.TryAddSingleton<IReferenceResolver>(sp => sp.GetRequiredService<MqttReferenceResolvers>().Get(string.Empty)!);
        }

        return this;
    }

    /// <summary>Adds a <see cref="DirectoryReferenceResolver"/>: references mounted as <c>&lt;rootPath&gt;/&lt;name&gt;/&lt;item&gt;</c>.</summary>
    /// <param name="rootPath">The directory that holds one directory per reference.</param>
    /// <returns>This builder.</returns>
    public OctopusMqttBuilder AddDirectoryReferences(string rootPath)
    {
        ArgumentException.ThrowIfNullOrEmpty(rootPath);
        var resolver = new DirectoryReferenceResolver(rootPath);
        return AddReferenceResolver(resolver);
    }

    /// <summary>Adds a <see cref="ConfigurationReferenceResolver"/>: references as <c>&lt;name&gt;:&lt;item&gt;</c> keys of a configuration section.</summary>
    /// <param name="section">The section holding one subsection per reference.</param>
    /// <returns>This builder.</returns>
    public OctopusMqttBuilder AddConfigurationReferences(IConfiguration section)
    {
        ArgumentNullException.ThrowIfNull(section);
        var resolver = new ConfigurationReferenceResolver(section);
        return AddReferenceResolver(resolver);
    }

    /// <summary>Configures the behaviour of every client the registered <see cref="IMqttDeviceClientFactory"/> creates (all devices share it).</summary>
    /// <param name="configure">Sets queue overflow, first-connect policy, availability payload, JSON options.</param>
    /// <remarks>
    /// Clients made through <c>AddOctopusMqtt()</c> start from defaults meant for a hosted adaptor, which differ from
    /// <c>new MqttDeviceClientOptions()</c>: <see cref="MqttDeviceClientOptions.FirstConnectPolicy"/> is
    /// <see cref="MqttFirstConnectPolicy.RetryInBackground"/> (a broker down at start does not stop the host), and
    /// <see cref="MqttDeviceClientOptions.OnlinePayload"/> is <c>online</c> (published retained to the will topic at every
    /// (re)connect when <c>message.will</c> is set, so the will never stays stale). Set
    /// <c>OnlinePayload = null</c> to turn that off, or other bytes to choose the payload.
    /// </remarks>
    /// <returns>This builder.</returns>
    public OctopusMqttBuilder ConfigureClient(Action<MqttDeviceClientOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        Services.Configure(configure);
        return this;
    }
}
