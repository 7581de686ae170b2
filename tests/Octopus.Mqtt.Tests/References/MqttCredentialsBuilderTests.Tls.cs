using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Octopus.Mqtt.Tests.Shared;
using static Octopus.Mqtt.Tests.References.TestCertificates;

namespace Octopus.Mqtt.Tests.References;

public sealed partial class MqttCredentialsBuilderTests
{
    private const string NoCertificate = "contains no PEM certificate (expected -----BEGIN CERTIFICATE-----)";
    private const string Undecodable = "has a PEM block that cannot be decoded (check its BEGIN and END lines and its base64)";
    private const string Encrypted = "holds an encrypted private key, which cannot be used without its passphrase; store the key unencrypted (for example: openssl pkey -in encrypted.pem -out key.pem)";

    [Fact]
    public async Task BuildAsync_EmptyTlsConfig_UsesTheSystemTrustStoreAndNoClientCertificate()
    {
        var credentials = await BuildAsync(Client(tls: new MqttTlsSettings { ServerName = string.Empty }));

        credentials.CaCertificates.Should().BeNull();
        credentials.ClientCertificate.Should().BeNull();
        credentials.ClientCertificateChain.Should().BeNull();
        credentials.ServerName.Should().BeNull();
        credentials.InsecureSkipVerify.Should().BeFalse();
    }

    [Fact]
    public async Task BuildAsync_ServerNameAndInsecureSkipVerify_ArePassedOn()
    {
        var credentials = await BuildAsync(Client(tls: new MqttTlsSettings { ServerName = "mqtt.internal", InsecureSkipVerify = true }));

        credentials.ServerName.Should().Be("mqtt.internal");
        credentials.InsecureSkipVerify.Should().BeTrue();
        credentials.CaCertificates.Should().BeNull();
    }

    [Fact]
    public async Task BuildAsync_CaBundleWithCommentsAndAnIntermediate_KeepsEveryCertificateInOrder()
    {
        var bundle = $"# Octopus Test Root\n{TestPki.CertificatePem(Root)}\n\n# Octopus Test Intermediate\r\n{TestPki.CertificatePem(Intermediate).ReplaceLineEndings("\r\n")}";

        var credentials = await BuildAsync(Client(tls: new MqttTlsSettings { CaFilePEM = bundle }));

        credentials.CaCertificates!.Select(c => c.Thumbprint).Should().Equal(Root.Thumbprint, Intermediate.Thumbprint);
        credentials.CaCertificates!.Should().OnlyContain(c => !c.HasPrivateKey);
    }

    [Fact]
    public async Task BuildAsync_CaFromARef_IsRead()
    {
        var references = new InMemoryReferenceResolver { { "mqtt-ca", "ca.crt", TestPki.CertificatePem(Root) } };

        var credentials = await BuildAsync(Client(tls: new MqttTlsSettings { CaFilePEMRef = Ref("mqtt-ca", "ca.crt") }), references);

        credentials.CaCertificates!.Should().ContainSingle().Which.Thumbprint.Should().Be(Root.Thumbprint);
    }

    [Fact]
    public async Task BuildAsync_CaRefNotFound_IsAnErrorNotTheSystemTrustStore()
    {
        var error = await FailureAsync(Client(tls: new MqttTlsSettings { CaFilePEMRef = Ref("mqtt-ca", "ca.crt") }), new InMemoryReferenceResolver());

        error.Message.Should().Be("client.tlsConfig.caFilePEMRef: reference \"mqtt-ca\" has no item \"ca.crt\" (or it is empty)");
    }

    public static TheoryData<string, string> MalformedCas => new()
    {
        { "not a certificate", $"client.tlsConfig.caFilePEM: {NoCertificate}" },
        { Convert.ToBase64String(Root.RawData), $"client.tlsConfig.caFilePEM: {NoCertificate}" },
        { TestPki.CertificatePem(Root) + "-----BEGIN CERTIFICATE-----\nnot*base64\n-----END CERTIFICATE-----\n", $"client.tlsConfig.caFilePEM: {Undecodable}" },
        { TestPki.CertificatePem(Root) + TestPki.CertificatePem(Intermediate), $"client.tlsConfig.caFilePEM: {Undecodable}" },
        { TestPki.CertificatePem(Root).Replace("-----END CERTIFICATE-----", "-----END CERT-----", StringComparison.Ordinal), $"client.tlsConfig.caFilePEM: {Undecodable}" },
        { Pem(TestPki.CertificatePem(Root), PemEncoding.WriteString("CERTIFICATE", [0x30, 0x03, 0x02, 0x01, 0x01])), "client.tlsConfig.caFilePEM: has a CERTIFICATE block (#2) that is not a valid X.509 certificate" },
        { Pem(TestPki.CertificatePem(Root), PemEncoding.WriteString("TRUSTED CERTIFICATE", Root.RawData)), "client.tlsConfig.caFilePEM: has a \"TRUSTED CERTIFICATE\" PEM block; a CA bundle holds only CERTIFICATE blocks" },
    };

