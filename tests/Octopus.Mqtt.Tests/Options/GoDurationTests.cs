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
    [InlineData("9999999999h", "\"9999999999h\" is longer than the longest duration (about 292 years)")]
    public void Parse_NotGoForm_ThrowsWithWhatIsAllowed(string text, string message) =>
        FluentActions.Invoking(() => GoDuration.Parse(text)).Should().Throw<FormatException>().WithMessage(message);
}
