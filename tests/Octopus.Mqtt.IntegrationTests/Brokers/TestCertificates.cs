using System.Security.Cryptography.X509Certificates;
using Octopus.Mqtt.Tests.Shared;

namespace Octopus.Mqtt.IntegrationTests.Brokers;

/// <summary>
/// Two unrelated CAs, each with a broker certificate (for localhost, 127.0.0.1 and <see cref="ExtraServerName"/>) and a
/// client certificate. Made once per test run with <see cref="TestPki"/> (ECDSA, so it is quick) and never disposed,
/// so tests may share <see cref="Shared"/>.
/// </summary>
public sealed class TestCertificates
{
    /// <summary>A DNS name the broker certificates hold besides localhost, for serverName tests.</summary>
    public const string ExtraServerName = "broker.octopus.test";

    private static readonly Lazy<TestCertificates> LazyShared = new(() => new TestCertificates());

    private TestCertificates()
    {
        Ca = TestPki.CreateRoot("Octopus Test CA", TestKeyKind.Ecdsa);
        Server = TestPki.IssueServer(Ca, "localhost", TestKeyKind.Ecdsa, ExtraServerName);
        Client = TestPki.IssueClient(Ca, "octopus-test-client", TestKeyKind.Ecdsa);
        OtherCa = TestPki.CreateRoot("Unrelated Test CA", TestKeyKind.Ecdsa);
        OtherServer = TestPki.IssueServer(OtherCa, "localhost", TestKeyKind.Ecdsa, ExtraServerName);
        OtherClient = TestPki.IssueClient(OtherCa, "unrelated-test-client", TestKeyKind.Ecdsa);
    }

    /// <summary>Gets the certificates shared by all tests.</summary>
    public static TestCertificates Shared => LazyShared.Value;

    /// <summary>Gets the CA that issued <see cref="Server"/> and <see cref="Client"/>.</summary>
    public X509Certificate2 Ca { get; }

    /// <summary>Gets a broker certificate issued by <see cref="Ca"/>.</summary>
    public X509Certificate2 Server { get; }

    /// <summary>Gets a client certificate issued by <see cref="Ca"/>.</summary>
    public X509Certificate2 Client { get; }

    /// <summary>Gets a CA unrelated to <see cref="Ca"/>.</summary>
    public X509Certificate2 OtherCa { get; }

    /// <summary>Gets a broker certificate issued by <see cref="OtherCa"/>.</summary>
    public X509Certificate2 OtherServer { get; }

    /// <summary>Gets a client certificate issued by <see cref="OtherCa"/>.</summary>
    public X509Certificate2 OtherClient { get; }

    /// <summary>Gets a collection holding a copy of <paramref name="ca"/> without its key, as a resolved CA bundle holds it.</summary>
    /// <param name="ca">The CA.</param>
    /// <returns>The bundle.</returns>
    public static X509Certificate2Collection Bundle(X509Certificate2 ca) => [X509CertificateLoader.LoadCertificate(ca.RawData)];
}
