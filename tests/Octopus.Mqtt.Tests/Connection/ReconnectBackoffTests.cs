namespace Octopus.Mqtt.Tests.Connection;

public sealed class ReconnectBackoffTests
{
    [Fact]
    public void GetCeiling_DefaultCap_DoublesFromOneSecondUpToTenMinutes()
    {
        var backoff = new ReconnectBackoff(TimeSpan.FromMinutes(10));

        var ceilings = Enumerable.Range(0, 13).Select(retry => backoff.GetCeiling(retry).TotalSeconds).ToArray();

        ceilings.Should().Equal(1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 600, 600, 600);
    }

    [Fact]
    public void GetCeiling_HugeRetryCount_StaysAtTheCapWithoutOverflow()
    {
        var backoff = new ReconnectBackoff(TimeSpan.FromMinutes(10));

        backoff.GetCeiling(int.MaxValue).Should().Be(TimeSpan.FromMinutes(10));
    }

    [Fact]
    public void GetCeiling_CapBelowOneSecond_StartsAtTheCap()
    {
        var backoff = new ReconnectBackoff(TimeSpan.FromMilliseconds(300));

        backoff.GetCeiling(0).Should().Be(TimeSpan.FromMilliseconds(300));
        backoff.GetCeiling(5).Should().Be(TimeSpan.FromMilliseconds(300));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(50)]
    public void Constructor_CapBelowMinimum_RaisedToOneHundredMilliseconds(int milliseconds)
    {
        var backoff = new ReconnectBackoff(TimeSpan.FromMilliseconds(milliseconds));

        backoff.MaxDelay.Should().Be(TimeSpan.FromMilliseconds(100));
        backoff.GetDelay(0).Should().BeGreaterThanOrEqualTo(TimeSpan.FromMilliseconds(50));
    }

    [Fact]
    public void GetDelay_LowestRandom_IsHalfTheCeiling()
    {
        var backoff = new ReconnectBackoff(TimeSpan.FromMinutes(10), new FixedRandom(0));

        backoff.GetDelay(0).Should().Be(TimeSpan.FromMilliseconds(500));
        backoff.GetDelay(3).Should().Be(TimeSpan.FromSeconds(4));
        backoff.GetDelay(20).Should().Be(TimeSpan.FromMinutes(5));
    }

    [Fact]
    public void GetDelay_HighestRandom_IsTheCeiling()
    {
        var backoff = new ReconnectBackoff(TimeSpan.FromMinutes(10), new FixedRandom(1));

        backoff.GetDelay(0).Should().Be(TimeSpan.FromSeconds(1));
        backoff.GetDelay(3).Should().Be(TimeSpan.FromSeconds(8));
        backoff.GetDelay(20).Should().Be(TimeSpan.FromMinutes(10));
    }

    [Fact]
    public void GetDelay_ManyDevices_SpreadBetweenHalfAndWholeCeiling()
    {
        var backoff = new ReconnectBackoff(TimeSpan.FromMinutes(10), new Random(12345));

        var delays = Enumerable.Range(0, 1000).Select(_ => backoff.GetDelay(4)).ToList();

        delays.Should().OnlyContain(d => d >= TimeSpan.FromSeconds(8) && d <= TimeSpan.FromSeconds(16));
        delays.Distinct().Count().Should().BeGreaterThan(900, "a thousand devices must not all come back at the same moment");
        delays.Min().Should().BeLessThan(TimeSpan.FromSeconds(9));
        delays.Max().Should().BeGreaterThan(TimeSpan.FromSeconds(15));
    }
}
