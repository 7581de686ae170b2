using MQTTnet.Protocol;
using Octopus.Mqtt.IntegrationTests.Brokers;
using Octopus.Mqtt.IntegrationTests.Engine;

namespace Octopus.Mqtt.IntegrationTests.Session;

/// <summary>
/// Broker limits and quirks: RabbitMQ 3.x answering a QoS 2 PUBLISH with PUBACK, and the MQTT 5 Receive Maximum.
/// </summary>
public sealed class BrokerQuirkTests
{
    private const int PubAckForQos2Event = 1502;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task PublishAsync_Qos2AnsweredWithPubAck_DeliveredInOrderLoggedOncePerConnectionNoStall()
    {
        await using var broker = ScriptedBroker.Start();
        broker.Behavior.AnswerQos2WithPubAck = true;
        var builder = new EngineBuilder(broker.Port);
        builder.Client.Order = true;
        await using var client = builder.Build();
        await client.ConnectAsync(Ct);
        var qos2 = new MqttPublishOptions { Qos = MqttQos.ExactlyOnce };

        var first = await Task.WhenAll(Enumerable.Range(0, 20).Select(i => client.PublishAsync(Text("a" + i), qos2, Ct).AsTask()));
        (await broker.WaitForConnectionAsync(builder.ClientId)).Cut();
        await builder.States.WaitForAsync(MqttConnectionState.Connected, 2);
        var second = await Task.WhenAll(Enumerable.Range(0, 20).Select(i => client.PublishAsync(Text("b" + i), qos2, Ct).AsTask()));

        first.Concat(second).Should().OnlyContain(r => r == MqttPublishResult.Delivered);
        broker.Delivered.GetSnapshot().Select(d => d.PayloadText).Should().Equal(
            Enumerable.Range(0, 20).Select(i => "a" + i).Concat(Enumerable.Range(0, 20).Select(i => "b" + i)), "nothing stalls behind the PUBACK, order holds");
        broker.Packets.GetSnapshot().Should().NotContain(p => p.Type == MqttControlPacketType.PubRel, "no PUBREL for a message the broker acknowledged with PUBACK");
        broker.Connections.Count.Should().Be(2, "the PUBACK is not taken for a protocol error");
        builder.Logger.Collector.GetSnapshot().Count(r => r.Id.Id == PubAckForQos2Event).Should().Be(2, "once per connection");
    }

    [Fact]
    public async Task PublishAsync_ReceiveMaximum3WithHeldAcknowledgements_NeverMoreThan3Unacknowledged()
    {
        await using var broker = ScriptedBroker.Start();
        broker.Behavior.ConnAck = connAck => connAck.ReceiveMaximum = 3;
        var builder = new EngineBuilder(broker.Port);
        builder.Client.ProtocolVersion = 5;
        builder.Client.Order = false;
        builder.Client.MessageChannelDepth = 100;
        await using var client = builder.Build();
        await client.ConnectAsync(Ct);

        broker.HoldAcknowledgements();
        var calls = Enumerable.Range(0, 30).Select(i => client.PublishAsync(Text("m" + i), new MqttPublishOptions { Qos = MqttQos.AtLeastOnce }, Ct).AsTask()).ToList();
        for (var round = 1; round <= 3; round++)
        {
            // Held: the client must stop at 3; then every held answer goes out at once and the next 3 come.
            var expected = 3 * round;
            await broker.Packets.WaitUntilAsync(all => all.Count(IsPublish) >= expected, $"{expected} PUBLISH");
            await broker.ReleaseAcknowledgementsAsync();
            broker.HoldAcknowledgements();
        }

        await broker.ReleaseAcknowledgementsAsync();
        (await Task.WhenAll(calls).WaitAsync(TestTimeouts.Arrival, Ct)).Should().OnlyContain(r => r == MqttPublishResult.Delivered);

        var packets = broker.Packets.GetSnapshot();
        var (peak, _) = packets.Aggregate((Peak: 0, Open: 0), (state, p) =>
        {
            var open = state.Open + (IsPublish(p) ? 1 : 0) - (p.Direction == BrokerPacketDirection.Sent && p.Type == MqttControlPacketType.PubAck ? 1 : 0);
            return (Math.Max(state.Peak, open), open);
        });
        broker.Connections.Count.Should().Be(1);
        peak.Should().Be(3, "the client honours the broker's Receive Maximum exactly: 3 unacknowledged, never more");
        broker.Delivered.GetSnapshot().Select(d => d.PayloadText).Should().BeEquivalentTo(Enumerable.Range(0, 30).Select(i => "m" + i));
    }

    private static bool IsPublish(ScriptedPacket p) => p.Direction == BrokerPacketDirection.Received && p.Type == MqttControlPacketType.Publish;

    private static byte[] Text(string text) => System.Text.Encoding.UTF8.GetBytes(text);
}