    [Theory]
    [MemberData(nameof(MalformedCas))]
    public async Task BuildAsync_MalformedCa_IsRefused(string pem, string message)
    {
        var error = await FailureAsync(Client(tls: new MqttTlsSettings { CaFilePEM = pem, InsecureSkipVerify = true }));

        error.Message.Should().Be(message);
        error.FieldPath.Should().Be("client.tlsConfig.caFilePEM");
    }

    [Fact]
    public async Task BuildAsync_CaBundleHoldingAKey_IsRefusedWithoutShowingTheKey()
    {
        var error = await FailureAsync(Client(tls: new MqttTlsSettings { CaFilePEM = Pem(TestPki.CertificatePem(Root), TestPki.Pkcs8KeyPem(ClientRsa)) }));

        error.Message.Should().Be("client.tlsConfig.caFilePEM: has a \"PRIVATE KEY\" PEM block; a CA bundle holds only CERTIFICATE blocks");
    }

    [Fact]
    public async Task BuildAsync_MalformedCaFromARef_NamesTheReference()
    {
        var references = new InMemoryReferenceResolver { { "mqtt-ca", "ca.crt", "garbage" } };

        var error = await FailureAsync(Client(tls: new MqttTlsSettings { CaFilePEMRef = Ref("mqtt-ca", "ca.crt") }), references);

        error.Message.Should().Be($"client.tlsConfig.caFilePEMRef: reference \"mqtt-ca\" item \"ca.crt\" {NoCertificate}");
        error.FieldPath.Should().Be("client.tlsConfig.caFilePEMRef");
        error.ReferenceName.Should().Be("mqtt-ca");
        error.ReferenceItem.Should().Be("ca.crt");
    }

    [Theory]
    [InlineData("RSA", "PRIVATE KEY")]
    [InlineData("RSA", "RSA PRIVATE KEY")]
    [InlineData("EC", "PRIVATE KEY")]
    [InlineData("EC", "EC PRIVATE KEY")]
    public async Task BuildAsync_ClientCertificateAndKey_PairsThemInEveryKeyForm(string algorithm, string label)
    {
        var client = ClientWith(KindOf(algorithm));
        var key = label == "PRIVATE KEY" ? TestPki.Pkcs8KeyPem(client) : TestPki.TraditionalKeyPem(client);
        key.Should().StartWith($"-----BEGIN {label}-----");

        var credentials = await BuildAsync(Client(tls: new MqttTlsSettings { CertFilePEM = TestPki.CertificatePem(client), KeyFilePEM = key }));

        credentials.ClientCertificate!.Thumbprint.Should().Be(client.Thumbprint);
        credentials.ClientCertificate.HasPrivateKey.Should().BeTrue();
        credentials.ClientCertificateChain.Should().BeNull();
        SignsWithItsOwnKey(credentials.ClientCertificate).Should().BeTrue();
    }

    [Fact]
    public async Task BuildAsync_CertificateAndKeyFromRefs_AreRead()
    {
        var references = new InMemoryReferenceResolver
        {
            { "mqtt-tls", "tls.crt", TestPki.CertificatePem(ClientEc) },
            { "mqtt-tls", "tls.key", TestPki.Pkcs8KeyPem(ClientEc) },
        };

        var credentials = await BuildAsync(
            Client(tls: new MqttTlsSettings { CertFilePEMRef = Ref("mqtt-tls", "tls.crt"), KeyFilePEMRef = Ref("mqtt-tls", "tls.key") }),
            references);

        credentials.ClientCertificate!.Thumbprint.Should().Be(ClientEc.Thumbprint);
        credentials.ClientCertificate.HasPrivateKey.Should().BeTrue();
    }

