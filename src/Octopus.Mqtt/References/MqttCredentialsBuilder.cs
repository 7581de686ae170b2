using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Octopus.Mqtt;

/// <summary>
/// Resolves <c>client.basicAuth</c> and <c>client.tlsConfig</c> into <see cref="MqttCredentials"/>, reading the
/// references through an <see cref="IReferenceResolver"/>. Called before every connect and reconnect, so a rotated
/// secret takes effect without rebuilding the client.
/// </summary>
internal static class MqttCredentialsBuilder
{
    private const string BasicAuth = "client.basicAuth";
    private const string TlsConfig = "client.tlsConfig";

    /// <summary>Builds the credentials of <paramref name="client"/>.</summary>
    /// <param name="client">The client options.</param>
    /// <param name="references">The DeviceLink's references, or <see langword="null"/> when the host has none.</param>
    /// <param name="cancellationToken">Cancels the reads.</param>
    /// <returns>The credentials; the caller owns (and disposes) their certificates.</returns>
    /// <exception cref="MqttCredentialsException">A value is blank, a reference is not found, a store failed, or the TLS material is unusable.</exception>
    public static async ValueTask<MqttCredentials> BuildAsync(MqttClientSettings client, IReferenceResolver? references, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(client);

        string? username = null;
        byte[]? password = null;
        if (client.BasicAuth is { } auth)
        {
            using (var value = await ReadRequiredAsync(auth.Username, auth.UsernameRef, $"{BasicAuth}.username", references, cancellationToken).ConfigureAwait(false))
            {
                username = value.ToStrictString();
            }

            using (var value = await ReadRequiredAsync(auth.Password, auth.PasswordRef, $"{BasicAuth}.password", references, cancellationToken).ConfigureAwait(false))
            {
                password = value.DetachBytes();
            }
        }

        if (client.TlsConfig is not { } tls)
        {
            return new MqttCredentials(username, password, null, null, null, false);
        }

        X509Certificate2Collection? ca = null;
        try
        {
            ca = await ReadCaAsync(tls, references, cancellationToken).ConfigureAwait(false);
            var (certificate, chain) = await ReadClientCertificateAsync(tls, references, cancellationToken).ConfigureAwait(false);
            return new MqttCredentials(
                username,
                password,
                ca,
                certificate,
                string.IsNullOrEmpty(tls.ServerName) ? null : tls.ServerName,
                tls.InsecureSkipVerify)
            {
                ClientCertificateChain = chain,
            };
        }
        catch
        {
            foreach (var certificate in ca ?? [])
            {
                certificate.Dispose();
            }

            CryptographicOperations.ZeroMemory(password);
            throw;
        }
    }

    private static async ValueTask<SecretValue> ReadRequiredAsync(
        string? literal, DeviceLinkReference? reference, string path, IReferenceResolver? references, CancellationToken cancellationToken)
    {
        var value = await SecretReader.ReadAsync(literal, reference, path, references, cancellationToken).ConfigureAwait(false);
        if (value is null)
        {
            var field = path[(path.LastIndexOf('.') + 1)..];
            throw new MqttCredentialsException(path, null, null, $"{path}: is blank and no {field}Ref is set; basic auth needs a non-empty username and password", null);
        }

        return value;
    }

    private static async ValueTask<X509Certificate2Collection?> ReadCaAsync(MqttTlsSettings tls, IReferenceResolver? references, CancellationToken cancellationToken)
    {
        using var ca = await SecretReader.ReadAsync(tls.CaFilePEM, tls.CaFilePEMRef, $"{TlsConfig}.caFilePEM", references, cancellationToken).ConfigureAwait(false);
        return ca is null ? null : CaBundleReader.Read(ca);
    }

    private static async ValueTask<(X509Certificate2? Certificate, X509Certificate2Collection? Chain)> ReadClientCertificateAsync(
        MqttTlsSettings tls, IReferenceResolver? references, CancellationToken cancellationToken)
    {
        using var certificate = await SecretReader.ReadAsync(tls.CertFilePEM, tls.CertFilePEMRef, $"{TlsConfig}.certFilePEM", references, cancellationToken).ConfigureAwait(false);
        using var key = await SecretReader.ReadAsync(tls.KeyFilePEM, tls.KeyFilePEMRef, $"{TlsConfig}.keyFilePEM", references, cancellationToken).ConfigureAwait(false);
        return (certificate, key) switch
        {
            (null, null) => (null, null),
            (not null, null) => throw new MqttCredentialsException(
                $"{TlsConfig}.keyFilePEM",
                null,
                null,
                $"{TlsConfig}.keyFilePEM: is blank and no keyFilePEMRef is set, but {certificate.Source} gives a client certificate; a client certificate needs its private key",
                null),
            (null, not null) => throw new MqttCredentialsException(
                $"{TlsConfig}.certFilePEM",
                null,
                null,
                $"{TlsConfig}.certFilePEM: is blank and no certFilePEMRef is set, but {key.Source} gives a private key; a private key needs its client certificate",
                null),
            _ => ClientCertificateReader.Read(certificate, key),
        };
    }
}
