using System.ComponentModel;

namespace Octopus.Mqtt.Tests.Options;

public sealed class GoDurationTests
{
    [Theory]
    [InlineData("0", 0L)]
    [InlineData("300ms", 300_000_000L)]
    [InlineData("1.5s", 1_500_000_000L)]
    [InlineData("1m30s", 90_000_000_000L)]
    [InlineData("2h45m", 9_900_000_000_000L)]
    [InlineData("1us", 1_000L)]
    [InlineData("1µs", 1_000L)]
    [InlineData("-1.5h", -5_400_000_000_000L)]
    [InlineData("+5ns", 5L)]
    [InlineData(".5s", 500_000_000L)]
    [InlineData("1.s", 1_000_000_000L)]
    public void Parse_GoForm_GivesNanoseconds(string text, long expected) =>
        GoDuration.Parse(text).TotalNanoseconds.Should().Be(expected);

    [Theory]
    [InlineData("0s", "0s")]
    [InlineData("300ms", "300ms")]
    [InlineData("1.5s", "1.5s")]
    [InlineData("2h45m", "2h45m0s")]
    [InlineData("1us", "1µs")]
    [InlineData("-1m", "-1m0s")]
    [InlineData("1.000000001s", "1.000000001s")]
    public void ToString_FormatsAsGo(string text, string expected) =>
        GoDuration.Parse(text).ToString().Should().Be(expected);

    [Theory]
    [InlineData("", "\"\" is not a Go duration such as 300ms, 1.5s, 1m30s or 2h45m (units ns, us, µs, ms, s, m, h)")]
    [InlineData("30", "\"30\" has a number without a unit; expected a Go duration such as 300ms, 1.5s, 1m30s or 2h45m (units ns, us, µs, ms, s, m, h)")]
    [InlineData("PT30S", "\"PT30S\" is not a Go duration such as 300ms, 1.5s, 1m30s or 2h45m (units ns, us, µs, ms, s, m, h)")]
    [InlineData("3d", "\"3d\" has an unknown unit \"d\"; expected a Go duration such as 300ms, 1.5s, 1m30s or 2h45m (units ns, us, µs, ms, s, m, h)")]
    [InlineData("9999999999h", "\"9999999999h\" is longer than the longest duration, 2562047h47m16.854775807s (about 292 years)")]
    public void Parse_NotGoForm_ThrowsWithWhatIsAllowed(string text, string message) =>
        FluentActions.Invoking(() => GoDuration.Parse(text)).Should().Throw<FormatException>().WithMessage(message);

    [Theory]
    [InlineData("-2562047h47m16.854775808s", long.MinValue)]
    [InlineData("2562047h47m16.854775807s", long.MaxValue)]
    [InlineData("-0", 0L)]
    [InlineData("1h1m1s1ms1us1ns", 3_661_001_001_001L)]
    [InlineData("0.000000001s", 1L)]
    [InlineData("1.0000000009s", 1_000_000_000L)]
    [InlineData("1μs", 1_000L)]
    public void Parse_Limits_GivesNanoseconds(string text, long expected) =>
        GoDuration.Parse(text).TotalNanoseconds.Should().Be(expected);

    [Theory]
    [InlineData(long.MinValue, "-2562047h47m16.854775808s")]
    [InlineData(long.MaxValue, "2562047h47m16.854775807s")]
    [InlineData(1L, "1ns")]
    [InlineData(-1_500L, "-1.5µs")]
    [InlineData(59_999_999_999L, "59.999999999s")]
    [InlineData(3_600_000_000_000L, "1h0m0s")]
    public void ToString_Limits_FormatsAsGo(long nanoseconds, string expected)
    {
        var text = GoDuration.FromNanoseconds(nanoseconds).ToString();

        text.Should().Be(expected);
        GoDuration.Parse(text).TotalNanoseconds.Should().Be(nanoseconds);
    }

    [Theory]
    [InlineData("2562047h47m16.854775808s")]
    [InlineData("-2562047h47m16.854775809s")]
    public void Parse_JustBeyondTheLimits_Throws(string text) =>
        FluentActions.Invoking(() => GoDuration.Parse(text)).Should().Throw<FormatException>()
            .WithMessage($"\"{text}\" is longer than the longest duration, 2562047h47m16.854775807s (about 292 years)");

    [Theory]
    [InlineData("-")]
    [InlineData("+")]
    [InlineData(".s")]
    [InlineData("1s ")]
    [InlineData(" 1s")]
    [InlineData("1S")]
    [InlineData("1s-1s")]
    public void TryParse_NotGoForm_ReturnsFalse(string text) =>
        GoDuration.TryParse(text, out _).Should().BeFalse();

    [Theory]
    [InlineData("30s", 30_000_000_000L)]
    [InlineData("00:00:30", 30_000_000_000L)]
    [InlineData("1.02:03:04.5", 93_784_500_000_000L)]
    [InlineData(" 1m ", 60_000_000_000L)]
    [InlineData("-00:00:01", -1_000_000_000L)]
    public void TypeConverter_GoOrTimeSpanString_Converts(string text, long expected) =>
        ((GoDuration)TypeDescriptor.GetConverter(typeof(GoDuration)).ConvertFromInvariantString(text)!).TotalNanoseconds.Should().Be(expected);

    [Fact]
    public void TypeConverter_Neither_ThrowsNamingBothForms() =>
        FluentActions.Invoking(() => TypeDescriptor.GetConverter(typeof(GoDuration)).ConvertFromInvariantString("30"))
            .Should().Throw<FormatException>()
            .WithMessage("\"30\" has a number without a unit; expected a Go duration such as 300ms, 1.5s, 1m30s or 2h45m (units ns, us, µs, ms, s, m, h), or a TimeSpan such as 00:00:30");

    [Fact]
    public void TypeConverter_ToString_WritesGoForm() =>
        TypeDescriptor.GetConverter(typeof(GoDuration)).ConvertToInvariantString(GoDuration.FromSeconds(90)).Should().Be("1m30s");

    [Fact]
    public void FromTimeSpan_ThenToTimeSpan_KeepsTicks()
    {
        var span = TimeSpan.FromTicks(123_456_789);

        GoDuration.FromTimeSpan(span).TotalNanoseconds.Should().Be(12_345_678_900L);
        ((TimeSpan)GoDuration.FromTimeSpan(span)).Should().Be(span);
        GoDuration.FromNanoseconds(199).ToTimeSpan().Should().Be(TimeSpan.FromTicks(1));
    }
}
