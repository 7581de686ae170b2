using System.Diagnostics;
using System.Globalization;
using Octopus.Mqtt.IntegrationTests.Brokers;
using Octopus.Mqtt.IntegrationTests.Publishing;

namespace Octopus.Mqtt.IntegrationTests.Reliability;

/// <summary>
/// Two device clients with one client ID on one mosquitto (a DaemonSet's rolling update, a DeviceLink moving nodes):
/// each connection kicks the other off. The clients must not take turns once a second: each waits
/// <c>maxReconnectInterval</c> after being taken over, says so, and counts it.
/// </summary>
public sealed class TakeoverTests
{
    private static readonly TimeSpan MaxReconnectInterval = TimeSpan.FromSeconds(3);
    private static readonly TimeSpan Watch = TimeSpan.FromSeconds(9);

    [Theory]
    [InlineData(5)]
    [InlineData(4)]
    public async Task ConnectAsync_TwoClientsWithOneClientId_ConnectAFewTimesAMinuteNotOnceASecond(int protocolVersion)
    {
        var output = TestContext.Current.TestOutputHelper!;
        await using var broker = await MosquittoBroker.StartAsync(cancellationToken: TestContext.Current.CancellationToken);
        await using var first = Builder(broker, protocolVersion);
        await using var second = Builder(broker, protocolVersion);
        second.Device = first.Device;
        var one = await first.ConnectAsync();

        var clock = Stopwatch.StartNew();
        var two = await second.ConnectAsync();
        await Poll.UntilAsync(() => clock.Elapsed >= Watch, "the watch is over", Watch + TimeSpan.FromSeconds(5));

        var connections = first.States.CountOf(MqttConnectionState.Connected) + second.States.CountOf(MqttConnectionState.Connected) - 1;
        var perMinute = connections * 60 / clock.Elapsed.TotalSeconds;
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"MQTT {protocolVersion}: {connections} connections in {clock.Elapsed.TotalSeconds:F1} s ({perMinute:F0} a minute) with maxReconnectInterval {MaxReconnectInterval.TotalSeconds} s; takeover warnings {first.LogCount(1017) + second.LogCount(1017)}"));

        // One connection per half a maxReconnectInterval at most (the jitter waits between half and all of it),
        // plus the first; fighting clients would connect about once a second each.
        var bound = 1 + (int)(Watch / (MaxReconnectInterval / 2)) + 1;
        connections.Should().BeLessThanOrEqualTo(bound);
        (first.LogCount(1017) + second.LogCount(1017)).Should().BePositive("the client taken over says another client with its ID is connected");
        (((MqttDeviceClient)one).TakeoverCount + ((MqttDeviceClient)two).TakeoverCount).Should().BePositive();
        first.Logs.GetSnapshot().Concat(second.Logs.GetSnapshot()).Should().Contain(r => r.Id.Id == 1017 && r.Message.Contains(first.ClientId, StringComparison.Ordinal));
        new[] { one, two }.Select(c => ((IDeviceClientHealth)c).Problem).Should().Contain(p => p != null && p.StartsWith("another client with this client ID", StringComparison.Ordinal));
    }

    private static DeviceClientBuilder Builder(MosquittoBroker broker, int protocolVersion)
    {
        var builder = new DeviceClientBuilder(broker.TcpServer);
        builder.Options.Client.ProtocolVersion = protocolVersion;
        builder.Options.Client.MaxReconnectInterval = GoDuration.FromTimeSpan(MaxReconnectInterval);
        builder.Options.Client.StableConnectionTime = GoDuration.FromSeconds(5);
        return builder;
    }
}
