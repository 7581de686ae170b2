using System.Text.Json;
using Microsoft.Extensions.Time.Testing;

namespace Octopus.Mqtt.Samples.DummyFan.Tests.Fan;

public sealed class DummyFanTests : IDisposable
{
    private readonly FakeTimeProvider _time = new();
    private readonly DummyFan _fan;

    public DummyFanTests() => _fan = new DummyFan(_time);

    public void Dispose() => _fan.Dispose();

    [Theory]
    [InlineData("Slow", 0, 3)]
    [InlineData("Middle", 100, 2)]
    [InlineData("Fast", 200, 1)]
    public void Apply_SwitchedOn_JumpsToTheGearsStartThenRisesByOneEachPeriod(string gearName, int start, int periodSeconds)
    {
        var gear = Enum.Parse<FanGear>(gearName);
        _fan.Apply(new FanSpec(gear, On: true));
        Drain().Should().Equal(new FanStatus(gear, start));

        _time.Advance(TimeSpan.FromSeconds(periodSeconds) - TimeSpan.FromMilliseconds(1));
        Drain().Should().BeEmpty("the first rise comes after one whole period");

        _time.Advance(TimeSpan.FromMilliseconds(1));
        Drain().Should().Equal(new FanStatus(gear, start + 1));

        _time.Advance(TimeSpan.FromSeconds(periodSeconds * 2));
        Drain().Should().Equal(new FanStatus(gear, start + 2), new FanStatus(gear, start + 3));
    }

    [Theory]
    [InlineData("Slow", 100, 3)]
    [InlineData("Middle", 200, 2)]
    [InlineData("Fast", 300, 1)]
    public void Rise_TopSpeedReached_StaysThere(string gearName, int top, int periodSeconds)
    {
        var gear = Enum.Parse<FanGear>(gearName);
        _fan.Apply(new FanSpec(gear, On: true));
        for (var i = 0; i < 100; i++)
        {
            _time.Advance(TimeSpan.FromSeconds(periodSeconds));
        }

        var changes = Drain();
        changes.Should().HaveCount(101);
        changes[^1].Should().Be(new FanStatus(gear, top));

        _time.Advance(TimeSpan.FromSeconds(periodSeconds * 10));
        Drain().Should().BeEmpty();
        _fan.Status.Should().Be(new FanStatus(gear, top));
    }

    [Fact]
    public void Apply_GearChangedWhileOn_JumpsToTheNewGearsStartAndRisesAtItsPace()
    {
        _fan.Apply(new FanSpec(FanGear.Slow, On: true));
        _time.Advance(TimeSpan.FromSeconds(6));
        Drain();

        _fan.Apply(new FanSpec(FanGear.Fast, On: true));
        Drain().Should().Equal(new FanStatus(FanGear.Fast, 200));

        _time.Advance(TimeSpan.FromSeconds(1));
        Drain().Should().Equal(new FanStatus(FanGear.Fast, 201));
    }

    [Fact]
    public void Apply_SwitchedOff_DropsToZeroAndStopsRising()
    {
        _fan.Apply(new FanSpec(FanGear.Middle, On: true));
        _time.Advance(TimeSpan.FromSeconds(4));
        Drain().Should().HaveCount(3);

        _fan.Apply(new FanSpec(FanGear.Middle, On: false));
        Drain().Should().Equal(new FanStatus(FanGear.Middle, 0));

        _time.Advance(TimeSpan.FromSeconds(60));
        Drain().Should().BeEmpty();
    }

    [Fact]
    public void Apply_SwitchedOnAgain_StartsOverFromTheGearsStart()
    {
        _fan.Apply(new FanSpec(FanGear.Middle, On: true));
        _time.Advance(TimeSpan.FromSeconds(10));
        _fan.Apply(new FanSpec(FanGear.Middle, On: false));
        Drain();

        _fan.Apply(new FanSpec(FanGear.Middle, On: true));

        Drain().Should().Equal(new FanStatus(FanGear.Middle, 100));
    }

    [Fact]
    public void Apply_SameSpecAgain_ChangesNothingAndKeepsThePace()
    {
        _fan.Apply(new FanSpec(FanGear.Slow, On: true, "living_room"));
        _time.Advance(TimeSpan.FromSeconds(2));
        Drain();

        _fan.Apply(new FanSpec(FanGear.Slow, On: true, "living_room"));
        Drain().Should().BeEmpty();

        _time.Advance(TimeSpan.FromSeconds(1));
        Drain().Should().Equal(new FanStatus(FanGear.Slow, 1));
    }

    [Fact]
    public void Apply_FirstSpecOff_ReportsTheFanStandingStill()
    {
        _fan.Apply(new FanSpec(FanGear.Fast, On: false));

        Drain().Should().Equal(new FanStatus(FanGear.Fast, 0));
        _time.Advance(TimeSpan.FromSeconds(10));
        Drain().Should().BeEmpty();
    }

    [Fact]
    public void Dispose_WhileRunning_StopsRisingAndCompletesTheChanges()
    {
        _fan.Apply(new FanSpec(FanGear.Fast, On: true));
        Drain();

        _fan.Dispose();
        _time.Advance(TimeSpan.FromSeconds(5));

        _fan.Changes.Completion.IsCompleted.Should().BeTrue();
        _fan.Status.Should().Be(new FanStatus(FanGear.Fast, 200));
    }

    [Fact]
    public void FanStatus_AsJson_IsTheWholeStatusInTheDevicesNames()
    {
        var json = JsonSerializer.Serialize(new FanStatus(FanGear.Slow, 1), FanJsonContext.Default.FanStatus);

        json.Should().Be("""{"gear":"slow","rotatingSpeed":1}""");
        JsonSerializer.Serialize(new FanStatus(FanGear.Middle, 150), FanJsonContext.Default.FanStatus)
            .Should().Be("""{"gear":"middle","rotatingSpeed":150}""");
        JsonSerializer.Serialize(new FanStatus(FanGear.Fast, 300), FanJsonContext.Default.FanStatus)
            .Should().Be("""{"gear":"fast","rotatingSpeed":300}""");
    }

    private List<FanStatus> Drain()
    {
        var changes = new List<FanStatus>();
        while (_fan.Changes.TryRead(out var status))
        {
            changes.Add(status);
        }

        return changes;
    }
}
