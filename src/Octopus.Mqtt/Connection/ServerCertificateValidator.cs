using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using MQTTnet;

namespace Octopus.Mqtt;

/// <summary>
/// Decides whether the broker's TLS certificate is accepted, the same way over TCP and over WebSocket (MQTTnet's own
/// trust-chain option reaches only TCP): with a CA bundle the chain must end at one of those CAs, without one at the
/// system trust store; the certificate must be valid for <c>client.tlsConfig.serverName</c> or else the host of
/// <c>client.server</c>; revocation is not checked (as in Go). With <c>insecureSkipVerify</c> everything is accepted.
/// </summary>
/// <remarks>
/// A refusal throws an <see cref="AuthenticationException"/> that says why, which MQTTnet passes on as the inner
/// exception of the connect failure (a validation callback that only returns <see langword="false"/> leaves the
/// caller with "the remote certificate was rejected").
/// </remarks>
internal sealed class ServerCertificateValidator
{
    private static readonly Oid ServerAuthentication = new("1.3.6.1.5.5.7.3.1");

    private readonly string _expectedName;
    private readonly bool _nameFromOptions;
    private readonly X509Certificate2Collection? _trustedCertificates;
    private readonly bool _insecureSkipVerify;

    /// <summary>Initializes a new instance of the <see cref="ServerCertificateValidator"/> class.</summary>
    /// <param name="address">The broker address; its host is the expected name when <paramref name="credentials"/> has no server name.</param>
    /// <param name="credentials">The CA bundle, the server name and insecureSkipVerify.</param>
    public ServerCertificateValidator(ServerAddress address, MqttCredentials credentials)
    {
        _nameFromOptions = !string.IsNullOrEmpty(credentials.ServerName);
        _expectedName = _nameFromOptions ? credentials.ServerName! : address.Host;
        _trustedCertificates = credentials.CaCertificates is { Count: > 0 } ? credentials.CaCertificates : null;
        _insecureSkipVerify = credentials.InsecureSkipVerify;
    }

    /// <summary>Gets the name the broker's certificate must be valid for.</summary>
    public string ExpectedName => _expectedName;

    /// <summary>The MQTTnet validation handler.</summary>
    /// <param name="eventArgs">The certificate, the chain built by the platform and its policy errors.</param>
    /// <returns><see langword="true"/> when the certificate is accepted.</returns>
    /// <exception cref="AuthenticationException">The certificate is refused; the message says why.</exception>
    public bool Validate(MqttClientCertificateValidationEventArgs eventArgs) =>
        Validate(eventArgs.Certificate, eventArgs.Chain, eventArgs.SslPolicyErrors);

    /// <summary>Validates the broker's certificate.</summary>
    /// <param name="certificate">The broker's certificate, if it sent one.</param>
    /// <param name="chain">The chain the platform built (its extra store holds the intermediates the broker sent).</param>
    /// <param name="errors">The platform's verdict against the system trust store.</param>
    /// <returns><see langword="true"/> when the certificate is accepted.</returns>
    /// <exception cref="AuthenticationException">The certificate is refused; the message says why.</exception>
    public bool Validate(X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors)
    {
        if (_insecureSkipVerify)
        {
            return true;
        }

        if (certificate is null)
        {
            throw new AuthenticationException("TLS: the broker presented no certificate");
        }

        using var leaf = certificate as X509Certificate2 is null ? X509CertificateLoader.LoadCertificate(certificate.GetRawCertData()) : null;
        var serverCertificate = leaf ?? (X509Certificate2)certificate;

        if (!serverCertificate.MatchesHostname(_expectedName))
        {
            var source = _nameFromOptions ? "client.tlsConfig.serverName" : "the host of client.server";
            throw new AuthenticationException(
                $"TLS: the broker's certificate \"{serverCertificate.Subject}\" is not valid for the name \"{_expectedName}\" ({source}); it is valid for {DescribeNames(serverCertificate)}");
        }

        if (_trustedCertificates is null)
        {
            if ((errors & (SslPolicyErrors.RemoteCertificateChainErrors | SslPolicyErrors.RemoteCertificateNotAvailable)) != 0)
            {
                throw new AuthenticationException(
                    DescribeFailure(chain, serverCertificate, "is not trusted by the system trust store") + "; set client.tlsConfig.caFilePEM to the CA that issued it");
            }

            return true;
        }

        using var customChain = new X509Chain();
        customChain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        customChain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        customChain.ChainPolicy.CustomTrustStore.AddRange(_trustedCertificates);
        customChain.ChainPolicy.ExtraStore.AddRange(_trustedCertificates);
        customChain.ChainPolicy.ApplicationPolicy.Add(ServerAuthentication);
        if (chain is not null)
        {
            customChain.ChainPolicy.ExtraStore.AddRange(chain.ChainPolicy.ExtraStore);
            foreach (var element in chain.ChainElements)
            {
                customChain.ChainPolicy.ExtraStore.Add(element.Certificate);
            }
        }

        if (!customChain.Build(serverCertificate) && !EndsAtTrustedIntermediate(customChain))
        {
            throw new AuthenticationException(DescribeFailure(customChain, serverCertificate, "is not issued by a CA in client.tlsConfig.caFilePEM"));
        }

        return true;
    }

