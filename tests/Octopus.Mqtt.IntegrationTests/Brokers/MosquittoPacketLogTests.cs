using MQTTnet;
using MQTTnet.Formatter;
using MQTTnet.Protocol;

namespace Octopus.Mqtt.IntegrationTests.Brokers;

public sealed class MosquittoPacketLogTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public void TryParse_PublishWithTimestamp_ReadsFlagsIdAndTopic()
    {
        MosquittoPacketEntry.TryParse("1796309656: Received PUBLISH from dev-1 (d1, q2, r1, m5, 'a/b c, d', ... (11 bytes))", out var entry).Should().BeTrue();

        entry.Should().BeEquivalentTo(new
        {
            Direction = BrokerPacketDirection.Received,
            Type = MqttControlPacketType.Publish,
            ClientId = "dev-1",
            PacketId = (ushort)5,
            Dup = true,
            Qos = 2,
            Retain = true,
            Topic = "a/b c, d",
            PayloadLength = 11,
        });
    }

    [Theory]
    [InlineData("Sending PUBREC to dev-1 (m7, rc0)", BrokerPacketDirection.Sent, MqttControlPacketType.PubRec, 7, 0)]
    [InlineData("Received PUBREL from dev-1 (Mid: 7)", BrokerPacketDirection.Received, MqttControlPacketType.PubRel, 7, null)]
    [InlineData("Sending PUBCOMP to dev-1 (m7)", BrokerPacketDirection.Sent, MqttControlPacketType.PubComp, 7, null)]
    [InlineData("Received PUBACK from dev-1 (Mid: 65535, RC:16)", BrokerPacketDirection.Received, MqttControlPacketType.PubAck, 65535, 16)]
    [InlineData("Received PINGREQ from dev-1", BrokerPacketDirection.Received, MqttControlPacketType.PingReq, 0, null)]
    public void TryParse_Acknowledgement_ReadsIdAndReasonCode(string line, BrokerPacketDirection direction, MqttControlPacketType type, int packetId, int? reasonCode)
    {
        MosquittoPacketEntry.TryParse(line, out var entry).Should().BeTrue();

        entry.Should().BeEquivalentTo(new { Direction = direction, Type = type, ClientId = "dev-1", PacketId = (ushort)packetId, ReasonCode = reasonCode });
    }

    [Fact]
    public void TryParse_ConnAckAndConnect_ReadSessionAndConnectFlags()
    {
        MosquittoPacketEntry.TryParse("Sending CONNACK to dev-1 (1, 0)", out var connAck).Should().BeTrue();
        MosquittoPacketEntry.TryParse("New client connected from 127.0.0.1:5000 as dev-1 (p5, c0, k30, u'parchment').", out var connect).Should().BeTrue();

        connAck.Should().BeEquivalentTo(new { Type = MqttControlPacketType.ConnAck, SessionPresent = true, ReasonCode = 0 });
        connect.Should().BeEquivalentTo(new { Type = MqttControlPacketType.Connect, ClientId = "dev-1", ProtocolLevel = 5, CleanSession = false, KeepAlive = 30 });
    }

    [Theory]
    [InlineData("1796309654: mosquitto version 2.0.11 running")]
    [InlineData("Client dev-1 disconnected.")]
    [InlineData("\ta/# (QoS 2)")]
    [InlineData("Sending BANANA to dev-1")]
    public void TryParse_NotAPacket_ReturnsFalse(string line)
    {
        MosquittoPacketEntry.TryParse(line, out var entry).Should().BeFalse();
        entry.Should().BeNull();
    }

    [Theory]
    [InlineData(MqttProtocolVersion.V311)]
    [InlineData(MqttProtocolVersion.V500)]
    public async Task Packets_Qos1AndQos2Publish_ShowIdsAndHandshake(MqttProtocolVersion version)
    {
        await using var broker = await MosquittoBroker.StartAsync(cancellationToken: Token);
        var clientId = TestMqttClient.NewClientId();
        using var client = await TestMqttClient.ConnectAsync(Options(broker, clientId, version, clean: true), Token);

        var atLeastOnce = await client.PublishTextAsync("oracle/q1", "one", MqttQos.AtLeastOnce, retain: true, cancellationToken: Token);
        var exactlyOnce = await client.PublishTextAsync("oracle/q2", "two!", MqttQos.ExactlyOnce, cancellationToken: Token);
        var q1 = atLeastOnce.PacketIdentifier!.Value;
        var q2 = exactlyOnce.PacketIdentifier!.Value;

        await broker.Packets.WaitForAsync(e => e.Type == MqttControlPacketType.PubComp && e.ClientId == clientId);
        var flow = broker.Packets.Of(clientId).Where(e => e.PacketId != 0).Select(e => (e.Direction, e.Type, e.PacketId));
        flow.Should().Equal(
            (BrokerPacketDirection.Received, MqttControlPacketType.Publish, q1),
            (BrokerPacketDirection.Sent, MqttControlPacketType.PubAck, q1),
            (BrokerPacketDirection.Received, MqttControlPacketType.Publish, q2),
            (BrokerPacketDirection.Sent, MqttControlPacketType.PubRec, q2),
            (BrokerPacketDirection.Received, MqttControlPacketType.PubRel, q2),
            (BrokerPacketDirection.Sent, MqttControlPacketType.PubComp, q2));
        broker.Packets.Of(clientId).Where(e => e.Type == MqttControlPacketType.Publish).Should().BeEquivalentTo(
            [new { Dup = false, Qos = 1, Retain = true, Topic = "oracle/q1", PayloadLength = 3 }, new { Dup = false, Qos = 2, Retain = false, Topic = "oracle/q2", PayloadLength = 4 }],
            o => o.WithStrictOrdering());
    }

    [Fact]
    public async Task Packets_PersistentSessionReconnect_ShowSessionPresentAndDuplicateResend()
    {
        await using var broker = await MosquittoBroker.StartAsync(cancellationToken: Token);
        var clientId = TestMqttClient.NewClientId();
        const string Topic = "oracle/persistent";
        var received = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using (var subscriber = await TestMqttClient.ConnectAsync(Options(broker, clientId, MqttProtocolVersion.V311, clean: false), Token))
        {
            subscriber.ApplicationMessageReceivedAsync += e =>
            {
                e.AutoAcknowledge = false; // never acknowledged: mosquitto must send it again, with DUP, on the next connection
                received.TrySetResult();
                return Task.CompletedTask;
            };
            await subscriber.SubscribeAsync(Topic, MqttQualityOfServiceLevel.AtLeastOnce, Token);
            using var publisher = await TestMqttClient.ConnectAsync(broker.TcpServer, Token);
            await publisher.PublishTextAsync(Topic, "again", MqttQos.AtLeastOnce, cancellationToken: Token);
            await received.Task.WaitAsync(TestTimeouts.Arrival, Token);
            await subscriber.DisconnectAsync(new MqttClientDisconnectOptions(), Token);
        }

        using var again = await TestMqttClient.ConnectAsync(Options(broker, clientId, MqttProtocolVersion.V311, clean: false), Token);

        var connAcks = await broker.Packets.WaitForCountAsync(e => e.Type == MqttControlPacketType.ConnAck && e.ClientId == clientId, 2);
        connAcks.Select(e => e.SessionPresent).Should().Equal(false, true);
        var sent = await broker.Packets.WaitForCountAsync(e => e.Type == MqttControlPacketType.Publish && e.Direction == BrokerPacketDirection.Sent && e.ClientId == clientId, 2);
        sent.Select(e => e.Dup).Should().Equal(false, true);
        sent[1].PacketId.Should().Be(sent[0].PacketId).And.NotBe(0);
        broker.Packets.Of(clientId).Where(e => e.Type == MqttControlPacketType.Connect).Select(e => e.CleanSession).Should().Equal(false, false);
    }

    private static MqttClientOptions Options(MosquittoBroker broker, string clientId, MqttProtocolVersion version, bool clean) =>
        new MqttClientOptionsBuilder()
            .WithTcpServer("127.0.0.1", broker.TcpPort)
            .WithClientId(clientId)
            .WithProtocolVersion(version)
            .WithCleanSession(clean)
            .WithSessionExpiryInterval(clean ? 0u : 300u)
            .Build();
}
