namespace Octopus.Mqtt;

/// <summary>Parses Go's duration syntax: <c>[-+]?([0-9]*(\.[0-9]*)?[a-zµμ]+)+</c>, or a lone <c>0</c>.</summary>
internal static class GoDurationParser
{
    internal const string Allowed = "a Go duration such as 300ms, 1.5s, 1m30s or 2h45m (units ns, us, µs, ms, s, m, h)";

    private static readonly Int128 Limit = (Int128)long.MaxValue + 1;

    public static bool TryParse(ReadOnlySpan<char> text, out long nanoseconds, out string? error)
    {
        nanoseconds = 0;
        error = null;
        var s = text;
        var negative = false;
        if (!s.IsEmpty && (s[0] == '-' || s[0] == '+'))
        {
            negative = s[0] == '-';
            s = s[1..];
        }

        if (s is "0")
        {
            return true;
        }

        if (s.IsEmpty)
        {
            return Fail(text, out error);
        }

        Int128 total = 0;
        while (!s.IsEmpty)
        {
            if (s[0] != '.' && !char.IsAsciiDigit(s[0]))
            {
                return Fail(text, out error);
            }

            var intDigits = 0;
            Int128 whole = 0;
            while (intDigits < s.Length && char.IsAsciiDigit(s[intDigits]))
            {
                whole = (whole * 10) + (s[intDigits] - '0');
                if (whole > Limit)
                {
                    return Overflow(text, out error);
                }

                intDigits++;
            }

            s = s[intDigits..];
            long fraction = 0;
            long scale = 1;
            var fractionDigits = 0;
            if (!s.IsEmpty && s[0] == '.')
            {
                s = s[1..];
                while (fractionDigits < s.Length && char.IsAsciiDigit(s[fractionDigits]))
                {
                    if (scale < 1_000_000_000_000_000_000L / 10)
                    {
                        fraction = (fraction * 10) + (s[fractionDigits] - '0');
                        scale *= 10;
                    }

                    fractionDigits++;
                }

                s = s[fractionDigits..];
            }

            if (intDigits == 0 && fractionDigits == 0)
            {
                return Fail(text, out error);
            }

            var unitLength = 0;
            while (unitLength < s.Length && s[unitLength] != '.' && !char.IsAsciiDigit(s[unitLength]))
            {
                unitLength++;
            }

            if (unitLength == 0)
            {
                error = $"\"{text}\" has a number without a unit; expected {Allowed}";
                return false;
            }

            var unit = UnitOf(s[..unitLength]);
            if (unit == 0)
            {
                error = $"\"{text}\" has an unknown unit \"{s[..unitLength]}\"; expected {Allowed}";
                return false;
            }

            s = s[unitLength..];
            total += (whole * unit) + ((Int128)fraction * unit / scale);
            if (total > Limit)
            {
                return Overflow(text, out error);
            }
        }

        if (negative)
        {
            total = -total;
        }
        else if (total == Limit)
        {
            return Overflow(text, out error);
        }

        nanoseconds = (long)total;
        return true;
    }

    private static long UnitOf(ReadOnlySpan<char> unit) => unit switch
    {
        "ns" => 1,
        "us" or "µs" or "μs" => 1_000,
        "ms" => 1_000_000,
        "s" => 1_000_000_000,
        "m" => 60_000_000_000,
        "h" => 3_600_000_000_000,
        _ => 0,
    };

    private static bool Fail(ReadOnlySpan<char> text, out string error)
    {
        error = $"\"{text}\" is not {Allowed}";
        return false;
    }

    private static bool Overflow(ReadOnlySpan<char> text, out string error)
    {
        error = $"\"{text}\" is longer than the longest duration, 2562047h47m16.854775807s (about 292 years)";
        return false;
    }
}
