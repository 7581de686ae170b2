using System.Text;
using System.Text.Encodings.Web;

namespace Octopus.Mqtt;

/// <summary>
/// Escapes JSON strings exactly as Go's <c>encoding/json</c> does (<c>json.Marshal</c>, HTML escaping on, as the Go
/// releases Octopus was built with, up to Go 1.21), so payloads are byte for byte those of the Go adaptors: text is raw
/// UTF-8, except <c>"</c> and <c>\</c> (<c>\"</c>, <c>\\</c>), the control characters (<c>\n</c>, <c>\r</c>,
/// <c>\t</c>, others <c>\u00XX</c>, so backspace is <c>\u0008</c> and form feed <c>\u000c</c>; Go 1.22 and later write
/// those two as <c>\b</c> and <c>\f</c>), <c>&lt;</c>, <c>&gt;</c>, <c>&amp;</c> (<c>\u003c</c>, <c>\u003e</c>,
/// <c>\u0026</c>) and U+2028, U+2029 (<c>\u2028</c>, <c>\u2029</c>), with lowercase hex digits as Go writes them.
/// </summary>
/// <remarks>
/// System.Text.Json's default encoder also escapes every non-ASCII character and <c>'</c> and <c>+</c>, with uppercase
/// hex digits; its relaxed encoder leaves <c>&lt;</c>, <c>&gt;</c> and <c>&amp;</c> raw. Neither writes Go's bytes.
/// Text that is not valid UTF-16 (a lone surrogate) is written as <c>\ufffd</c>, as Go writes invalid UTF-8.
/// </remarks>
internal sealed class GoJsonEncoder : JavaScriptEncoder
{
    private const string HexDigits = "0123456789abcdef";

    private GoJsonEncoder()
    {
    }

    /// <summary>Gets the encoder.</summary>
    public static GoJsonEncoder Instance { get; } = new();

    /// <inheritdoc />
    public override int MaxOutputCharactersPerInputCharacter => 12;

    /// <inheritdoc />
    public override bool WillEncode(int unicodeScalar) =>
        unicodeScalar < 0x20 || unicodeScalar is '"' or '\\' or '<' or '>' or '&' or 0x2028 or 0x2029;

    /// <inheritdoc />
    public override unsafe int FindFirstCharacterToEncode(char* text, int textLength)
    {
        ArgumentNullException.ThrowIfNull(text);
        var span = new ReadOnlySpan<char>(text, textLength);
        for (var i = 0; i < span.Length; i++)
        {
            var c = span[i];
            if (char.IsHighSurrogate(c) && i + 1 < span.Length && char.IsLowSurrogate(span[i + 1]))
            {
                i++;
                continue;
            }

            if (WillEncode(c) || char.IsSurrogate(c))
            {
                return i;
            }
        }

        return -1;
    }

    /// <inheritdoc />
    public override unsafe bool TryEncodeUnicodeScalar(int unicodeScalar, char* buffer, int bufferLength, out int numberOfCharactersWritten)
    {
        ArgumentNullException.ThrowIfNull(buffer);
        var destination = new Span<char>(buffer, bufferLength);
        var escape = unicodeScalar switch
        {
            '"' => "\\\"",
            '\\' => "\\\\",
            '\n' => "\\n",
            '\r' => "\\r",
            '\t' => "\\t",
            _ => null,
        };
        if (escape is not null)
        {
            numberOfCharactersWritten = escape.Length;
            return escape.TryCopyTo(destination) || Fail(out numberOfCharactersWritten);
        }

        if (unicodeScalar > 0xFFFF)
        {
            // Not escaped by this encoder; written as its surrogate pair should a caller ask.
            Span<char> pair = stackalloc char[2];
            _ = new Rune(unicodeScalar).EncodeToUtf16(pair);
            if (destination.Length < 12 || !TryWriteUnicodeEscape(pair[0], destination) || !TryWriteUnicodeEscape(pair[1], destination[6..]))
            {
                return Fail(out numberOfCharactersWritten);
            }

            numberOfCharactersWritten = 12;
            return true;
        }

        numberOfCharactersWritten = 6;
        return TryWriteUnicodeEscape(unicodeScalar, destination) || Fail(out numberOfCharactersWritten);
    }

    private static bool TryWriteUnicodeEscape(int value, Span<char> destination)
    {
        if (destination.Length < 6)
        {
            return false;
        }

        destination[0] = '\\';
        destination[1] = 'u';
        destination[2] = HexDigits[(value >> 12) & 0xF];
        destination[3] = HexDigits[(value >> 8) & 0xF];
        destination[4] = HexDigits[(value >> 4) & 0xF];
        destination[5] = HexDigits[value & 0xF];
        return true;
    }

    private static bool Fail(out int numberOfCharactersWritten)
    {
        numberOfCharactersWritten = 0;
        return false;
    }
}
