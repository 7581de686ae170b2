using System.Security.Cryptography.X509Certificates;

namespace Octopus.Mqtt.IntegrationTests.Brokers;

/// <summary>What a <see cref="MosquittoBroker"/> listens on and whom it lets in. Every listener is on 127.0.0.1.</summary>
public sealed class MosquittoOptions
{
    /// <summary>Gets a value indicating whether there is a plain TCP listener.</summary>
    public bool Tcp { get; init; } = true;

    /// <summary>Gets the TLS listener's settings, or <see langword="null"/> for no TLS listener.</summary>
    public MosquittoTlsOptions? Tls { get; init; }

    /// <summary>Gets a value indicating whether there is a Unix socket listener (<c>listener 0 /path</c>).</summary>
    public bool UnixSocket { get; init; }

    /// <summary>Gets the users and passwords of the password file; when set, anonymous clients are refused.</summary>
    public IReadOnlyDictionary<string, string>? Users { get; init; }

    /// <summary>Gets extra lines appended to the generated configuration (after the listeners: per-listener options apply to the last one).</summary>
    public IReadOnlyList<string> ExtraConfiguration { get; init; } = [];
}

/// <summary>The TLS listener of a <see cref="MosquittoBroker"/>.</summary>
public sealed class MosquittoTlsOptions
{
    /// <summary>Gets the broker certificate, with its private key.</summary>
    /// <value>The default value is <see cref="TestCertificates.Server"/>.</value>
    public X509Certificate2 ServerCertificate { get; init; } = TestCertificates.Shared.Server;

    /// <summary>Gets the CA that client certificates must chain to.</summary>
    /// <value>The default value is <see cref="TestCertificates.Ca"/>.</value>
    public X509Certificate2 ClientCa { get; init; } = TestCertificates.Shared.Ca;

    /// <summary>Gets a value indicating whether clients must present a certificate issued by <see cref="ClientCa"/>.</summary>
    public bool RequireClientCertificate { get; init; }
}
