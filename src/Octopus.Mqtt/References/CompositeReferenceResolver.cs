namespace Octopus.Mqtt;

/// <summary>
/// Asks several resolvers in order: the first that finds a non-empty value wins. A resolver that throws stops the
/// lookup and its exception is passed on, so a failing store is never mistaken for "not found".
/// </summary>
/// <remarks>
/// <code>
/// // Mounted Secrets first, then configuration (for local runs).
/// var references = new CompositeReferenceResolver(
///     new DirectoryReferenceResolver("/etc/octopus/references"),
///     new ConfigurationReferenceResolver(configuration.GetSection("Octopus:References")));
/// </code>
/// </remarks>
public sealed class CompositeReferenceResolver : IReferenceResolver
{
    private readonly IReferenceResolver[] _resolvers;

    /// <summary>Initializes a new instance of the <see cref="CompositeReferenceResolver"/> class.</summary>
    /// <param name="resolvers">The resolvers, asked in this order.</param>
    public CompositeReferenceResolver(params IEnumerable<IReferenceResolver> resolvers)
    {
        ArgumentNullException.ThrowIfNull(resolvers);
        _resolvers = [.. resolvers];
        for (var i = 0; i < _resolvers.Length; i++)
        {
            if (_resolvers[i] is null)
            {
                throw new ArgumentException($"The resolver at index {i} is null.", nameof(resolvers));
            }
        }
    }

    /// <inheritdoc />
    public async ValueTask<byte[]?> ResolveAsync(string name, string item, CancellationToken cancellationToken = default)
    {
        foreach (var resolver in _resolvers)
        {
            var value = await resolver.ResolveAsync(name, item, cancellationToken).ConfigureAwait(false);
            if (value is { Length: > 0 })
            {
                return value;
            }
        }

        return null;
    }
}
