using System.Diagnostics;
using System.Globalization;
using System.Text;
using Octopus.Mqtt.IntegrationTests.Brokers;
using Octopus.Mqtt.IntegrationTests.Publishing;

namespace Octopus.Mqtt.IntegrationTests.Interop;

/// <summary>
/// A real two-node RabbitMQ cluster (Debian's rabbitmq-server with its MQTT plugin): a device on node 1, with node 2 in
/// <c>client.servers</c>, publishes a numbered QoS 1 sequence while node 1 is SIGKILLed; a subscriber on node 2 sees
/// every message, in order, those routed across from node 1 before its death and those sent to node 2 after.
/// </summary>
public sealed class RabbitMqClusterTests
{
    private const int Messages = 200;

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task PublishAsync_NodeKilledMidStream_DeviceMovesToTheOtherNodeAndASubscriberThereSeesEveryMessageInOrder()
    {
        var output = TestContext.Current.TestOutputHelper!;
        var clock = Stopwatch.StartNew();
        await using var cluster = await RabbitMqCluster.StartAsync(Token);
        output.WriteLine($"cluster started and joined in {clock.Elapsed.TotalSeconds:F1} s");
        await using var subscriber = await MqttTestSubscriber.ConnectAsync(cluster.MqttServer(1), "octopus/test/#");
        var store = Directory.CreateTempSubdirectory("octopus-mqtt-rabbitmq-").FullName;
        try
        {
            await using var devices = new DeviceClientBuilder(cluster.MqttServer(0));
            devices.Options.Client.Servers = [cluster.MqttServer(1)];
            devices.Options.Client.ProtocolVersion = 4;
            devices.Options.Client.Store = new MqttStoreSettings { Type = MqttStoreType.File, DirectoryPrefix = store };
            devices.Options.Client.MessageChannelDepth = Messages + 1;
            devices.Options.Message.Qos = MqttQos.AtLeastOnce;
            devices.Options.Message.Retained = false;
            var client = await devices.ConnectAsync();
            client.ConnectedServer.Should().Be(cluster.MqttServer(0));

            var stream = Task.Run(
                async () =>
                {
                    var results = new List<MqttPublishResult>(Messages);
                    for (var i = 0; i < Messages; i++)
                    {
                        results.Add(await client.PublishAsync(Encoding.UTF8.GetBytes(i.ToString(CultureInfo.InvariantCulture)), null, Token));
                    }

                    return results;
                },
                Token);
            await subscriber.Messages.WaitForAsync(m => m.Topic == devices.Topic && m.PayloadText == (Messages / 3).ToString(CultureInfo.InvariantCulture), TimeSpan.FromSeconds(30));
            var failover = Stopwatch.StartNew();
            await cluster.KillAsync(0);
            await devices.WaitForStateAsync(MqttConnectionState.Connected, 2);
            output.WriteLine($"failover to node 2 in {failover.Elapsed.TotalMilliseconds:F0} ms");
            client.ConnectedServer.Should().Be(cluster.MqttServer(1));

            (await stream).Should().NotContain(r => r.Status == MqttPublishStatus.Dropped);
            await subscriber.Messages.WaitForAsync(m => m.Topic == devices.Topic && m.PayloadText == (Messages - 1).ToString(CultureInfo.InvariantCulture), TimeSpan.FromSeconds(30));
            var seen = subscriber.Messages.GetSnapshot().Where(m => m.Topic == devices.Topic).Select(m => int.Parse(m.PayloadText, CultureInfo.InvariantCulture)).ToList();
            seen.Distinct().Should().Equal(Enumerable.Range(0, Messages), "the subscriber on the surviving node sees every message once at least, first arrivals in publish order");
            output.WriteLine($"{Messages} messages, {seen.Count - Messages} duplicates at the subscriber; {clock.Elapsed.TotalSeconds:F1} s in all");
        }
        finally
        {
            Directory.Delete(store, recursive: true);
        }
    }
}