    [Fact]
    public async Task BuildAsync_CertificatePemWithItsChain_TakesTheFirstAsTheClientAndKeepsTheRest()
    {
        var chain = Pem(TestPki.CertificatePem(ClientRsa), TestPki.CertificatePem(Intermediate), TestPki.CertificatePem(Root));

        var credentials = await BuildAsync(Client(tls: new MqttTlsSettings { CertFilePEM = chain, KeyFilePEM = TestPki.TraditionalKeyPem(ClientRsa) }));

        credentials.ClientCertificate!.Thumbprint.Should().Be(ClientRsa.Thumbprint);
        credentials.ClientCertificateChain!.Select(c => c.Thumbprint).Should().Equal(Intermediate.Thumbprint, Root.Thumbprint);
    }

    [Fact]
    public async Task BuildAsync_CombinedCertificateAndKeyFiles_SkipTheOtherKindOfBlock()
    {
        var combined = Pem(TestPki.CertificatePem(ClientEc), TestPki.TraditionalKeyPem(ClientEc));

        var credentials = await BuildAsync(Client(tls: new MqttTlsSettings { CertFilePEM = combined, KeyFilePEM = combined }));

        credentials.ClientCertificate!.Thumbprint.Should().Be(ClientEc.Thumbprint);
        credentials.ClientCertificate.HasPrivateKey.Should().BeTrue();
    }

    [Fact]
    public async Task BuildAsync_EcKeyAfterEcParameters_AsOpensslWritesIt_IsRead()
    {
        var parameters = PemEncoding.WriteString("EC PARAMETERS", [0x06, 0x08, 0x2A, 0x86, 0x48, 0xCE, 0x3D, 0x03, 0x01, 0x07]);

        var credentials = await BuildAsync(Client(tls: new MqttTlsSettings
        {
            CertFilePEM = TestPki.CertificatePem(ClientEc),
            KeyFilePEM = parameters + "\n" + TestPki.TraditionalKeyPem(ClientEc),
        }));

        credentials.ClientCertificate!.HasPrivateKey.Should().BeTrue();
    }

    [Theory]
    [InlineData("RSA")]
    [InlineData("EC")]
    public async Task BuildAsync_KeyOfAnotherCertificate_IsRefused(string algorithm)
    {
        var (client, other) = algorithm == "RSA" ? (ClientRsa, OtherRsa) : (ClientEc, OtherEc);

        var error = await FailureAsync(Client(tls: new MqttTlsSettings { CertFilePEM = TestPki.CertificatePem(client), KeyFilePEM = TestPki.Pkcs8KeyPem(other) }));

        error.Message.Should().Be($"client.tlsConfig.keyFilePEM: holds a private key that does not match the client certificate of client.tlsConfig.certFilePEM (subject \"{client.Subject}\")");
        error.FieldPath.Should().Be("client.tlsConfig.keyFilePEM");
    }

    [Fact]
    public async Task BuildAsync_MismatchedPairFromRefs_NamesBothReferences()
    {
        var references = new InMemoryReferenceResolver
        {
            { "mqtt-tls", "tls.crt", TestPki.CertificatePem(ClientRsa) },
            { "mqtt-tls", "tls.key", TestPki.TraditionalKeyPem(OtherRsa) },
        };

        var error = await FailureAsync(
            Client(tls: new MqttTlsSettings { CertFilePEMRef = Ref("mqtt-tls", "tls.crt"), KeyFilePEMRef = Ref("mqtt-tls", "tls.key") }),
            references);

        error.Message.Should().Be(
            "client.tlsConfig.keyFilePEMRef: reference \"mqtt-tls\" item \"tls.key\" holds a private key that does not match the client certificate of client.tlsConfig.certFilePEMRef (reference \"mqtt-tls\" item \"tls.crt\") (subject \"CN=octopus-client-rsa\")");
        error.ReferenceItem.Should().Be("tls.key");
    }

    [Theory]
    [InlineData("EC", "RSA")]
    [InlineData("RSA", "EC")]
    public async Task BuildAsync_KeyOfTheOtherAlgorithm_IsRefused(string keyKind, string certificateKind)
    {
        var certificate = ClientWith(KindOf(certificateKind));
        var other = ClientWith(KindOf(keyKind));

        var error = await FailureAsync(Client(tls: new MqttTlsSettings { CertFilePEM = TestPki.CertificatePem(certificate), KeyFilePEM = TestPki.Pkcs8KeyPem(other) }));

        error.Message.Should().Be($"client.tlsConfig.keyFilePEM: holds an {keyKind} private key but the client certificate of client.tlsConfig.certFilePEM has an {certificateKind} key");
    }