    /// <summary>
    /// Go accepts a chain that reaches any certificate of the CA bundle (an intermediate, or the broker's certificate
    /// itself); .NET anchors only at a self-signed one. Accept a chain whose elements, up to the first one that is in
    /// the bundle, have no fault other than the missing root.
    /// </summary>
    private bool EndsAtTrustedIntermediate(X509Chain chain)
    {
        const X509ChainStatusFlags MissingRoot = X509ChainStatusFlags.PartialChain | X509ChainStatusFlags.UntrustedRoot;
        for (var i = 0; i < chain.ChainElements.Count; i++)
        {
            var element = chain.ChainElements[i];
            foreach (var status in element.ChainElementStatus)
            {
                if ((status.Status & ~MissingRoot) != 0)
                {
                    return false;
                }
            }

            if (IsInBundle(element.Certificate))
            {
                return true;
            }
        }

        return false;
    }

    private bool IsInBundle(X509Certificate2 certificate)
    {
        foreach (var trusted in _trustedCertificates!)
        {
            if (trusted.RawDataMemory.Span.SequenceEqual(certificate.RawDataMemory.Span))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// Says why a chain failed: the CA it ends at when no trusted CA was reached (the same whether or not the
    /// platform found that CA), and any other fault by its <see cref="X509ChainStatusFlags"/> names.
    /// </summary>
    private static string DescribeFailure(X509Chain? chain, X509Certificate2 certificate, string untrusted)
    {
        const X509ChainStatusFlags MissingRoot = X509ChainStatusFlags.PartialChain | X509ChainStatusFlags.UntrustedRoot;
        var flags = X509ChainStatusFlags.NoError;
        foreach (var status in chain?.ChainStatus ?? [])
        {
            flags |= status.Status;
        }

        var top = chain is { ChainElements.Count: > 0 } ? chain.ChainElements[^1].Certificate : certificate;
        var reasons = new List<string>();
        if ((flags & MissingRoot) != 0 || flags == X509ChainStatusFlags.NoError)
        {
            reasons.Add($"{untrusted} (its chain ends at \"{top.Issuer}\")");
        }

        if ((flags & ~MissingRoot) != 0)
        {
            reasons.Add($"fails validation ({flags & ~MissingRoot})");
        }

        return $"TLS: the broker's certificate \"{certificate.Subject}\" {string.Join(" and ", reasons)}";
    }

    private static string DescribeNames(X509Certificate2 certificate)
    {
        var names = new List<string>();
        foreach (var extension in certificate.Extensions)
        {
            if (extension.Oid?.Value == "2.5.29.17")
            {
                var san = extension as X509SubjectAlternativeNameExtension ?? new X509SubjectAlternativeNameExtension(extension.RawData, extension.Critical);
                foreach (var name in san.EnumerateDnsNames())
                {
                    AddOnce(names, name);
                }

                foreach (var ip in san.EnumerateIPAddresses())
                {
                    AddOnce(names, ip.ToString());
                }
            }
        }

        return names.Count == 0 ? $"no subject alternative name (subject \"{certificate.Subject}\")" : string.Join(", ", names);
    }

    private static void AddOnce(List<string> names, string name)
    {
        if (!names.Contains(name, StringComparer.OrdinalIgnoreCase))
        {
            names.Add(name);
        }
    }
}
