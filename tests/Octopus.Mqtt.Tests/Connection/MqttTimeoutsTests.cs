namespace Octopus.Mqtt.Tests.Connection;

public sealed class MqttTimeoutsTests
{
    [Theory]
    [InlineData("30s", 30)]
    [InlineData("500ms", 1)]
    [InlineData("1ns", 1)]
    [InlineData("1.2s", 2)]
    [InlineData("2m", 120)]
    [InlineData("18h12m15s", 65535)]
    [InlineData("24h", 65535)]
    [InlineData("0s", 0)]
    [InlineData("-5s", 0)]
    public void KeepAlive_GoDuration_WholeSecondsRoundedUpAndCapped(string duration, int seconds) =>
        MqttTimeouts.KeepAlive(GoDuration.Parse(duration)).Should().Be(TimeSpan.FromSeconds(seconds));

    [Theory]
    [InlineData("0s")]
    [InlineData("-1s")]
    public void Limit_ZeroOrLess_IsInfinite(string duration) =>
        MqttTimeouts.Limit(GoDuration.Parse(duration)).Should().Be(Timeout.InfiniteTimeSpan);

    [Fact]
    public void Limit_Positive_IsTheDurationAndNeverZero()
    {
        MqttTimeouts.Limit(GoDuration.Parse("30s")).Should().Be(TimeSpan.FromSeconds(30));
        MqttTimeouts.Limit(GoDuration.Parse("1ns")).Should().Be(TimeSpan.FromTicks(1));
    }
}
