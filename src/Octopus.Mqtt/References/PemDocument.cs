using System.Security.Cryptography;

namespace Octopus.Mqtt;

/// <summary>
/// The PEM blocks of a text, decoded, with what could not be decoded noted: text between blocks is ignored (CA
/// bundles carry comments) unless it holds a <c>-----BEGIN</c> line that did not make a valid block. Disposing
/// clears the decoded bytes, which may be a private key.
/// </summary>
internal sealed class PemDocument : IDisposable
{
    private const string BeginMarker = "-----BEGIN ";

    private PemDocument(List<PemBlock> blocks, bool hasUndecodableBlock, bool hasLegacyEncryptedBlock)
    {
        Blocks = blocks;
        HasUndecodableBlock = hasUndecodableBlock;
        HasLegacyEncryptedBlock = hasLegacyEncryptedBlock;
    }

    /// <summary>Gets the decoded blocks, in order.</summary>
    public List<PemBlock> Blocks { get; }

    /// <summary>Gets a value indicating whether a <c>-----BEGIN</c> line did not start a valid block (bad base64, a missing or wrong END line, headers).</summary>
    public bool HasUndecodableBlock { get; }

    /// <summary>Gets a value indicating whether an undecodable block is an OpenSSL legacy encrypted key (<c>Proc-Type: 4,ENCRYPTED</c>).</summary>
    public bool HasLegacyEncryptedBlock { get; }

    public static PemDocument Parse(ReadOnlySpan<char> text)
    {
        var blocks = new List<PemBlock>();
        var undecodable = false;
        var legacyEncrypted = false;
        var rest = text;
        while (true)
        {
            var found = PemEncoding.TryFind(rest, out var fields);
            var gap = found ? rest[..fields.Location.Start] : rest;
            if (gap.Contains(BeginMarker, StringComparison.Ordinal))
            {
                undecodable = true;
                legacyEncrypted |= gap.Contains("Proc-Type:", StringComparison.Ordinal) && gap.Contains("ENCRYPTED", StringComparison.Ordinal);
            }

            if (!found)
            {
                return new PemDocument(blocks, undecodable, legacyEncrypted);
            }

            var data = new byte[fields.DecodedDataLength];
            if (Convert.TryFromBase64Chars(rest[fields.Base64Data], data, out var written) && written == data.Length)
            {
                blocks.Add(new PemBlock(rest[fields.Label].ToString(), data));
            }
            else
            {
                undecodable = true;
            }

            rest = rest[fields.Location.End..];
        }
    }

    public void Dispose()
    {
        foreach (var block in Blocks)
        {
            CryptographicOperations.ZeroMemory(block.Data);
        }
    }
}
