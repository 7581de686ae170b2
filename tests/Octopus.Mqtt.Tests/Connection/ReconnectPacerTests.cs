using Microsoft.Extensions.Time.Testing;

namespace Octopus.Mqtt.Tests.Connection;

public sealed class ReconnectPacerTests
{
    [Fact]
    public void Reserve_OneAttempt_WaitsItsOwnDelay()
    {
        var pacer = new ReconnectPacer(new FakeTimeProvider(), attemptsPerSecond: 100);

        pacer.Reserve(TimeSpan.FromMilliseconds(700)).Should().Be(TimeSpan.FromMilliseconds(700));
    }

    [Fact]
    public void Reserve_ManyAttemptsDueAtOnce_SpacedByTheRate()
    {
        var pacer = new ReconnectPacer(new FakeTimeProvider(), attemptsPerSecond: 100);

        var waits = Enumerable.Range(0, 4).Select(_ => pacer.Reserve(TimeSpan.FromSeconds(1)).TotalMilliseconds).ToArray();

        waits.Should().Equal(1000, 1010, 1020, 1030);
    }

    [Fact]
    public void Reserve_AThousandAttempts_NoSecondHoldsMoreThanTheRate()
    {
        var pacer = new ReconnectPacer(new FakeTimeProvider(), attemptsPerSecond: 100);
        var random = new Random(7);

        var seconds = Enumerable.Range(0, 1000)
            .Select(_ => pacer.Reserve(TimeSpan.FromMilliseconds(500 + random.Next(500))))
            .GroupBy(wait => (int)wait.TotalSeconds)
            .Select(group => group.Count())
            .ToArray();

        seconds.Max().Should().BeLessThanOrEqualTo(100);
        seconds.Sum().Should().Be(1000);
    }

    [Fact]
    public void Reserve_AfterTheSlotsPassed_WaitsOnlyItsOwnDelay()
    {
        var time = new FakeTimeProvider();
        var pacer = new ReconnectPacer(time, attemptsPerSecond: 10);
        pacer.Reserve(TimeSpan.FromSeconds(1));
        pacer.Reserve(TimeSpan.FromSeconds(1));

        time.Advance(TimeSpan.FromSeconds(5));

        pacer.Reserve(TimeSpan.FromMilliseconds(200)).Should().Be(TimeSpan.FromMilliseconds(200));
    }

    [Fact]
    public void GetDelay_WithAPacer_TakesTheNextFreeSlot()
    {
        var pacer = new ReconnectPacer(new FakeTimeProvider(), attemptsPerSecond: 4);
        var first = new ReconnectBackoff(TimeSpan.FromMinutes(10), new FixedRandom(1), pacer);
        var second = new ReconnectBackoff(TimeSpan.FromMinutes(10), new FixedRandom(1), pacer);

        first.GetDelay(0).Should().Be(TimeSpan.FromSeconds(1));
        second.GetDelay(0).Should().Be(TimeSpan.FromMilliseconds(1250));
    }
}
