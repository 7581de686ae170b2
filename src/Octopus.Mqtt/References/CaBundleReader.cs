using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Octopus.Mqtt;

/// <summary>Reads <c>caFilePEM</c>: one or more CERTIFICATE blocks (roots and intermediates); anything else is refused.</summary>
internal static class CaBundleReader
{
    internal const string UndecodableBlock = "has a PEM block that cannot be decoded (check its BEGIN and END lines and its base64)";
    internal const string NoCertificate = "contains no PEM certificate (expected -----BEGIN CERTIFICATE-----)";

    public static X509Certificate2Collection Read(SecretValue ca)
    {
        using var pem = PemDocument.Parse(ca.Text);
        if (pem.HasUndecodableBlock)
        {
            throw ca.Error(UndecodableBlock);
        }

        var certificates = new X509Certificate2Collection();
        try
        {
            foreach (var block in pem.Blocks)
            {
                if (block.Label != "CERTIFICATE")
                {
                    throw ca.Error($"has a \"{block.Label}\" PEM block; a CA bundle holds only CERTIFICATE blocks");
                }

                certificates.Add(LoadCertificate(block, certificates.Count + 1, ca));
            }

            return certificates.Count > 0 ? certificates : throw ca.Error(NoCertificate);
        }
        catch
        {
            foreach (var certificate in certificates)
            {
                certificate.Dispose();
            }

            throw;
        }
    }

    /// <summary>Loads the <paramref name="number"/>th CERTIFICATE block of <paramref name="source"/>.</summary>
    internal static X509Certificate2 LoadCertificate(PemBlock block, int number, SecretValue source)
    {
        try
        {
            return X509CertificateLoader.LoadCertificate(block.Data);
        }
        catch (CryptographicException exception)
        {
            throw source.Error($"has a CERTIFICATE block (#{number}) that is not a valid X.509 certificate", exception);
        }
    }
}
