using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Octopus.Mqtt.Tests.Shared;

namespace Octopus.Mqtt.Tests.Connection;

public sealed class ServerCertificateValidatorTests : IDisposable
{
    private readonly X509Certificate2 _root = TestPki.CreateRoot("Validator Root", TestKeyKind.Ecdsa);
    private readonly X509Certificate2 _otherRoot = TestPki.CreateRoot("Other Root", TestKeyKind.Ecdsa);
    private readonly X509Certificate2 _server;

    public ServerCertificateValidatorTests() =>
        _server = TestPki.IssueServer(_root, "localhost", TestKeyKind.Ecdsa, "broker.test");

    public void Dispose()
    {
        _server.Dispose();
        _otherRoot.Dispose();
        _root.Dispose();
    }

    [Theory]
    [InlineData("ssl://localhost:8883", null)]
    [InlineData("ssl://127.0.0.1:8883", null)]
    [InlineData("wss://10.9.9.9", "broker.test")]
    [InlineData("ssl://[::1]", "localhost")]
    public void Validate_CertificateFromBundleCa_Accepts(string server, string? serverName) =>
        Validator(server, Trusting(_root) with { ServerName = serverName })
            .Validate(_server, null, SslPolicyErrors.RemoteCertificateChainErrors | SslPolicyErrors.RemoteCertificateNameMismatch)
            .Should().BeTrue();

    [Fact]
    public void Validate_CertificateFromOtherCa_ThrowsNamingTheCaBundle() =>
        FluentActions.Invoking(() => Validator("ssl://localhost", Trusting(_otherRoot)).Validate(_server, null, SslPolicyErrors.RemoteCertificateChainErrors))
            .Should().Throw<AuthenticationException>()
            .WithMessage("TLS: the broker's certificate \"CN=localhost\" is not issued by a CA in client.tlsConfig.caFilePEM (its chain ends at \"CN=Validator Root\")");

    [Fact]
    public void Validate_ServerNameNotInCertificate_ThrowsNamingServerName() =>
        FluentActions.Invoking(() => Validator("ssl://localhost", Trusting(_root) with { ServerName = "wrong.example" }).Validate(_server, null, SslPolicyErrors.None))
            .Should().Throw<AuthenticationException>()
            .WithMessage("TLS: the broker's certificate \"CN=localhost\" is not valid for the name \"wrong.example\" (client.tlsConfig.serverName); it is valid for localhost, broker.test, 127.0.0.1");

    [Fact]
    public void Validate_HostNotInCertificate_ThrowsNamingServer() =>
        FluentActions.Invoking(() => Validator("ssl://10.0.0.7", Trusting(_root)).Validate(_server, null, SslPolicyErrors.None))
            .Should().Throw<AuthenticationException>()
            .WithMessage("TLS: the broker's certificate \"CN=localhost\" is not valid for the name \"10.0.0.7\" (the host of client.server); it is valid for localhost, broker.test, 127.0.0.1");

    [Fact]
    public void Validate_IntermediateSentByBroker_ChainsToBundleRoot()
    {
        using var intermediate = TestPki.IssueIntermediate(_root, "Validator Intermediate", TestKeyKind.Ecdsa);
        using var leaf = TestPki.IssueServer(intermediate, "localhost", TestKeyKind.Ecdsa);
        using var presented = new X509Chain();
        presented.ChainPolicy.ExtraStore.Add(intermediate);

        Validator("ssl://localhost", Trusting(_root)).Validate(leaf, presented, SslPolicyErrors.RemoteCertificateChainErrors).Should().BeTrue();
    }

    [Fact]
    public void Validate_IntermediateMissing_Throws()
    {
        using var intermediate = TestPki.IssueIntermediate(_root, "Validator Intermediate", TestKeyKind.Ecdsa);
        using var leaf = TestPki.IssueServer(intermediate, "localhost", TestKeyKind.Ecdsa);

        FluentActions.Invoking(() => Validator("ssl://localhost", Trusting(_root)).Validate(leaf, null, SslPolicyErrors.RemoteCertificateChainErrors))
            .Should().Throw<AuthenticationException>()
            .WithMessage("TLS: the broker's certificate \"CN=localhost\" is not issued by a CA in client.tlsConfig.caFilePEM (its chain ends at \"CN=Validator Intermediate\")");
    }

    [Fact]
    public void Validate_BundleHoldsIntermediate_AcceptsLikeGo()
    {
        using var intermediate = TestPki.IssueIntermediate(_root, "Validator Intermediate", TestKeyKind.Ecdsa);
        using var leaf = TestPki.IssueServer(intermediate, "localhost", TestKeyKind.Ecdsa);

        Validator("ssl://localhost", Trusting(intermediate)).Validate(leaf, null, SslPolicyErrors.RemoteCertificateChainErrors).Should().BeTrue();
    }

