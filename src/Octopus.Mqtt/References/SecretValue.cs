using System.Security.Cryptography;
using System.Text;

namespace Octopus.Mqtt;

/// <summary>
/// One resolved option value (a literal or a reference's item) with where it came from, so that every error about it
/// names the option path and the reference, never the value. Disposing clears the buffers it owns.
/// </summary>
internal sealed class SecretValue : IDisposable
{
    private readonly string? _literal;
    private byte[]? _bytes;
    private char[]? _chars;

    private SecretValue(string fieldPath, string? referenceName, string? referenceItem, string? literal, byte[]? bytes)
    {
        FieldPath = fieldPath;
        ReferenceName = referenceName;
        ReferenceItem = referenceItem;
        _literal = literal;
        _bytes = bytes;
    }

    /// <summary>Gets the option path: <c>client.tlsConfig.keyFilePEM</c> for a literal, <c>…Ref</c> for a reference.</summary>
    public string FieldPath { get; }

    /// <summary>Gets the reference name, or <see langword="null"/> for a literal.</summary>
    public string? ReferenceName { get; }

    /// <summary>Gets the reference item, or <see langword="null"/> for a literal.</summary>
    public string? ReferenceItem { get; }

    /// <summary>Gets the option path and, for a reference, the reference and item: for use inside another message.</summary>
    public string Source => ReferenceName is null ? FieldPath : $"{FieldPath} (reference \"{ReferenceName}\" item \"{ReferenceItem}\")";

    /// <summary>Gets the value as text (a reference's bytes decoded as UTF-8, invalid bytes replaced).</summary>
    public ReadOnlySpan<char> Text => _literal is not null ? _literal : _chars ??= Encoding.UTF8.GetChars(_bytes!);

    public static SecretValue FromLiteral(string fieldPath, string literal) => new(fieldPath, null, null, literal, null);

    public static SecretValue FromReference(string fieldPath, string name, string item, byte[] bytes) => new(fieldPath, name, item, null, bytes);

    /// <summary>Returns the value as a string, refusing a reference's bytes that are not valid UTF-8.</summary>
    public string ToStrictString()
    {
        if (_literal is not null)
        {
            return _literal;
        }

        try
        {
            return new UTF8Encoding(false, true).GetString(_bytes!);
        }
        catch (DecoderFallbackException exception)
        {
            throw Error("is not valid UTF-8", exception);
        }
    }

    /// <summary>Returns the value's UTF-8 bytes; a reference's own buffer is handed over and no longer cleared.</summary>
    public byte[] DetachBytes()
    {
        if (_literal is not null)
        {
            return Encoding.UTF8.GetBytes(_literal);
        }

        var bytes = _bytes!;
        _bytes = null;
        return bytes;
    }

    /// <summary>An error about this value: <c>{path}: [reference "n" item "i" ]{predicate}</c>.</summary>
    public MqttCredentialsException Error(string predicate, Exception? innerException = null)
    {
        var subject = ReferenceName is null ? string.Empty : $"reference \"{ReferenceName}\" item \"{ReferenceItem}\" ";
        return new MqttCredentialsException(FieldPath, ReferenceName, ReferenceItem, $"{FieldPath}: {subject}{predicate}", innerException);
    }

    public void Dispose()
    {
        if (_bytes is not null)
        {
            CryptographicOperations.ZeroMemory(_bytes);
            _bytes = null;
        }

        if (_chars is not null)
        {
            Array.Clear(_chars);
            _chars = null;
        }
    }
}
