using System.ComponentModel;
using System.Diagnostics.CodeAnalysis;

namespace Octopus.Mqtt;

/// <summary>
/// A duration written the way Go and Kubernetes write them (<c>300ms</c>, <c>1.5s</c>, <c>1m30s</c>, <c>2h45m</c>),
/// held exactly in nanoseconds.
/// </summary>
/// <remarks>
/// Units are <c>ns</c>, <c>us</c>, <c>µs</c>, <c>ms</c>, <c>s</c>, <c>m</c> and <c>h</c>; a leading sign and decimal
/// fractions are allowed, and <c>0</c> needs no unit. A bare number such as <c>30</c> or an ISO-8601 string is not a
/// Go duration. Bound from .NET configuration, a <see cref="TimeSpan"/> string such as <c>00:00:30</c> is accepted too.
/// </remarks>
[TypeConverter(typeof(GoDurationTypeConverter))]
public readonly struct GoDuration : IEquatable<GoDuration>, IComparable<GoDuration>, ISpanFormattable
{
    private const long NanosecondsPerTick = 100;
    private const long Microsecond = 1_000;
    private const long Millisecond = 1_000_000;
    private const long Second = 1_000_000_000;
    private const long Minute = 60 * Second;
    private const long Hour = 60 * Minute;

    private GoDuration(long nanoseconds) => TotalNanoseconds = nanoseconds;

    /// <summary>Gets the zero duration.</summary>
    public static GoDuration Zero => default;

    /// <summary>Gets the length of the duration in nanoseconds.</summary>
    public long TotalNanoseconds { get; }

    /// <summary>Gets a value indicating whether the duration is less than zero.</summary>
    public bool IsNegative => TotalNanoseconds < 0;

    /// <summary>Creates a duration from a number of nanoseconds.</summary>
    /// <param name="nanoseconds">The length in nanoseconds.</param>
    /// <returns>The duration.</returns>
    public static GoDuration FromNanoseconds(long nanoseconds) => new(nanoseconds);

    /// <summary>Creates a duration from a number of milliseconds.</summary>
    /// <param name="milliseconds">The length in milliseconds.</param>
    /// <returns>The duration.</returns>
    public static GoDuration FromMilliseconds(long milliseconds) => new(checked(milliseconds * Millisecond));

    /// <summary>Creates a duration from a number of seconds.</summary>
    /// <param name="seconds">The length in seconds.</param>
    /// <returns>The duration.</returns>
    public static GoDuration FromSeconds(long seconds) => new(checked(seconds * Second));

    /// <summary>Creates a duration from a number of minutes.</summary>
    /// <param name="minutes">The length in minutes.</param>
    /// <returns>The duration.</returns>
    public static GoDuration FromMinutes(long minutes) => new(checked(minutes * Minute));

    /// <summary>Creates a duration from a <see cref="TimeSpan"/>.</summary>
    /// <param name="value">The time span.</param>
    /// <returns>The duration.</returns>
    public static GoDuration FromTimeSpan(TimeSpan value) => new(checked(value.Ticks * NanosecondsPerTick));

    /// <summary>Converts the duration to a <see cref="TimeSpan"/>, truncating below 100 nanoseconds.</summary>
    /// <returns>The time span.</returns>
    public TimeSpan ToTimeSpan() => TimeSpan.FromTicks(TotalNanoseconds / NanosecondsPerTick);

    /// <summary>Converts a <see cref="TimeSpan"/> to a duration.</summary>
    /// <param name="value">The time span.</param>
    public static implicit operator GoDuration(TimeSpan value) => FromTimeSpan(value);

    /// <summary>Converts a duration to a <see cref="TimeSpan"/>, truncating below 100 nanoseconds.</summary>
    /// <param name="value">The duration.</param>
    public static explicit operator TimeSpan(GoDuration value) => value.ToTimeSpan();

    /// <summary>Parses a Go duration string.</summary>
    /// <param name="text">The text, e.g. <c>1m30s</c>.</param>
    /// <returns>The duration.</returns>
    /// <exception cref="FormatException">The text is not a Go duration; the message says what is allowed.</exception>
    public static GoDuration Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (!TryParse(text, out var result, out var error))
        {
            throw new FormatException(error);
        }

        return result;
    }

    /// <summary>Tries to parse a Go duration string.</summary>
    /// <param name="text">The text, e.g. <c>1m30s</c>.</param>
    /// <param name="result">The duration, when the text is valid.</param>
    /// <returns><see langword="true"/> when the text is a Go duration.</returns>
    public static bool TryParse([NotNullWhen(true)] string? text, out GoDuration result) => TryParse(text, out result, out _);

    internal static bool TryParse(string? text, out GoDuration result, [NotNullWhen(false)] out string? error)
    {
        result = default;
        if (text is null)
        {
            error = "a duration is required";
            return false;
        }

        if (!GoDurationParser.TryParse(text.AsSpan(), out var nanoseconds, out var parseError))
        {
            error = parseError ?? "not a Go duration";
            return false;
        }

        error = null;

        result = new GoDuration(nanoseconds);
        return true;
    }

    /// <summary>Formats the duration as Go does: <c>0s</c>, <c>300ms</c>, <c>1.5s</c>, <c>2h45m0s</c>.</summary>
    /// <returns>The Go form of the duration.</returns>
    public override string ToString()
    {
        Span<char> buffer = stackalloc char[40];
        _ = TryFormat(buffer, out var written, default, null);
        return new string(buffer[..written]);
    }

    /// <inheritdoc />
    public string ToString(string? format, IFormatProvider? formatProvider) => ToString();

    /// <inheritdoc />
    public bool TryFormat(Span<char> destination, out int charsWritten, ReadOnlySpan<char> format, IFormatProvider? provider) =>
        GoDurationFormatter.TryFormat(TotalNanoseconds, destination, out charsWritten);

    /// <inheritdoc />
    public bool Equals(GoDuration other) => TotalNanoseconds == other.TotalNanoseconds;

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is GoDuration other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode() => TotalNanoseconds.GetHashCode();

    /// <inheritdoc />
    public int CompareTo(GoDuration other) => TotalNanoseconds.CompareTo(other.TotalNanoseconds);

    /// <summary>Compares two durations for equality.</summary>
    /// <param name="left">The first duration.</param>
    /// <param name="right">The second duration.</param>
    /// <returns><see langword="true"/> when both have the same length.</returns>
    public static bool operator ==(GoDuration left, GoDuration right) => left.Equals(right);

    /// <summary>Compares two durations for inequality.</summary>
    /// <param name="left">The first duration.</param>
    /// <param name="right">The second duration.</param>
    /// <returns><see langword="true"/> when their lengths differ.</returns>
    public static bool operator !=(GoDuration left, GoDuration right) => !left.Equals(right);

    /// <summary>Compares two durations.</summary>
    /// <param name="left">The first duration.</param>
    /// <param name="right">The second duration.</param>
    /// <returns><see langword="true"/> when <paramref name="left"/> is shorter.</returns>
    public static bool operator <(GoDuration left, GoDuration right) => left.CompareTo(right) < 0;

    /// <summary>Compares two durations.</summary>
    /// <param name="left">The first duration.</param>
    /// <param name="right">The second duration.</param>
    /// <returns><see langword="true"/> when <paramref name="left"/> is longer.</returns>
    public static bool operator >(GoDuration left, GoDuration right) => left.CompareTo(right) > 0;

    /// <summary>Compares two durations.</summary>
    /// <param name="left">The first duration.</param>
    /// <param name="right">The second duration.</param>
    /// <returns><see langword="true"/> when <paramref name="left"/> is not longer.</returns>
    public static bool operator <=(GoDuration left, GoDuration right) => left.CompareTo(right) <= 0;

    /// <summary>Compares two durations.</summary>
    /// <param name="left">The first duration.</param>
    /// <param name="right">The second duration.</param>
    /// <returns><see langword="true"/> when <paramref name="left"/> is not shorter.</returns>
    public static bool operator >=(GoDuration left, GoDuration right) => left.CompareTo(right) >= 0;
}
