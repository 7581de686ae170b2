using System.Globalization;
using System.Text;
using MQTTnet.Protocol;
using Octopus.Mqtt.IntegrationTests.Brokers;
using Octopus.Mqtt.IntegrationTests.Engine;

namespace Octopus.Mqtt.IntegrationTests.Session;

/// <summary>
/// Devices with <c>cleanSession: false</c> keep publishing numbered QoS 1 sequences (<c>order: true</c>) while
/// mosquitto, with persistence saved on every change, is SIGKILLed and started again, each time while messages are
/// in flight. Mosquitto's log is the oracle: every message arrives, first arrivals in order, and a duplicate is only a
/// DUP resend with the original packet id (or a resend as new after a CONNACK without session, logged as such).
/// </summary>
public sealed class PersistentChaosTests
{
    private const int Devices = 4;
    private const int MinPerDevice = 150;
    private const int MaxPerDevice = 1500;
    private const int Kills = 3;
    private const int SessionLostEvent = 1501;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task PublishAsync_MosquittoKilledWhileMessagesInFlight_EveryMessageInOrderDuplicatesOnlyDupResends()
    {
        var output = TestContext.Current.TestOutputHelper!;
        var persistence = Directory.CreateTempSubdirectory("octopus-mosquitto-db-").FullName;
        try
        {
            await using var broker = await MosquittoBroker.StartAsync(
                new MosquittoOptions { ExtraConfiguration = ["persistence true", $"persistence_location {persistence}/", "autosave_on_changes true", "autosave_interval 1"] }, Ct);
            var builders = Enumerable.Range(0, Devices).Select(_ =>
            {
                var builder = new EngineBuilder(broker.TcpPort);
                builder.Client.CleanSession = false;
                builder.Client.Order = true;
                builder.Client.MessageChannelDepth = MaxPerDevice + 1;
                return builder;
            }).ToArray();
            var clients = builders.Select(b => b.Build()).ToArray();
            try
            {
                await Task.WhenAll(clients.Select(c => c.ConnectAsync(Ct)));
                var qos1 = new MqttPublishOptions { Qos = MqttQos.AtLeastOnce, Retained = false };

                // The devices publish until the kills are over (at least MinPerDevice each), so every kill meets
                // messages in flight however fast or slow this machine is.
                using var stop = new CancellationTokenSource();
                var streams = clients.Select(client => Task.Run(async () =>
                {
                    var results = new List<MqttPublishResult>();
                    for (var i = 0; i < MaxPerDevice && (i < MinPerDevice || !stop.IsCancellationRequested); i++)
                    {
                        results.Add(await client.PublishAsync(Encoding.UTF8.GetBytes(Payload(i)), qos1, Ct));
                    }

                    return results;
                })).ToArray();

                var inFlightAtKill = new List<int>();
                for (var kill = 1; kill <= Kills; kill++)
                {
                    await Poll.UntilAsync(() => clients.Sum(c => c.InFlightCount) > 0, "a message in flight");
                    var connectedBefore = builders.Select(b => b.States.CountOf(MqttConnectionState.Connected)).ToArray();
                    inFlightAtKill.Add(clients.Sum(c => c.InFlightCount));
                    await broker.KillAsync();
                    await broker.StartAsync(Ct);
                    await Task.WhenAll(builders.Select((b, i) => b.States.WaitForAsync(MqttConnectionState.Connected, connectedBefore[i] + 1)));
                }

                await stop.CancelAsync();
                var published = await Task.WhenAll(streams).WaitAsync(TimeSpan.FromSeconds(30), Ct);
                published.SelectMany(r => r).Should().NotContain(r => r.Status == MqttPublishStatus.Dropped);
                for (var d = 0; d < Devices; d++)
                {
                    var count = published[d].Count;
                    await broker.Packets.WaitForAsync(e => IsPublishOf(e, builders[d]) && e.PayloadLength == count, TimeSpan.FromSeconds(20));
                }

                inFlightAtKill.Should().OnlyContain(n => n > 0, "each kill hit messages awaiting their PUBACK");
                var duplicates = 0;
                var dupResends = 0;
                var sessionLost = 0;
                for (var d = 0; d < Devices; d++)
                {
                    var builder = builders[d];
                    var entries = broker.Packets.Of(builder.ClientId);
                    var arrivals = entries.Where(e => IsPublishOf(e, builder)).ToList();
                    var indexes = arrivals.Select(e => e.PayloadLength!.Value - 1).ToList();
                    indexes.Distinct().Should().Equal(Enumerable.Range(0, published[d].Count), $"every message of {builder.ClientId} arrives, first arrivals in call order");
                    dupResends += arrivals.Count(e => e.Dup);
                    var lost = builder.Logger.Collector.GetSnapshot().Count(r => r.Id.Id == SessionLostEvent);
                    sessionLost += lost;
                    var firstOf = new Dictionary<int, MosquittoPacketEntry>();
                    foreach (var arrival in arrivals)
                    {
                        var i = arrival.PayloadLength!.Value - 1;
                        if (!firstOf.TryAdd(i, arrival))
                        {
                            duplicates++;
                            if (lost == 0)
                            {
                                arrival.Dup.Should().BeTrue($"with the session kept a duplicate is a resend: {arrival}");
                                arrival.PacketId.Should().Be(firstOf[i].PacketId, $"a resend keeps its packet id: {arrival}");
                            }
                        }
                    }

                    var noSession = entries.Count(e => e.Type == MqttControlPacketType.ConnAck && e.SessionPresent == false) - 1;
                    lost.Should().Be(noSession, "the client logs a lost session exactly when a reconnect's CONNACK says none");
                }

                duplicates.Should().BeLessThanOrEqualTo(dupResends, "every duplicate arrival is a DUP resend");
                duplicates.Should().BeLessThanOrEqualTo(inFlightAtKill.Sum() + (Devices * Kills), "at most what was in flight at the kills comes twice");
                output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"kills {Kills}; in flight at each kill [{string.Join(", ", inFlightAtKill)}]; arrivals {published.Sum(r => r.Count)} distinct; duplicates {duplicates}; DUP resends {dupResends}; sessions lost {sessionLost}"));
            }
            finally
            {
                foreach (var client in clients)
                {
                    await client.DisposeAsync();
                }
            }
        }
        finally
        {
            Directory.Delete(persistence, recursive: true);
        }
    }

    private static bool IsPublishOf(MosquittoPacketEntry e, EngineBuilder builder) =>
        e.ClientId == builder.ClientId && e.Direction == BrokerPacketDirection.Received && e.Type == MqttControlPacketType.Publish && e.Topic == builder.Topic && e.PayloadLength <= MaxPerDevice;

    /// <summary>The payload of message <paramref name="index"/>: index + 1 characters, so mosquitto's logged length names it.</summary>
    private static string Payload(int index) => index.ToString(CultureInfo.InvariantCulture).PadLeft(index + 1, '0');
}
