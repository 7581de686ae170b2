namespace Octopus.Mqtt.Tests.Connection;

public sealed class PingWatchdogTests
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(3);
    private static readonly TimeSpan PingTimeout = TimeSpan.FromSeconds(2);

    [Fact]
    public void GetInterval_KeepAlive_IsThreeQuartersOfIt()
    {
        PingWatchdog.GetInterval(TimeSpan.FromSeconds(30)).Should().Be(TimeSpan.FromSeconds(22.5));
        PingWatchdog.GetInterval(TimeSpan.FromSeconds(1)).Should().Be(TimeSpan.FromMilliseconds(750));
        PingWatchdog.GetInterval(TimeSpan.FromTicks(10)).Should().Be(TimeSpan.FromMilliseconds(100));
    }

    [Fact]
    public async Task RunAsync_AnsweredPings_PingsEveryIntervalAndKeepsGoing()
    {
        var time = new TrackingTimeProvider();
        var pings = 0;
        using var stop = new CancellationTokenSource();
        var watchdog = PingWatchdog.RunAsync(_ => { Interlocked.Increment(ref pings); return Task.CompletedTask; }, Interval, PingTimeout, time, stop.Token);

        for (var expected = 1; expected <= 3; expected++)
        {
            await Eventually.TrueAsync(() => time.HasTimerDueIn(Interval), "the watchdog waits for the next ping");
            time.Advance(Interval);
            var count = expected;
            await Eventually.TrueAsync(() => Volatile.Read(ref pings) == count, $"ping {count} sent");
        }

        watchdog.IsCompleted.Should().BeFalse();
        await stop.CancelAsync();
        (await watchdog.WaitAsync(Eventually.DefaultTimeout, TestContext.Current.CancellationToken)).Should().BeNull();
    }

    [Fact]
    public async Task RunAsync_UnansweredPing_DeclaresDeadExactlyAfterPingTimeout()
    {
        var time = new TrackingTimeProvider();
        var pinged = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var watchdog = PingWatchdog.RunAsync(ct => { pinged.TrySetResult(); return Task.Delay(Timeout.Infinite, ct); }, Interval, PingTimeout, time, CancellationToken.None);

        await Eventually.TrueAsync(() => time.HasTimerDueIn(Interval), "the watchdog waits for the first ping");
        time.Advance(Interval);
        await pinged.Task.WaitAsync(Eventually.DefaultTimeout, TestContext.Current.CancellationToken);
        await Eventually.TrueAsync(() => time.HasTimerDueIn(PingTimeout), "the ping timeout is armed");

        time.Advance(PingTimeout - TimeSpan.FromMilliseconds(1));
        watchdog.IsCompleted.Should().BeFalse("the ping timeout has not passed yet");
        time.Advance(TimeSpan.FromMilliseconds(1));

        var failure = await watchdog.WaitAsync(Eventually.DefaultTimeout, TestContext.Current.CancellationToken);
        failure.Should().BeOfType<TimeoutException>().Which.Message.Should().Be("The broker did not answer a ping (PINGREQ) within client.pingTimeout 2s.");
    }

    [Fact]
    public async Task RunAsync_PingThrows_ReturnsTheException()
    {
        var time = new TrackingTimeProvider();
        var broken = new InvalidOperationException("not connected");
        var watchdog = PingWatchdog.RunAsync(_ => Task.FromException(broken), Interval, PingTimeout, time, CancellationToken.None);

        await Eventually.TrueAsync(() => time.HasTimerDueIn(Interval), "the watchdog waits for the first ping");
        time.Advance(Interval);

        (await watchdog.WaitAsync(Eventually.DefaultTimeout, TestContext.Current.CancellationToken)).Should().BeSameAs(broken);
    }

    [Fact]
    public async Task RunAsync_StoppedDuringPing_ReturnsNull()
    {
        var time = new TrackingTimeProvider();
        using var stop = new CancellationTokenSource();
        var pinged = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var watchdog = PingWatchdog.RunAsync(ct => { pinged.TrySetResult(); return Task.Delay(Timeout.Infinite, ct); }, Interval, PingTimeout, time, stop.Token);

        await Eventually.TrueAsync(() => time.HasTimerDueIn(Interval), "the watchdog waits for the first ping");
        time.Advance(Interval);
        await pinged.Task.WaitAsync(Eventually.DefaultTimeout, TestContext.Current.CancellationToken);
        await stop.CancelAsync();

        (await watchdog.WaitAsync(Eventually.DefaultTimeout, TestContext.Current.CancellationToken)).Should().BeNull();
    }
}