    [Fact]
    public void Validate_BundleHoldsBrokerCertificateItself_AcceptsLikeGo()
    {
        using var leaf = TestPki.IssueServer(_root, "localhost", TestKeyKind.Ecdsa);

        Validator("ssl://localhost", Trusting(leaf)).Validate(leaf, null, SslPolicyErrors.RemoteCertificateChainErrors).Should().BeTrue();
    }

    [Fact]
    public void Validate_SelfSignedBrokerCertificateInBundle_Accepts()
    {
        using var selfSigned = TestPki.CreateRoot("localhost", TestKeyKind.Ecdsa);

        Validator("ssl://localhost", Trusting(selfSigned)).Validate(selfSigned, null, SslPolicyErrors.RemoteCertificateChainErrors).Should().BeTrue();
    }

    [Fact]
    public void Validate_BundleHoldsUnrelatedIntermediate_Throws()
    {
        using var intermediate = TestPki.IssueIntermediate(_root, "Validator Intermediate", TestKeyKind.Ecdsa);
        using var otherIntermediate = TestPki.IssueIntermediate(_root, "Other Intermediate", TestKeyKind.Ecdsa);
        using var leaf = TestPki.IssueServer(intermediate, "localhost", TestKeyKind.Ecdsa);
        using var presented = new X509Chain();
        presented.ChainPolicy.ExtraStore.Add(intermediate);

        FluentActions.Invoking(() => Validator("ssl://localhost", Trusting(otherIntermediate)).Validate(leaf, presented, SslPolicyErrors.RemoteCertificateChainErrors))
            .Should().Throw<AuthenticationException>()
            .WithMessage("TLS: the broker's certificate \"CN=localhost\" is not issued by a CA in client.tlsConfig.caFilePEM (its chain ends at \"CN=Validator Root\")");
    }

    [Fact]
    public void Validate_NoBundleAndPlatformTrusts_Accepts() =>
        Validator("ssl://localhost", MqttCredentials.None).Validate(_server, null, SslPolicyErrors.None).Should().BeTrue();

    [Fact]
    public void Validate_NoBundleAndPlatformDistrusts_ThrowsNamingSystemTrustStore() =>
        FluentActions.Invoking(() => Validator("ssl://localhost", MqttCredentials.None).Validate(_server, null, SslPolicyErrors.RemoteCertificateChainErrors))
            .Should().Throw<AuthenticationException>()
            .WithMessage("TLS: the broker's certificate \"CN=localhost\" is not trusted by the system trust store (its chain ends at \"CN=Validator Root\"); set client.tlsConfig.caFilePEM to the CA that issued it");

    [Fact]
    public void Validate_NoBundleAndPlatformNameMismatchOnly_ChecksNameItself() =>
        Validator("wss://localhost", MqttCredentials.None).Validate(_server, null, SslPolicyErrors.RemoteCertificateNameMismatch).Should().BeTrue();

    [Fact]
    public void Validate_NotYetValidCertificateFromBundleCa_ThrowsNamingTheFault()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=localhost", key, HashAlgorithmName.SHA256);
        var san = new SubjectAlternativeNameBuilder();
        san.AddDnsName("localhost");
        request.CertificateExtensions.Add(san.Build());
        using var notYetValid = request.Create(_root, DateTimeOffset.UtcNow.AddDays(1), DateTimeOffset.UtcNow.AddDays(2), [1, 2, 3, 4]);

        FluentActions.Invoking(() => Validator("ssl://localhost", Trusting(_root)).Validate(notYetValid, null, SslPolicyErrors.RemoteCertificateChainErrors))
            .Should().Throw<AuthenticationException>()
            .WithMessage("TLS: the broker's certificate \"CN=localhost\" fails validation (NotTimeValid)");
    }

    [Fact]
    public void Validate_NoCertificate_Throws() =>
        FluentActions.Invoking(() => Validator("ssl://localhost", Trusting(_root)).Validate(null, null, SslPolicyErrors.RemoteCertificateNotAvailable))
            .Should().Throw<AuthenticationException>()
            .WithMessage("TLS: the broker presented no certificate");

    [Fact]
    public void Validate_InsecureSkipVerify_AcceptsAnything()
    {
        var validator = Validator("ssl://10.0.0.7", Trusting(_otherRoot) with { InsecureSkipVerify = true, ServerName = "wrong" });

        validator.Validate(_server, null, SslPolicyErrors.RemoteCertificateChainErrors).Should().BeTrue();
        validator.Validate(null, null, SslPolicyErrors.RemoteCertificateNotAvailable).Should().BeTrue();
    }

    [Fact]
    public void Validate_CertificateAsX509Certificate_IsReadAsX509Certificate2()
    {
        using var plain = new X509Certificate(_server);

        Validator("ssl://localhost", Trusting(_root)).Validate(plain, null, SslPolicyErrors.None).Should().BeTrue();
    }

    private static ServerCertificateValidator Validator(string server, MqttCredentials credentials) =>
        new(ServerAddress.Parse(server), credentials);

    private static MqttCredentials Trusting(X509Certificate2 ca) =>
        MqttCredentials.None with { CaCertificates = [X509CertificateLoader.LoadCertificate(ca.RawData)] };
}
