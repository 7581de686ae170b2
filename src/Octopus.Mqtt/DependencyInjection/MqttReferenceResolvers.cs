using System.Collections.Concurrent;

namespace Octopus.Mqtt;

/// <summary>
/// The reference resolvers of the registrations: a named device asks its own resolvers first, then those added for
/// all; each resolver is created once.
/// </summary>
internal sealed class MqttReferenceResolvers(IServiceProvider services, IEnumerable<MqttReferenceRegistration> registrations)
{
    private readonly MqttReferenceRegistration[] _registrations = [.. registrations];
    private readonly ConcurrentDictionary<MqttReferenceRegistration, IReferenceResolver> _created = new();
    private readonly ConcurrentDictionary<string, IReferenceResolver?> _byName = new(StringComparer.Ordinal);

    /// <summary>Gets the resolver of the named device, or of all devices for the empty name.</summary>
    /// <param name="name">The device name, or empty.</param>
    /// <returns>The resolver, or <see langword="null"/> when none was added.</returns>
    public IReferenceResolver? Get(string name) => _byName.GetOrAdd(name, Build);

    private IReferenceResolver? Build(string name)
    {
        var resolvers = new List<IReferenceResolver>();
        if (!string.IsNullOrEmpty(name))
        {
            AddAll(resolvers, name);
        }

        AddAll(resolvers, string.Empty);
        return resolvers.Count switch
        {
            0 => null,
            1 => resolvers[0],
            _ => new CompositeReferenceResolver(resolvers),
        };
    }

    private void AddAll(List<IReferenceResolver> resolvers, string name)
    {
        foreach (var registration in _registrations)
        {
            if (registration.Name == name)
            {
                resolvers.Add(_created.GetOrAdd(registration, r => r.Factory(services)
                    ?? throw new InvalidOperationException("A reference resolver factory given to AddReferenceResolver returned null.")));
            }
        }
    }
}
