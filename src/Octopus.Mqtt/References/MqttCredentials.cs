using System.Security.Cryptography.X509Certificates;

namespace Octopus.Mqtt;

/// <summary>
/// What a connection needs from the options and the references, resolved: the username and password, and the TLS
/// material. Built again before every (re)connect so that a rotated secret takes effect.
/// </summary>
/// <param name="Username">The username, or <see langword="null"/> without basic auth.</param>
/// <param name="Password">The password's UTF-8 bytes, or <see langword="null"/> without basic auth.</param>
/// <param name="CaCertificates">The CA bundle that validates the broker, or <see langword="null"/> for the system trust store.</param>
/// <param name="ClientCertificate">The client certificate with its private key, or <see langword="null"/>.</param>
/// <param name="ServerName">The TLS server name (SNI and name check), or <see langword="null"/> for the URI's host.</param>
/// <param name="InsecureSkipVerify">Whether the broker's certificate is accepted without validation.</param>
internal sealed record MqttCredentials(
    string? Username,
    byte[]? Password,
    X509Certificate2Collection? CaCertificates,
    X509Certificate2? ClientCertificate,
    string? ServerName,
    bool InsecureSkipVerify)
{
    /// <summary>
    /// Gets the intermediate certificates that followed the client certificate in its PEM (leaf first), to be sent
    /// with it in the TLS handshake, or <see langword="null"/> when there were none.
    /// </summary>
    public X509Certificate2Collection? ClientCertificateChain { get; init; }

    /// <summary>No credentials and no TLS material.</summary>
    public static MqttCredentials None { get; } = new(null, null, null, null, null, false);

    /// <summary>Never prints the password.</summary>
    public override string ToString() =>
        $"username={Username ?? "(none)"}, password={(Password is null ? "(none)" : "***")}, ca={CaCertificates?.Count ?? 0} certificate(s), clientCertificate={ClientCertificate?.Subject ?? "(none)"}, chain={ClientCertificateChain?.Count ?? 0} certificate(s), serverName={ServerName ?? "(uri host)"}, insecureSkipVerify={InsecureSkipVerify}";
}
