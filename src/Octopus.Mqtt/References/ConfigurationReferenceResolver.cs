using System.Text;
using Microsoft.Extensions.Configuration;

namespace Octopus.Mqtt;

/// <summary>
/// Resolves references from .NET configuration: the value at <c>&lt;section&gt;:&lt;name&gt;:&lt;item&gt;</c>, as
/// UTF-8 bytes. Any configuration source works (JSON, environment variables, a secret manager), and a reloaded
/// value is read on the next call.
/// </summary>
/// <remarks>
/// <para>
/// A missing key and an empty value are "not found" (<see langword="null"/>). Configuration keys are
/// case-insensitive, unlike Kubernetes names. A name or item that is empty or contains <c>:</c> (the configuration
/// path separator, which would reach another key) is refused with an <see cref="ArgumentException"/>.
/// </para>
/// <code>
/// // appsettings.json: { "Octopus": { "References": { "mqtt-secret": { "username": "admin", "password": "…" } } } }
/// // or the environment: Octopus__References__mqtt-secret__password=…
/// var references = new ConfigurationReferenceResolver(configuration.GetSection("Octopus:References"));
/// </code>
/// </remarks>
public sealed class ConfigurationReferenceResolver : IReferenceResolver
{
    private readonly IConfiguration _section;

    /// <summary>Initializes a new instance of the <see cref="ConfigurationReferenceResolver"/> class.</summary>
    /// <param name="section">The configuration section that holds one section per reference name.</param>
    public ConfigurationReferenceResolver(IConfiguration section)
    {
        ArgumentNullException.ThrowIfNull(section);
        _section = section;
    }

    /// <inheritdoc />
    /// <exception cref="ArgumentException"><paramref name="name"/> or <paramref name="item"/> is empty or contains <c>:</c>.</exception>
    public ValueTask<byte[]?> ResolveAsync(string name, string item, CancellationToken cancellationToken = default)
    {
        ThrowIfNotPlainKey(name, "reference name", nameof(name));
        ThrowIfNotPlainKey(item, "item", nameof(item));
        cancellationToken.ThrowIfCancellationRequested();

        var value = _section.GetSection(name)[item];
        return new ValueTask<byte[]?>(string.IsNullOrEmpty(value) ? null : Encoding.UTF8.GetBytes(value));
    }

    private static void ThrowIfNotPlainKey(string value, string what, string parameterName)
    {
        ArgumentNullException.ThrowIfNull(value, parameterName);
        if (value.Length == 0 || value.Contains(ConfigurationPath.KeyDelimiter, StringComparison.Ordinal))
        {
            throw new ArgumentException(
                $"The {what} \"{value}\" cannot be read from configuration: it must not be empty or contain ':'.",
                parameterName);
        }
    }
}