    [Fact]
    public async Task BuildAsync_EncryptedPkcs8Key_IsRefused()
    {
        var error = await FailureAsync(Client(tls: new MqttTlsSettings
        {
            CertFilePEM = TestPki.CertificatePem(ClientRsa),
            KeyFilePEM = TestPki.EncryptedKeyPem(ClientRsa, "passphrase"),
        }));

        error.Message.Should().Be($"client.tlsConfig.keyFilePEM: {Encrypted}");
    }

    [Fact]
    public async Task BuildAsync_LegacyOpensslEncryptedKey_IsRefusedAsEncrypted()
    {
        const string legacy = "-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\nDEK-Info: AES-128-CBC,0123456789ABCDEF0123456789ABCDEF\n\nAAECAwQFBgcICQoLDA0ODw==\n-----END RSA PRIVATE KEY-----\n";

        var error = await FailureAsync(Client(tls: new MqttTlsSettings { CertFilePEM = TestPki.CertificatePem(ClientRsa), KeyFilePEM = legacy }));

        error.Message.Should().Be($"client.tlsConfig.keyFilePEM: {Encrypted}");
    }

    public static TheoryData<string, string> MalformedKeys => new()
    {
        { "not a key", "client.tlsConfig.keyFilePEM: contains no PEM private key (expected PRIVATE KEY, RSA PRIVATE KEY or EC PRIVATE KEY)" },
        { TestPki.CertificatePem(ClientRsa), "client.tlsConfig.keyFilePEM: contains no PEM private key (expected PRIVATE KEY, RSA PRIVATE KEY or EC PRIVATE KEY)" },
        { "-----BEGIN PRIVATE KEY-----\n%%%%\n-----END PRIVATE KEY-----\n", $"client.tlsConfig.keyFilePEM: {Undecodable}" },
        { Pem(TestPki.Pkcs8KeyPem(ClientRsa), TestPki.TraditionalKeyPem(ClientRsa)), "client.tlsConfig.keyFilePEM: holds more than one private key; expected one" },
        { PublicKeyPem(ClientRsa), "client.tlsConfig.keyFilePEM: has a \"PUBLIC KEY\" PEM block; expected one private key (PRIVATE KEY, RSA PRIVATE KEY or EC PRIVATE KEY)" },
        { PemEncoding.WriteString("PRIVATE KEY", [0x30, 0x03, 0x02, 0x01, 0x00]), "client.tlsConfig.keyFilePEM: has a PRIVATE KEY block that is not a valid PKCS#8 RSA or EC key" },
        { PemEncoding.WriteString("RSA PRIVATE KEY", [0x30, 0x03, 0x02, 0x01, 0x00]), "client.tlsConfig.keyFilePEM: has an RSA PRIVATE KEY block that is not a valid PKCS#1 RSA key" },
        { PemEncoding.WriteString("EC PRIVATE KEY", [0x30, 0x03, 0x02, 0x01, 0x00]), "client.tlsConfig.keyFilePEM: has an EC PRIVATE KEY block that is not a valid SEC1 EC key" },
    };

    [Theory]
    [MemberData(nameof(MalformedKeys))]
    public async Task BuildAsync_MalformedKey_IsRefused(string key, string message)
    {
        var error = await FailureAsync(Client(tls: new MqttTlsSettings { CertFilePEM = TestPki.CertificatePem(ClientRsa), KeyFilePEM = key }));

        error.Message.Should().Be(message);
    }

    public static TheoryData<string, string> MalformedCertificates => new()
    {
        { "not a certificate", $"client.tlsConfig.certFilePEM: {NoCertificate}" },
        { TestPki.Pkcs8KeyPem(ClientRsa), $"client.tlsConfig.certFilePEM: {NoCertificate}" },
        { TestPki.CertificatePem(ClientRsa)[..200], $"client.tlsConfig.certFilePEM: {Undecodable}" },
        { PemEncoding.WriteString("CERTIFICATE", [0x30, 0x00]), "client.tlsConfig.certFilePEM: has a CERTIFICATE block (#1) that is not a valid X.509 certificate" },
        { Pem(PemEncoding.WriteString("CERTIFICATE REQUEST", [0x30, 0x00]), TestPki.CertificatePem(ClientRsa)), "client.tlsConfig.certFilePEM: has a \"CERTIFICATE REQUEST\" PEM block; expected CERTIFICATE blocks, the client certificate first" },
    };

