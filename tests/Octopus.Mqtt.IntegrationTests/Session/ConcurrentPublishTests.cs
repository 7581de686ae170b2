using MQTTnet.Protocol;
using Octopus.Mqtt.IntegrationTests.Brokers;
using Octopus.Mqtt.IntegrationTests.Engine;

namespace Octopus.Mqtt.IntegrationTests.Session;

/// <summary>
/// Eight tasks publish their own numbered sequences on one device (each call awaited before the next), 200 calls in
/// all against a queue of <see cref="Depth"/>, starting while the broker refuses connections so the queue fills up.
/// What the broker saw must agree with what each call was told, under each overflow policy.
/// </summary>
public sealed class ConcurrentPublishTests
{
    private const int Depth = 4;
    private const int Tasks = 8;
    private const int PerTask = 25;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task PublishAsync_WaitPolicyManyMoreCallsThanDepth_EachTaskInCallOrderNoneLostNoneStarved()
    {
        var (calls, arrived, client) = await RunAsync(MqttQueueOverflowPolicy.Wait);
        await using var _ = client;

        calls.Should().OnlyContain(c => c.Result != null && c.Result.Status != MqttPublishStatus.Dropped, "a waiting call is admitted, not dropped");
        arrived.Should().OnlyHaveUniqueItems().And.HaveCount(Tasks * PerTask, "none lost, none twice");
        EachTaskInCallOrder(arrived);

        // Fairness: a call waiting for room is admitted before any call that started waiting later. Later calls can only
        // pass one before it reaches the queue's gate: the test's ticket is taken a moment earlier, and on a loaded
        // machine the calling thread may be descheduled in between while other tasks go on. A starving (last in,
        // first out) admission lets well over a hundred later calls pass one call; the bound allows one task's worth.
        var position = arrived.Select((text, i) => (text, i)).ToDictionary(x => x.text, x => x.i);
        var overtaken = calls.Max(c => calls.Count(later => later.Ticket > c.Ticket && position[later.Text] < position[c.Text]));
        TestContext.Current.TestOutputHelper?.WriteLine($"the most later calls that overtook one call: {overtaken}");
        overtaken.Should().BeLessThanOrEqualTo(PerTask, "no waiting call starves while later ones pass it");
    }

    [Theory]
    [InlineData(MqttQueueOverflowPolicy.DropOldest)]
    [InlineData(MqttQueueOverflowPolicy.DropNewest)]
    [InlineData(MqttQueueOverflowPolicy.Refuse)]
    public async Task PublishAsync_DropOrRefusePolicyManyMoreCallsThanDepth_BrokerSawWhatTheCallsWereTold(MqttQueueOverflowPolicy policy)
    {
        var (calls, arrived, client) = await RunAsync(policy);
        await using var _ = client;

        arrived.Should().OnlyHaveUniqueItems();
        EachTaskInCallOrder(arrived);
        calls.Where(c => c.Result == MqttPublishResult.Delivered).Select(c => c.Text).Should().BeSubsetOf(arrived, "a Delivered call arrived");
        calls.Where(c => c.Result?.Status == MqttPublishStatus.Dropped).Select(c => c.Text).Should().NotIntersectWith(arrived, "a Dropped call did not arrive");
        calls.Where(c => c.Refused).Select(c => c.Text).Should().NotIntersectWith(arrived, "a refused call did not arrive");
        (arrived.Count + client.DroppedCount + calls.Count(c => c.Refused)).Should().Be(Tasks * PerTask, "every call arrived, was counted dropped, or was refused");
        switch (policy)
        {
            case MqttQueueOverflowPolicy.DropNewest:
                calls.Count(c => c.Result?.Status == MqttPublishStatus.Dropped).Should().Be((int)client.DroppedCount, "DropNewest drops the call that found the queue full");
                break;
            case MqttQueueOverflowPolicy.Refuse:
                calls.Should().Contain(c => c.Refused);
                client.DroppedCount.Should().Be(0);
                break;
            default:
                client.DroppedCount.Should().BePositive();
                calls.Should().NotContain(c => c.Result!.Status == MqttPublishStatus.Dropped && c.Result.DropReason != MqttDropReason.QueueOverflow);
                break;
        }
    }

