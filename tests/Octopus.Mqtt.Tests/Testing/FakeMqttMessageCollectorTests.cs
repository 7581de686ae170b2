using Octopus.Mqtt.Testing;
using static Octopus.Mqtt.Tests.Testing.FakeSetup;

namespace Octopus.Mqtt.Tests.Testing;

public sealed class FakeMqttMessageCollectorTests
{
    private readonly FakeMqttBroker _broker = new();

    private FakeMqttMessageCollector Collector => _broker.Published;

    private Task<int> PublishAsync(string payload, string topic = "devices/fan") => _broker.PublishAsync(topic, Bytes(payload), cancellationToken: Ct);

    [Fact]
    public async Task Count_LatestRecord_GetSnapshot_FollowArrivals()
    {
        await PublishAsync("one");
        await PublishAsync("two");

        Collector.Count.Should().Be(2);
        Collector.LatestRecord.PayloadText.Should().Be("two");
        Collector.GetSnapshot().Select(m => m.PayloadText).Should().Equal("one", "two");
    }

    [Fact]
    public void LatestRecord_Empty_Throws()
    {
        Collector.Invoking(c => c.LatestRecord).Should().Throw<InvalidOperationException>().WithMessage("No message has been recorded.");
    }

    [Fact]
    public async Task GetSnapshot_Clear_ForgetsWhatItReturns()
    {
        await PublishAsync("one");

        var snapshot = Collector.GetSnapshot(clear: true);

        snapshot.Should().ContainSingle();
        Collector.Count.Should().Be(0);
    }

    [Fact]
    public async Task Clear_CountStartsAgain()
    {
        await PublishAsync("one");

        Collector.Clear();
        await PublishAsync("two");

        Collector.GetSnapshot().Select(m => m.PayloadText).Should().Equal("two");
    }

    [Fact]
    public async Task WaitForCountAsync_AlreadyThere_ReturnsTheFirstOnes()
    {
        await PublishAsync("one");
        await PublishAsync("two");

        var first = await Collector.WaitForCountAsync(1, Ct);

        first.Select(m => m.PayloadText).Should().Equal("one");
    }

    [Fact]
    public async Task WaitForCountAsync_Later_CompletesOnTheArrival()
    {
        var waiting = Collector.WaitForCountAsync(2, TimeSpan.FromSeconds(10));
        await PublishAsync("one");
        waiting.IsCompleted.Should().BeFalse();

        await PublishAsync("two");

        (await waiting).Select(m => m.PayloadText).Should().Equal("one", "two");
    }

    [Fact]
    public async Task WaitForCountAsync_Timeout_ThrowsListingWhatArrived()
    {
        await PublishAsync("one");

        var wait = () => Collector.WaitForCountAsync(2, TimeSpan.FromMilliseconds(20));

        await wait.Should().ThrowAsync<TimeoutException>()
            .WithMessage("""Waited 0.02s for 2 message(s); 1 message(s) arrived: [devices/fan q1 "one" from fake-test-publisher]""");
    }

    [Fact]
    public async Task WaitForCountAsync_Cancelled_Throws()
    {
        using var cancel = new CancellationTokenSource();
        var waiting = Collector.WaitForCountAsync(1, cancel.Token);

        await cancel.CancelAsync();

        await waiting.Awaiting(w => w).Should().ThrowAsync<OperationCanceledException>();
        await PublishAsync("one");
        Collector.Count.Should().Be(1);
    }

    [Fact]
    public async Task WaitForCountAsync_Negative_Throws()
    {
        var wait = () => Collector.WaitForCountAsync(-1, Ct);

        await wait.Should().ThrowAsync<ArgumentOutOfRangeException>();
    }

    [Fact]
    public async Task WaitForMessageAsync_AlreadyThere_ReturnsTheFirstMatch()
    {
        await PublishAsync("a1", "devices/a");
        await PublishAsync("b1", "devices/b");
        await PublishAsync("a2", "devices/a");

        var message = await Collector.WaitForMessageAsync(m => m.Topic == "devices/a", Ct);

        message.PayloadText.Should().Be("a1");
    }

    [Fact]
    public async Task WaitForMessageAsync_Later_CompletesOnTheMatchingArrival()
    {
        var waiting = Collector.WaitForMessageAsync(m => m.PayloadText == "wanted", Ct);
        await PublishAsync("other");
        waiting.IsCompleted.Should().BeFalse();

        await PublishAsync("wanted");

        (await waiting).PayloadText.Should().Be("wanted");
    }

    [Fact]
    public async Task WaitForMessageAsync_Timeout_ThrowsListingWhatArrived()
    {
        await PublishAsync("other");

        var wait = () => Collector.WaitForMessageAsync(m => m.PayloadText == "wanted", TimeSpan.FromMilliseconds(20));

        await wait.Should().ThrowAsync<TimeoutException>()
            .WithMessage("""Waited 0.02s for a matching message; 1 message(s) arrived: [devices/fan q1 "other" from fake-test-publisher]""");
    }
}
