using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Octopus.Mqtt;

/// <summary>
/// Reads <c>certFilePEM</c> (the client certificate first, then its intermediates) and <c>keyFilePEM</c> (one
/// unencrypted PKCS#8, PKCS#1 or SEC1 key) and pairs them, refusing a key that does not match.
/// </summary>
internal static class ClientCertificateReader
{
    private const string Encrypted =
        "holds an encrypted private key, which cannot be used without its passphrase; store the key unencrypted (for example: openssl pkey -in encrypted.pem -out key.pem)";

    private const string ExpectedKeys = "PRIVATE KEY, RSA PRIVATE KEY or EC PRIVATE KEY";

    public static (X509Certificate2 Certificate, X509Certificate2Collection? Chain) Read(SecretValue certificate, SecretValue key)
    {
        var certificates = ReadCertificates(certificate);
        try
        {
            var leaf = AttachKey(certificates[0], certificate, key);
            X509Certificate2Collection? chain = certificates.Count > 1 ? [.. certificates.Skip(1)] : null;
            certificates[0].Dispose();
            return (leaf, chain);
        }
        catch
        {
            foreach (var item in certificates)
            {
                item.Dispose();
            }

            throw;
        }
    }

    private static List<X509Certificate2> ReadCertificates(SecretValue certificate)
    {
        using var pem = PemDocument.Parse(certificate.Text);
        if (pem.HasUndecodableBlock)
        {
            throw certificate.Error(CaBundleReader.UndecodableBlock);
        }

        var certificates = new List<X509Certificate2>();
        try
        {
            foreach (var block in pem.Blocks)
            {
                if (block.Label == "CERTIFICATE")
                {
                    certificates.Add(CaBundleReader.LoadCertificate(block, certificates.Count + 1, certificate));
                }
                else if (!IsPrivateKey(block.Label) && block.Label != "EC PARAMETERS")
                {
                    // A combined certificate-and-key file is common: its key blocks are skipped here.
                    throw certificate.Error($"has a \"{block.Label}\" PEM block; expected CERTIFICATE blocks, the client certificate first");
                }
            }

            return certificates.Count > 0 ? certificates : throw certificate.Error(CaBundleReader.NoCertificate);
        }
        catch
        {
            foreach (var item in certificates)
            {
                item.Dispose();
            }

            throw;
        }
    }

    private static X509Certificate2 AttachKey(X509Certificate2 leaf, SecretValue certificate, SecretValue key)
    {
        using var pem = PemDocument.Parse(key.Text);
        using var privateKey = ImportKey(FindKeyBlock(pem, key), key);
        var (rsaPublic, ecPublic) = PublicKeyOf(leaf, certificate);
        using var rsaDisposal = rsaPublic;
        using var ecDisposal = ecPublic;
        var certificateKind = rsaPublic is not null ? "RSA" : ecPublic is not null ? "EC" : null;
        if (certificateKind is null)
        {
            throw certificate.Error($"has a client certificate with a key of algorithm {leaf.GetKeyAlgorithm()}; only RSA and EC keys are supported");
        }

        var keyKind = privateKey is RSA ? "RSA" : "EC";
        if (keyKind != certificateKind)
        {
            throw key.Error($"holds an {keyKind} private key but the client certificate of {certificate.Source} has an {certificateKind} key");
        }

        X509Certificate2 withKey;
        try
        {
            withKey = privateKey is RSA rsa ? leaf.CopyWithPrivateKey(rsa) : leaf.CopyWithPrivateKey((ECDsa)privateKey);
        }
        catch (Exception exception) when (exception is ArgumentException or CryptographicException or PlatformNotSupportedException)
        {
            throw key.Error($"holds a private key that does not match the client certificate of {certificate.Source} (subject \"{leaf.Subject}\")", exception);
        }

        return OperatingSystem.IsWindows() ? PersistForSchannel(withKey) : withKey;
    }

    private static PemBlock FindKeyBlock(PemDocument pem, SecretValue key)
    {
        if (pem.HasLegacyEncryptedBlock)
        {
            throw key.Error(Encrypted);
        }

        if (pem.HasUndecodableBlock)
        {
            throw key.Error(CaBundleReader.UndecodableBlock);
        }

        PemBlock? found = null;
        foreach (var block in pem.Blocks)
        {
            if (block.Label == "ENCRYPTED PRIVATE KEY")
            {
                throw key.Error(Encrypted);
            }

            if (IsPrivateKey(block.Label))
            {
                found = found is null ? block : throw key.Error("holds more than one private key; expected one");
            }
            else if (block.Label is not ("CERTIFICATE" or "EC PARAMETERS"))
            {
                throw key.Error($"has a \"{block.Label}\" PEM block; expected one private key ({ExpectedKeys})");
            }
        }

        return found ?? throw key.Error($"contains no PEM private key (expected {ExpectedKeys})");
    }

    private static AsymmetricAlgorithm ImportKey(PemBlock block, SecretValue key) => block.Label switch
    {
        "RSA PRIVATE KEY" => TryImport(RSA.Create(), a => a.ImportRSAPrivateKey(block.Data, out _))
            ?? throw key.Error("has an RSA PRIVATE KEY block that is not a valid PKCS#1 RSA key"),
        "EC PRIVATE KEY" => TryImport(ECDsa.Create(), a => a.ImportECPrivateKey(block.Data, out _))
            ?? throw key.Error("has an EC PRIVATE KEY block that is not a valid SEC1 EC key"),
        _ => TryImport(RSA.Create(), a => a.ImportPkcs8PrivateKey(block.Data, out _))
            ?? TryImport(ECDsa.Create(), a => a.ImportPkcs8PrivateKey(block.Data, out _))
            ?? throw key.Error("has a PRIVATE KEY block that is not a valid PKCS#8 RSA or EC key"),
    };

    /// <summary>Reads the certificate's public key; a damaged one (it parsed as a certificate) is an error naming the field.</summary>
    private static (RSA? Rsa, ECDsa? Ec) PublicKeyOf(X509Certificate2 leaf, SecretValue certificate)
    {
        try
        {
            var rsa = leaf.GetRSAPublicKey();
            return (rsa, rsa is null ? leaf.GetECDsaPublicKey() : null);
        }
        catch (Exception exception) when (exception is CryptographicException or PlatformNotSupportedException)
        {
            throw certificate.Error("has a client certificate whose public key cannot be read", exception);
        }
    }

    private static AsymmetricAlgorithm? TryImport<T>(T algorithm, Action<T> import)
        where T : AsymmetricAlgorithm
    {
        try
        {
            import(algorithm);
            return algorithm;
        }
        catch (Exception exception) when (exception is CryptographicException or PlatformNotSupportedException)
        {
            // PlatformNotSupportedException: an EC key on a curve the platform lacks (a damaged curve identifier reads as one).
            algorithm.Dispose();
            return null;
        }
    }

    private static bool IsPrivateKey(string label) =>
        label is "PRIVATE KEY" or "RSA PRIVATE KEY" or "EC PRIVATE KEY" or "ENCRYPTED PRIVATE KEY";

    /// <summary>SChannel cannot use an ephemeral key for client authentication: a PKCS#12 round trip gives the key a (temporary) key container.</summary>
    private static X509Certificate2 PersistForSchannel(X509Certificate2 withKey)
    {
        var pkcs12 = withKey.Export(X509ContentType.Pkcs12);
        try
        {
            return X509CertificateLoader.LoadPkcs12(pkcs12, null);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(pkcs12);
            withKey.Dispose();
        }
    }
}
