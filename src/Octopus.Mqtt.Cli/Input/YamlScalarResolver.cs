using System.Globalization;
using System.Numerics;
using YamlDotNet.Core;

namespace Octopus.Mqtt.Cli;

/// <summary>
/// Gives a YAML scalar its JSON type the way kubectl does (YAML 1.1): a plain scalar is a boolean, a number or null
/// only when it is written as one (<c>true</c>, <c>on</c>, <c>1</c>, <c>0x1F</c>, <c>~</c>); <c>20s</c> and every
/// quoted or block scalar are strings. <c>!!str</c>, <c>!!int</c>, <c>!!float</c>, <c>!!bool</c> and <c>!!null</c>
/// tags decide the type themselves.
/// </summary>
internal static class YamlScalarResolver
{
    private const string TagPrefix = "tag:yaml.org,2002:";

    private static readonly string[] TrueWords = ["y", "Y", "yes", "Yes", "YES", "true", "True", "TRUE", "on", "On", "ON"];
    private static readonly string[] FalseWords = ["n", "N", "no", "No", "NO", "false", "False", "FALSE", "off", "Off", "OFF"];
    private static readonly string[] NullWords = ["", "~", "null", "Null", "NULL"];

    /// <summary>Resolves a scalar to its JSON kind and text.</summary>
    /// <param name="value">The scalar's value.</param>
    /// <param name="style">How it was written.</param>
    /// <param name="tag">Its resolved tag: empty when none, <c>!</c> when non-specific.</param>
    /// <param name="error">What is wrong, when the tag does not fit the value.</param>
    /// <returns>The kind and text, or <see langword="null"/> with <paramref name="error"/> set.</returns>
    public static (YamlNodeKind Kind, string Text)? Resolve(string value, ScalarStyle style, string tag, out string? error)
    {
        error = null;
        if (tag.Length == 0)
        {
            return style == ScalarStyle.Plain ? ResolvePlain(value) : (YamlNodeKind.String, value);
        }

        (YamlNodeKind Kind, string Text)? resolved = tag switch
        {
            "!" or TagPrefix + "str" => (YamlNodeKind.String, value),
            TagPrefix + "null" => (YamlNodeKind.Null, "null"),
            TagPrefix + "bool" => Boolean(value),
            TagPrefix + "int" => Integer(value),
            TagPrefix + "float" => Integer(value) ?? Float(value),
            _ => null,
        };
        if (resolved is null)
        {
            error = tag.StartsWith(TagPrefix, StringComparison.Ordinal) && tag.Length > TagPrefix.Length
                && tag[TagPrefix.Length..] is "bool" or "int" or "float"
                ? $"the value is not a valid !!{tag[TagPrefix.Length..]}"
                : $"the tag {tag} is not supported; allowed: !!str, !!int, !!float, !!bool, !!null";
        }

        return resolved;
    }

    private static (YamlNodeKind Kind, string Text) ResolvePlain(string value)
    {
        if (NullWords.Contains(value))
        {
            return (YamlNodeKind.Null, "null");
        }

        return Boolean(value) ?? Integer(value) ?? Float(value) ?? (YamlNodeKind.String, value);
    }

    private static (YamlNodeKind Kind, string Text)? Boolean(string value) =>
        TrueWords.Contains(value) ? (YamlNodeKind.Boolean, "true")
        : FalseWords.Contains(value) ? (YamlNodeKind.Boolean, "false")
        : null;

    /// <summary>Decimal, <c>0x</c> hexadecimal, <c>0o</c> or leading-zero octal, <c>0b</c> binary; a sign and <c>_</c> separators allowed.</summary>
    private static (YamlNodeKind Kind, string Text)? Integer(string value)
    {
        var text = value.Replace("_", string.Empty, StringComparison.Ordinal);
        var negative = text.StartsWith('-');
        if (negative || text.StartsWith('+'))
        {
            text = text[1..];
        }

        if (text.Length == 0 || value.StartsWith('_'))
        {
            return null;
        }

        BigInteger? number = text switch
        {
            ['0', 'x' or 'X', .. var digits] => Digits(digits, 16),
            ['0', 'o' or 'O', .. var digits] => Digits(digits, 8),
            ['0', 'b' or 'B', .. var digits] => Digits(digits, 2),
            ['0', _, ..] => Digits(text[1..], 8),
            _ => Digits(text, 10),
        };
        return number is { } n ? (YamlNodeKind.Number, (negative ? -n : n).ToString(CultureInfo.InvariantCulture)) : null;
    }

    private static BigInteger? Digits(string digits, int radix)
    {
        if (digits.Length == 0)
        {
            return null;
        }

        var result = BigInteger.Zero;
        foreach (var c in digits)
        {
            var digit = c switch
            {
                >= '0' and <= '9' => c - '0',
                >= 'a' and <= 'f' => c - 'a' + 10,
                >= 'A' and <= 'F' => c - 'A' + 10,
                _ => int.MaxValue,
            };
            if (digit >= radix)
            {
                return null;
            }

            result = (result * radix) + digit;
        }

        return result;
    }

    /// <summary>A finite decimal number such as <c>1.5</c>, <c>.5</c> or <c>1e3</c>; <c>.inf</c> and <c>.nan</c> have no JSON form and stay text.</summary>
    private static (YamlNodeKind Kind, string Text)? Float(string value)
    {
        var text = value.Replace("_", string.Empty, StringComparison.Ordinal);
        if (!IsDecimal(text)
            || !double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var number)
            || !double.IsFinite(number))
        {
            return null;
        }

        return (YamlNodeKind.Number, number.ToString("R", CultureInfo.InvariantCulture));
    }

    /// <summary>Matches <c>[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?</c>.</summary>
    private static bool IsDecimal(string text)
    {
        var i = text.Length > 0 && text[0] is '-' or '+' ? 1 : 0;
        var whole = Run(text, ref i);
        var fraction = 0;
        if (i < text.Length && text[i] == '.')
        {
            i++;
            fraction = Run(text, ref i);
        }

        if (whole == 0 && fraction == 0)
        {
            return false;
        }

        if (i < text.Length && text[i] is 'e' or 'E')
        {
            i++;
            if (i < text.Length && text[i] is '-' or '+')
            {
                i++;
            }

            if (Run(text, ref i) == 0)
            {
                return false;
            }
        }

        return i == text.Length;
    }

    private static int Run(string text, ref int i)
    {
        var start = i;
        while (i < text.Length && char.IsAsciiDigit(text[i]))
        {
            i++;
        }

        return i - start;
    }
}
