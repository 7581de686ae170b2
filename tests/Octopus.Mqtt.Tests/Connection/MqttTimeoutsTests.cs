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
    [InlineData("18h12m15.001s", 65535)]
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

    [Theory]
    [InlineData("1ns", 1L)]
    [InlineData("150ns", 2L)]
    [InlineData("250ms", 2_500_000L)]
    [InlineData("30s", 300_000_000L)]
    [InlineData("1193h2m47.294s", 42_949_672_940_000L)]
    public void Limit_Positive_IsTheDurationRoundedUpToATick(string duration, long ticks) =>
        MqttTimeouts.Limit(GoDuration.Parse(duration)).Should().Be(TimeSpan.FromTicks(ticks));

    [Fact]
    public void Limit_BeyondWhatATimerTakes_IsInfinite() =>
        MqttTimeouts.Limit(GoDuration.Parse("2400h")).Should().Be(Timeout.InfiniteTimeSpan);
}
