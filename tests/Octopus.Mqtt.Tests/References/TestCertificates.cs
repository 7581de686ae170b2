using System.Security.Cryptography.X509Certificates;
using Octopus.Mqtt.Tests.Shared;

namespace Octopus.Mqtt.Tests.References;

/// <summary>One small PKI for the reference tests, made once: a root, an intermediate and leaves issued by it.</summary>
internal static class TestCertificates
{
    /// <summary>The self-signed root CA (RSA).</summary>
    public static readonly X509Certificate2 Root = TestPki.CreateRoot("Octopus Test Root");

    /// <summary>An intermediate CA issued by <see cref="Root"/> (EC).</summary>
    public static readonly X509Certificate2 Intermediate = TestPki.IssueIntermediate(Root, "Octopus Test Intermediate", TestKeyKind.Ecdsa);

    /// <summary>A server certificate for localhost, issued by <see cref="Intermediate"/>.</summary>
    public static readonly X509Certificate2 Server = TestPki.IssueServer(Intermediate);

    /// <summary>A client certificate with an RSA key, issued by <see cref="Intermediate"/>.</summary>
    public static readonly X509Certificate2 ClientRsa = TestPki.IssueClient(Intermediate, "octopus-client-rsa");

    /// <summary>A client certificate with an EC key, issued by <see cref="Intermediate"/>.</summary>
    public static readonly X509Certificate2 ClientEc = TestPki.IssueClient(Intermediate, "octopus-client-ec", TestKeyKind.Ecdsa);

    /// <summary>Another RSA client, whose key does not match <see cref="ClientRsa"/>.</summary>
    public static readonly X509Certificate2 OtherRsa = TestPki.IssueClient(Intermediate, "octopus-other-rsa");

    /// <summary>Another EC client, whose key does not match <see cref="ClientEc"/>.</summary>
    public static readonly X509Certificate2 OtherEc = TestPki.IssueClient(Intermediate, "octopus-other-ec", TestKeyKind.Ecdsa);

    public static X509Certificate2 ClientWith(TestKeyKind kind) => kind == TestKeyKind.Rsa ? ClientRsa : ClientEc;
}
