namespace Octopus.Mqtt;

/// <summary>Formats nanoseconds the way Go's <c>time.Duration.String</c> does.</summary>
internal static class GoDurationFormatter
{
    public static bool TryFormat(long nanoseconds, Span<char> destination, out int charsWritten)
    {
        // Built right to left, as Go does, in a buffer large enough for any long.
        Span<char> buf = stackalloc char[32];
        var w = buf.Length;
        var negative = nanoseconds < 0;
        var u = negative ? (ulong)(-(nanoseconds + 1)) + 1 : (ulong)nanoseconds;

        if (u < 1_000_000_000UL)
        {
            // Sub-second: use the largest unit below a second that keeps the value at least 1.
            if (u == 0)
            {
                return Copy("0s", destination, out charsWritten);
            }

            var precision = 0;
            w--;
            buf[w] = 's';
            w--;
            if (u < 1_000UL)
            {
                buf[w] = 'n';
            }
            else if (u < 1_000_000UL)
            {
                precision = 3;
                buf[w] = 'µ';
            }
            else
            {
                precision = 6;
                buf[w] = 'm';
            }

            (w, u) = WriteFraction(buf[..w], u, precision);
            w = WriteInteger(buf[..w], u);
        }
        else
        {
            w--;
            buf[w] = 's';
            (w, u) = WriteFraction(buf[..w], u, 9);
            w = WriteInteger(buf[..w], u % 60);
            u /= 60;
            if (u > 0)
            {
                w--;
                buf[w] = 'm';
                w = WriteInteger(buf[..w], u % 60);
                u /= 60;
                if (u > 0)
                {
                    w--;
                    buf[w] = 'h';
                    w = WriteInteger(buf[..w], u);
                }
            }
        }

        if (negative)
        {
            w--;
            buf[w] = '-';
        }

        return Copy(buf[w..], destination, out charsWritten);
    }

    private static (int Position, ulong Remaining) WriteFraction(Span<char> buf, ulong value, int precision)
    {
        var w = buf.Length;
        var printed = false;
        for (var i = 0; i < precision; i++)
        {
            var digit = value % 10;
            printed = printed || digit != 0;
            if (printed)
            {
                w--;
                buf[w] = (char)('0' + digit);
            }

            value /= 10;
        }

        if (printed)
        {
            w--;
            buf[w] = '.';
        }

        return (w, value);
    }

    private static int WriteInteger(Span<char> buf, ulong value)
    {
        var w = buf.Length;
        if (value == 0)
        {
            w--;
            buf[w] = '0';
            return w;
        }

        while (value > 0)
        {
            w--;
            buf[w] = (char)('0' + (value % 10));
            value /= 10;
        }

        return w;
    }

    private static bool Copy(ReadOnlySpan<char> source, Span<char> destination, out int charsWritten)
    {
        if (source.TryCopyTo(destination))
        {
            charsWritten = source.Length;
            return true;
        }

        charsWritten = 0;
        return false;
    }
}
