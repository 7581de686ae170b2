using System.Security.Cryptography;

namespace Octopus.Mqtt;

/// <summary>
/// What the references used by a device's options resolve to, kept as SHA-256 digests (never the secrets themselves),
/// so that a rotated password or certificate counts as a change even when the options are the same.
/// </summary>
/// <remarks>Only the references that are read count: a <c>*Ref</c> whose literal is set is ignored, as the client ignores it.</remarks>
internal sealed class ReferenceFingerprint : IEquatable<ReferenceFingerprint>
{
    private readonly List<(string Name, string Item, byte[]? Digest)> _entries;

    private ReferenceFingerprint(List<(string Name, string Item, byte[]? Digest)> entries) => _entries = entries;

    /// <summary>Resolves the references the options use and digests their values.</summary>
    /// <param name="options">The options.</param>
    /// <param name="references">The resolver, or <see langword="null"/> when the host has none.</param>
    /// <param name="cancellationToken">Cancels the reads.</param>
    /// <returns>The fingerprint; a reference that is not found counts as such (the connect reports it).</returns>
    /// <exception cref="MqttCredentialsException">
    /// A reference is used while no resolver is configured, or its store failed (a missing reference directory, say).
    /// </exception>
    public static async Task<ReferenceFingerprint> ComputeAsync(MqttOptions options, IReferenceResolver? references, CancellationToken cancellationToken)
    {
        var entries = new List<(string Name, string Item, byte[]? Digest)>();
        foreach (var (path, reference) in GetUsedReferences(options))
        {
            byte[]? digest = null;
            if (!string.IsNullOrEmpty(reference.Name) && !string.IsNullOrEmpty(reference.Item))
            {
                var value = await SecretReader.ReadReferenceAsync(path, reference.Name, reference.Item, references, cancellationToken).ConfigureAwait(false);
                if (value is not null)
                {
                    digest = SHA256.HashData(value);
                    CryptographicOperations.ZeroMemory(value);
                }
            }

            entries.Add((reference.Name ?? string.Empty, reference.Item ?? string.Empty, digest));
        }

        return new ReferenceFingerprint(entries);
    }

    public bool Equals(ReferenceFingerprint? other)
    {
        if (other is null || other._entries.Count != _entries.Count)
        {
            return false;
        }

        for (var i = 0; i < _entries.Count; i++)
        {
            var (name, item, digest) = _entries[i];
            var (otherName, otherItem, otherDigest) = other._entries[i];
            if (name != otherName || item != otherItem || !(digest ?? []).AsSpan().SequenceEqual(otherDigest ?? []) || (digest is null) != (otherDigest is null))
            {
                return false;
            }
        }

        return true;
    }

    public override bool Equals(object? obj) => Equals(obj as ReferenceFingerprint);

    public override int GetHashCode() => _entries.Count;

    private static IEnumerable<(string Path, DeviceLinkReference Reference)> GetUsedReferences(MqttOptions options)
    {
        if (options.Client?.BasicAuth is { } auth)
        {
            if (Used(auth.Username, auth.UsernameRef) is { } username)
            {
                yield return ("client.basicAuth.usernameRef", username);
            }

            if (Used(auth.Password, auth.PasswordRef) is { } password)
            {
                yield return ("client.basicAuth.passwordRef", password);
            }
        }

        if (options.Client?.TlsConfig is { } tls)
        {
            if (Used(tls.CaFilePEM, tls.CaFilePEMRef) is { } ca)
            {
                yield return ("client.tlsConfig.caFilePEMRef", ca);
            }

            if (Used(tls.CertFilePEM, tls.CertFilePEMRef) is { } certificate)
            {
                yield return ("client.tlsConfig.certFilePEMRef", certificate);
            }

            if (Used(tls.KeyFilePEM, tls.KeyFilePEMRef) is { } key)
            {
                yield return ("client.tlsConfig.keyFilePEMRef", key);
            }
        }
    }

    private static DeviceLinkReference? Used(string? literal, DeviceLinkReference? reference) =>
        string.IsNullOrEmpty(literal) ? reference : null;
}