    private static void EachTaskInCallOrder(IReadOnlyList<string> arrived)
    {
        foreach (var task in Enumerable.Range(0, Tasks))
        {
            var numbers = arrived.Where(t => t.StartsWith($"t{task}-", StringComparison.Ordinal)).Select(t => int.Parse(t[(t.IndexOf('-', StringComparison.Ordinal) + 1)..], System.Globalization.CultureInfo.InvariantCulture)).ToList();
            numbers.Should().BeInAscendingOrder($"task {task}'s messages arrive in its call order");
        }
    }

    /// <summary>Runs the publishers: they start while the broker refuses connections, which it accepts again once the queue is full.</summary>
    private static async Task<(List<Call> Calls, IReadOnlyList<string> Arrived, MqttDeviceClient Client)> RunAsync(MqttQueueOverflowPolicy policy)
    {
        var broker = ScriptedBroker.Start();
        await using var __ = broker;
        var builder = new EngineBuilder(broker.Port);
        builder.Client.MessageChannelDepth = Depth;
        builder.Client.Order = true;
        builder.Options.QueueOverflowPolicy = policy;
        var client = builder.Build();
        await client.ConnectAsync(Ct);
        broker.Behavior.ConnectReasonCode = MqttConnectReasonCode.ServerUnavailable;
        (await broker.WaitForConnectionAsync(builder.ClientId)).Cut();
        await builder.States.WaitForAsync(MqttConnectionState.Reconnecting);

        // Under Wait the publishers block while offline; under the other policies half of each sequence goes while
        // offline (the queue overflows) and the rest after the reconnect (Delivered, told so).
        var halfway = policy == MqttQueueOverflowPolicy.Wait ? null : new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var atHalfway = 0;
        var ticket = 0;
        var calls = new List<Call>();
        var qos1 = new MqttPublishOptions { Qos = MqttQos.AtLeastOnce };
        var publishers = Enumerable.Range(0, Tasks).Select(task => Task.Run(async () =>
        {
            var mine = new List<Call>();
            for (var n = 0; n < PerTask; n++)
            {
                if (halfway is not null && n == PerTask / 2)
                {
                    Interlocked.Increment(ref atHalfway);
                    await halfway.Task;
                }

                var call = new Call($"t{task}-{n}", Interlocked.Increment(ref ticket));
                try
                {
                    call.Result = await client.PublishAsync(System.Text.Encoding.UTF8.GetBytes(call.Text), qos1, Ct);
                }
                catch (MqttDeviceClientException)
                {
                    call.Refused = true;
                }

                mine.Add(call);
            }

            return mine;
        })).ToList();

        await Poll.UntilAsync(() => client.QueuedCount >= Depth && (halfway is null || Volatile.Read(ref atHalfway) == Tasks), "a full queue");
        broker.Behavior.ConnectReasonCode = MqttConnectReasonCode.Success;
        await builder.States.WaitForAsync(MqttConnectionState.Connected, 2);
        if (halfway is not null)
        {
            await Poll.UntilAsync(() => client.QueuedCount == 0 && client.InFlightCount == 0, "the offline half sent");
            halfway.SetResult();
        }
        foreach (var publisher in publishers)
        {
            calls.AddRange(await publisher.WaitAsync(TestTimeouts.Arrival, Ct));
        }

        await Poll.UntilAsync(() => client.QueuedCount == 0 && client.InFlightCount == 0, "the queue drained");
        var arrived = broker.Delivered.GetSnapshot().Where(d => d.ClientId == builder.ClientId).Select(d => d.PayloadText).ToList();
        TestContext.Current.TestOutputHelper?.WriteLine($"{policy}: {arrived.Count} arrived, {client.DroppedCount} dropped, {calls.Count(c => c.Refused)} refused, " +
            $"{calls.Count(c => c.Result == MqttPublishResult.Delivered)} told Delivered, {calls.Count(c => c.Result == MqttPublishResult.Queued)} told Queued");
        return (calls, arrived, client);
    }

    private sealed class Call(string text, int ticket)
    {
        public string Text { get; } = text;

        public int Ticket { get; } = ticket;

        public MqttPublishResult? Result { get; set; }

        public bool Refused { get; set; }
    }
}