    [Theory]
    [MemberData(nameof(MalformedCertificates))]
    public async Task BuildAsync_MalformedCertificate_IsRefused(string certificate, string message)
    {
        var error = await FailureAsync(Client(tls: new MqttTlsSettings { CertFilePEM = certificate, KeyFilePEM = TestPki.Pkcs8KeyPem(ClientRsa) }));

        error.Message.Should().Be(message);
        error.FieldPath.Should().Be("client.tlsConfig.certFilePEM");
    }

    [Fact]
    public async Task BuildAsync_CertificateWithoutKey_IsRefused()
    {
        var error = await FailureAsync(Client(tls: new MqttTlsSettings { CertFilePEM = TestPki.CertificatePem(ClientRsa) }));

        error.Message.Should().Be(
            "client.tlsConfig.keyFilePEM: is blank and no keyFilePEMRef is set, but client.tlsConfig.certFilePEM gives a client certificate; a client certificate needs its private key");
        error.FieldPath.Should().Be("client.tlsConfig.keyFilePEM");
    }

    [Fact]
    public async Task BuildAsync_KeyWithoutCertificate_IsRefused()
    {
        var references = new InMemoryReferenceResolver { { "mqtt-tls", "tls.key", TestPki.Pkcs8KeyPem(ClientRsa) } };

        var error = await FailureAsync(Client(tls: new MqttTlsSettings { KeyFilePEMRef = Ref("mqtt-tls", "tls.key") }), references);

        error.Message.Should().Be(
            "client.tlsConfig.certFilePEM: is blank and no certFilePEMRef is set, but client.tlsConfig.keyFilePEMRef (reference \"mqtt-tls\" item \"tls.key\") gives a private key; a private key needs its client certificate");
    }

    [Fact]
    public async Task BuildAsync_KeyRefNotFound_IsAnError()
    {
        var error = await FailureAsync(
            Client(tls: new MqttTlsSettings { CertFilePEM = TestPki.CertificatePem(ClientRsa), KeyFilePEMRef = Ref("mqtt-tls", "tls.key") }),
            new InMemoryReferenceResolver());

        error.Message.Should().Be("client.tlsConfig.keyFilePEMRef: reference \"mqtt-tls\" has no item \"tls.key\" (or it is empty)");
    }

    [Fact]
    public async Task BuildAsync_CalledAgainAfterCertificateRotation_ReadsTheNewPair()
    {
        var references = new InMemoryReferenceResolver
        {
            { "mqtt-tls", "tls.crt", TestPki.CertificatePem(ClientRsa) },
            { "mqtt-tls", "tls.key", TestPki.Pkcs8KeyPem(ClientRsa) },
        };
        var client = Client(tls: new MqttTlsSettings { CertFilePEMRef = Ref("mqtt-tls", "tls.crt"), KeyFilePEMRef = Ref("mqtt-tls", "tls.key") });
        (await BuildAsync(client, references)).ClientCertificate!.Thumbprint.Should().Be(ClientRsa.Thumbprint);

        references.Add("mqtt-tls", "tls.crt", TestPki.CertificatePem(OtherRsa));
        references.Add("mqtt-tls", "tls.key", TestPki.Pkcs8KeyPem(OtherRsa));

        (await BuildAsync(client, references)).ClientCertificate!.Thumbprint.Should().Be(OtherRsa.Thumbprint);
    }

    /// <summary>PEM blocks one after the other, each on its own lines, as in a file.</summary>
    private static string Pem(params string[] blocks) => string.Join('\n', blocks) + "\n";

    private static TestKeyKind KindOf(string algorithm) => algorithm == "RSA" ? TestKeyKind.Rsa : TestKeyKind.Ecdsa;

    private static string PublicKeyPem(X509Certificate2 certificate) => PemEncoding.WriteString("PUBLIC KEY", certificate.PublicKey.ExportSubjectPublicKeyInfo());

    private static bool SignsWithItsOwnKey(X509Certificate2 certificate)
    {
        var data = "octopus"u8.ToArray();
        using var rsa = certificate.GetRSAPrivateKey();
        if (rsa is not null)
        {
            using var rsaPublic = certificate.GetRSAPublicKey()!;
            return rsaPublic.VerifyData(data, rsa.SignData(data, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        }

        using var ec = certificate.GetECDsaPrivateKey()!;
        using var ecPublic = certificate.GetECDsaPublicKey()!;
        return ecPublic.VerifyData(data, ec.SignData(data, HashAlgorithmName.SHA256), HashAlgorithmName.SHA256);
    }
}
