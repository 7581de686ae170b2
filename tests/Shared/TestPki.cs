using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Octopus.Mqtt.Tests.Shared;

/// <summary>The kind of key a test certificate carries.</summary>
internal enum TestKeyKind
{
    Rsa,
    Ecdsa,
}

/// <summary>
/// Makes certificate authorities, intermediates and leaf certificates with .NET's own APIs, for tests
/// that need TLS material: nothing is read from elsewhere.
/// </summary>
internal static class TestPki
{
    private static readonly DateTimeOffset NotBefore = DateTimeOffset.UtcNow.AddDays(-1);
    private static readonly DateTimeOffset NotAfter = DateTimeOffset.UtcNow.AddDays(30);

    /// <summary>A self-signed root CA.</summary>
    public static X509Certificate2 CreateRoot(string commonName, TestKeyKind kind = TestKeyKind.Rsa)
    {
        var (request, _) = NewRequest(commonName, kind);
        AddCaExtensions(request);
        return request.CreateSelfSigned(NotBefore, NotAfter.AddDays(1));
    }

    /// <summary>An intermediate CA issued by <paramref name="issuer"/>.</summary>
    public static X509Certificate2 IssueIntermediate(X509Certificate2 issuer, string commonName, TestKeyKind kind = TestKeyKind.Rsa)
    {
        var (request, key) = NewRequest(commonName, kind);
        AddCaExtensions(request);
        return Sign(issuer, request, key);
    }

    /// <summary>A server certificate for localhost and 127.0.0.1 (plus <paramref name="dnsNames"/>).</summary>
    public static X509Certificate2 IssueServer(X509Certificate2 issuer, string commonName = "localhost", TestKeyKind kind = TestKeyKind.Rsa, params string[] dnsNames)
    {
        var (request, key) = NewRequest(commonName, kind);
        var san = new SubjectAlternativeNameBuilder();
        san.AddDnsName(commonName);
        san.AddDnsName("localhost");
        san.AddIpAddress(IPAddress.Loopback);
        foreach (var name in dnsNames)
        {
            san.AddDnsName(name);
        }

        request.CertificateExtensions.Add(san.Build());
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        AddLeafExtensions(request, kind);
        return Sign(issuer, request, key);
    }

    /// <summary>A client-authentication certificate.</summary>
    public static X509Certificate2 IssueClient(X509Certificate2 issuer, string commonName = "octopus-test-client", TestKeyKind kind = TestKeyKind.Rsa)
    {
        var (request, key) = NewRequest(commonName, kind);
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.2")], false));
        AddLeafExtensions(request, kind);
        return Sign(issuer, request, key);
    }

    /// <summary>The certificate alone, as PEM.</summary>
    public static string CertificatePem(X509Certificate2 certificate) => certificate.ExportCertificatePem();

    /// <summary>The private key as PKCS#8 PEM (<c>BEGIN PRIVATE KEY</c>).</summary>
    public static string Pkcs8KeyPem(X509Certificate2 certificate) => KeyOf(certificate).ExportPkcs8PrivateKeyPem();

    /// <summary>The private key in its traditional form: PKCS#1 (<c>BEGIN RSA PRIVATE KEY</c>) or SEC1 (<c>BEGIN EC PRIVATE KEY</c>).</summary>
    public static string TraditionalKeyPem(X509Certificate2 certificate) => KeyOf(certificate) switch
    {
        RSA rsa => rsa.ExportRSAPrivateKeyPem(),
        ECDsa ec => ec.ExportECPrivateKeyPem(),
        _ => throw new InvalidOperationException("unexpected key type"),
    };

    /// <summary>The private key as encrypted PKCS#8 PEM (<c>BEGIN ENCRYPTED PRIVATE KEY</c>).</summary>
    public static string EncryptedKeyPem(X509Certificate2 certificate, string password) =>
        KeyOf(certificate).ExportEncryptedPkcs8PrivateKeyPem(
            password,
            new PbeParameters(PbeEncryptionAlgorithm.Aes256Cbc, HashAlgorithmName.SHA256, 1000));

    /// <summary>Writes PEM text to a file, creating its folder.</summary>
    public static string WriteFile(string directory, string fileName, string pem)
    {
        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, fileName);
        File.WriteAllText(path, pem);
        return path;
    }

    private static AsymmetricAlgorithm KeyOf(X509Certificate2 certificate) =>
        (AsymmetricAlgorithm?)certificate.GetRSAPrivateKey()
        ?? certificate.GetECDsaPrivateKey()
        ?? throw new InvalidOperationException("the certificate has no private key");

    private static (CertificateRequest Request, AsymmetricAlgorithm Key) NewRequest(string commonName, TestKeyKind kind)
    {
        var subject = new X500DistinguishedName($"CN={commonName}");
        if (kind == TestKeyKind.Rsa)
        {
            var rsa = RSA.Create(2048);
            return (new CertificateRequest(subject, rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1), rsa);
        }

        var ec = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        return (new CertificateRequest(subject, ec, HashAlgorithmName.SHA256), ec);
    }

    private static void AddCaExtensions(CertificateRequest request)
    {
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
    }

    private static void AddLeafExtensions(CertificateRequest request, TestKeyKind kind)
    {
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        var usage = kind == TestKeyKind.Rsa
            ? X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment
            : X509KeyUsageFlags.DigitalSignature;
        request.CertificateExtensions.Add(new X509KeyUsageExtension(usage, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
    }

    private static X509Certificate2 Sign(X509Certificate2 issuer, CertificateRequest request, AsymmetricAlgorithm key)
    {
        var serial = RandomNumberGenerator.GetBytes(12);
        serial[0] &= 0x7F;

        // A signature generator from the issuer's own key lets an RSA CA issue EC certificates and the reverse.
        using var issuerRsa = issuer.GetRSAPrivateKey();
        using var issuerEc = issuerRsa is null ? issuer.GetECDsaPrivateKey() : null;
        var generator = issuerRsa is not null
            ? X509SignatureGenerator.CreateForRSA(issuerRsa, RSASignaturePadding.Pkcs1)
            : X509SignatureGenerator.CreateForECDsa(issuerEc ?? throw new InvalidOperationException("the issuer has no private key"));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(issuer, includeKeyIdentifier: true, includeIssuerAndSerial: false));
        using var signed = request.Create(issuer.SubjectName, generator, NotBefore, NotAfter, serial);
        return key switch
        {
            RSA rsa => signed.CopyWithPrivateKey(rsa),
            ECDsa ec => signed.CopyWithPrivateKey(ec),
            _ => throw new InvalidOperationException("unexpected key type"),
        };
    }
}
