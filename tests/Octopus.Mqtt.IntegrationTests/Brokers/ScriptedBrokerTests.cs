using MQTTnet;
using MQTTnet.Formatter;
using MQTTnet.Protocol;

namespace Octopus.Mqtt.IntegrationTests.Brokers;

public sealed class ScriptedBrokerTests
{
    private const BrokerPacketDirection In = BrokerPacketDirection.Received;
    private const BrokerPacketDirection Out = BrokerPacketDirection.Sent;

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData(MqttProtocolVersion.V310)]
    [InlineData(MqttProtocolVersion.V311)]
    [InlineData(MqttProtocolVersion.V500)]
    public async Task Connect_EachProtocolVersion_RecordsConnectAndConnAck(MqttProtocolVersion version)
    {
        await using var broker = ScriptedBroker.Start();
        var clientId = TestMqttClient.NewClientId();

        using var client = await TestMqttClient.ConnectAsync(Options(broker, version, clientId), Token);

        var connection = await broker.WaitForConnectionAsync(clientId);
        connection.Protocol.Should().Be(version);
        await broker.Packets.WaitForAsync(p => p.Type == MqttControlPacketType.ConnAck);
        broker.PacketsOf(connection.Id).Should().BeEquivalentTo(
            [
                new { Direction = In, Type = MqttControlPacketType.Connect, ClientId = clientId, Protocol = version, SessionPresent = true, ReasonCode = -1 },
                new { Direction = Out, Type = MqttControlPacketType.ConnAck, ClientId = clientId, Protocol = version, SessionPresent = false, ReasonCode = 0 },
            ],
            o => o.WithStrictOrdering());
    }

    [Theory]
    [InlineData(MqttProtocolVersion.V311)]
    [InlineData(MqttProtocolVersion.V500)]
    public async Task Publish_Qos1AndQos2_RecordsPacketIdsHandshakeAndDeliveries(MqttProtocolVersion version)
    {
        await using var broker = ScriptedBroker.Start();
        using var client = await TestMqttClient.ConnectAsync(Options(broker, version), Token);

        var first = Message("up/one", "1", MqttQualityOfServiceLevel.AtLeastOnce);
        if (version == MqttProtocolVersion.V500)
        {
            first.WithUserProperty("k", new ReadOnlyMemory<byte>("v"u8.ToArray()));
        }

        var one = await client.PublishAsync(first.Build(), Token);
        var two = await client.PublishAsync(Message("up/two", "22", MqttQualityOfServiceLevel.ExactlyOnce).Build(), Token);

        ushort q1 = one.PacketIdentifier!.Value, q2 = two.PacketIdentifier!.Value;
        Flow(broker.Packets.GetSnapshot()).Should().Equal(
            (In, MqttControlPacketType.Publish, q1),
            (Out, MqttControlPacketType.PubAck, q1),
            (In, MqttControlPacketType.Publish, q2),
            (Out, MqttControlPacketType.PubRec, q2),
            (In, MqttControlPacketType.PubRel, q2),
            (Out, MqttControlPacketType.PubComp, q2));
        var publishes = broker.Packets.GetSnapshot().Where(p => p.Type == MqttControlPacketType.Publish).ToList();
        publishes.Should().BeEquivalentTo(
            [
                new { Dup = false, Qos = MqttQualityOfServiceLevel.AtLeastOnce, Topic = "up/one", PayloadText = "1" },
                new { Dup = false, Qos = MqttQualityOfServiceLevel.ExactlyOnce, Topic = "up/two", PayloadText = "22" },
            ],
            o => o.WithStrictOrdering());
        publishes[0].UserProperties.Should().Equal(version == MqttProtocolVersion.V500 ? [KeyValuePair.Create("k", "v")] : []);
        broker.Delivered.GetSnapshot().Select(d => (d.Topic, d.PayloadText)).Should().Equal(("up/one", "1"), ("up/two", "22"));
    }

    [Fact]
    public async Task Publish_Qos2WhenBrokerAnswersPubAck_ClientReceivesPubAckNotPubRec()
    {
        await using var broker = ScriptedBroker.Start();
        broker.Behavior.AnswerQos2WithPubAck = true;
        using var client = new MqttClientFactory().CreateMqttClient();
        var inbound = new ConditionRecorder<int>();
        client.InspectPacketAsync += e =>
        {
            if (e.Direction == MQTTnet.Diagnostics.PacketInspection.MqttPacketFlowDirection.Inbound)
            {
                inbound.Add(e.Buffer[0] >> 4);
            }

            return Task.CompletedTask;
        };
        await client.ConnectAsync(Options(broker, MqttProtocolVersion.V311), Token);

        using var abandon = CancellationTokenSource.CreateLinkedTokenSource(Token);
        var publish = client.PublishAsync(Message("up/two", "x", MqttQualityOfServiceLevel.ExactlyOnce).Build(), abandon.Token);
        await inbound.WaitForAsync(type => type == (int)MqttControlPacketType.PubAck);
        await abandon.CancelAsync();

        await FluentActions.Awaiting(() => publish).Should().ThrowAsync<Exception>("the client waits for a PUBREC that never comes");
        inbound.GetSnapshot().Should().NotContain((int)MqttControlPacketType.PubRec);
        Flow(broker.Packets.GetSnapshot()).Should().Equal((In, MqttControlPacketType.Publish, (ushort)1), (Out, MqttControlPacketType.PubAck, (ushort)1));
        broker.Delivered.Count.Should().Be(1);
    }

    [Theory]
    [InlineData(MqttProtocolVersion.V311)]
    [InlineData(MqttProtocolVersion.V500)]
    public async Task Connect_PersistentSessionAgain_SessionPresentUntilForgottenOrCleaned(MqttProtocolVersion version)
    {
        await using var broker = ScriptedBroker.Start();
        var clientId = TestMqttClient.NewClientId();
        var present = new List<(bool Client, bool Recorded)>();
        (bool Forget, bool Clean)[] steps = [(false, false), (false, false), (true, false), (false, true)];

        for (var i = 0; i < steps.Length; i++)
        {
            if (steps[i].Forget)
            {
                broker.ForgetSessions();
            }

            using var client = new MqttClientFactory().CreateMqttClient();
            var result = await client.ConnectAsync(Options(broker, version, clientId, clean: steps[i].Clean), Token);
            present.Add((result.IsSessionPresent, broker.Packets.GetSnapshot().Last(p => p.Type == MqttControlPacketType.ConnAck).SessionPresent));
            await client.DisconnectAsync(new MqttClientDisconnectOptions(), Token);
            await (await broker.WaitForConnectionAsync(clientId, i + 1)).Closed.WaitAsync(TestTimeouts.Arrival, Token);
        }

        present.Should().Equal((false, false), (true, true), (false, false), (false, false));
        broker.HasSession(clientId).Should().BeFalse("the last connection asked for a clean session");
    }

    [Fact]
    public async Task Connect_CleanSession_SessionEndsWithTheConnection()
    {
        await using var broker = ScriptedBroker.Start();
        var clientId = TestMqttClient.NewClientId();
        using (var client = await TestMqttClient.ConnectAsync(Options(broker, MqttProtocolVersion.V311, clientId, clean: true), Token))
        {
            broker.HasSession(clientId).Should().BeTrue();
            await client.DisconnectAsync(new MqttClientDisconnectOptions(), Token);
        }

        await (await broker.WaitForConnectionAsync(clientId)).Closed.WaitAsync(TestTimeouts.Arrival, Token);

        broker.HasSession(clientId).Should().BeFalse();
    }

    [Fact]
    public async Task PublishToClient_Qos1AndQos2_RecordsClientAcknowledgementsInOrder()
    {
        await using var broker = ScriptedBroker.Start();
        var clientId = TestMqttClient.NewClientId();
        using var client = await TestMqttClient.ConnectAsync(Options(broker, MqttProtocolVersion.V500, clientId), Token);
        var received = new ConditionRecorder<string>();
        client.ApplicationMessageReceivedAsync += e =>
        {
            received.Add($"{e.ApplicationMessage.Topic}={e.ApplicationMessage.ConvertPayloadToString()} dup={e.ApplicationMessage.Dup}");
            return Task.CompletedTask;
        };
        await client.SubscribeAsync("down/#", MqttQualityOfServiceLevel.ExactlyOnce, Token);
        var connection = await broker.WaitForConnectionAsync(clientId);

        await connection.PublishAsync("down/a", "one", MqttQualityOfServiceLevel.AtLeastOnce, packetId: 7);
        await broker.Packets.WaitForAsync(p => p.Type == MqttControlPacketType.PubAck && p.Direction == In);
        await connection.PublishAsync("down/b", "two", MqttQualityOfServiceLevel.ExactlyOnce, packetId: 8, dup: true);
        await broker.Packets.WaitForAsync(p => p.Type == MqttControlPacketType.PubComp && p.Direction == In);

        Flow(broker.PacketsOf(connection.Id).Where(p => p.Type != MqttControlPacketType.Subscribe && p.Type != MqttControlPacketType.SubAck)).Should().Equal(
            (Out, MqttControlPacketType.Publish, (ushort)7),
            (In, MqttControlPacketType.PubAck, (ushort)7),
            (Out, MqttControlPacketType.Publish, (ushort)8),
            (In, MqttControlPacketType.PubRec, (ushort)8),
            (Out, MqttControlPacketType.PubRel, (ushort)8),
            (In, MqttControlPacketType.PubComp, (ushort)8));
        (await received.WaitForCountAsync(2)).Should().Equal("down/a=one dup=False", "down/b=two dup=True");
    }

    [Fact]
    public async Task CutAfterReceiving_Publish_ClosesBeforeAnsweringOrDelivering()
    {
        await using var broker = ScriptedBroker.Start();
        broker.CutAfterReceiving(MqttControlPacketType.Publish);
        using var client = await TestMqttClient.ConnectAsync(Options(broker, MqttProtocolVersion.V311), Token);
        var lost = Lost(client);

        var publish = () => client.PublishAsync(Message("up/cut", "x", MqttQualityOfServiceLevel.AtLeastOnce).Build(), Token);

        await publish.Should().ThrowAsync<Exception>();
        await lost.WaitAsync(TestTimeouts.Arrival, Token);
        broker.Packets.GetSnapshot().Select(p => p.Type).Should().Equal(MqttControlPacketType.Connect, MqttControlPacketType.ConnAck, MqttControlPacketType.Publish);
        broker.Delivered.Count.Should().Be(0);
    }

    internal static MqttClientOptions Options(ScriptedBroker broker, MqttProtocolVersion version, string? clientId = null, bool clean = true) =>
        new MqttClientOptionsBuilder()
            .WithTcpServer("127.0.0.1", broker.Port)
            .WithClientId(clientId ?? TestMqttClient.NewClientId())
            .WithProtocolVersion(version)
            .WithCleanSession(clean)
            .WithSessionExpiryInterval(clean || version != MqttProtocolVersion.V500 ? 0u : 300u)
            .WithTimeout(TestTimeouts.Arrival)
            .Build();

    internal static MqttApplicationMessageBuilder Message(string topic, string payload, MqttQualityOfServiceLevel qos) =>
        new MqttApplicationMessageBuilder().WithTopic(topic).WithPayload(payload).WithQualityOfServiceLevel(qos);

    internal static IEnumerable<(BrokerPacketDirection, MqttControlPacketType, ushort)> Flow(IEnumerable<ScriptedPacket> packets) =>
        packets.Where(p => p.PacketId != 0 && p.Type is not MqttControlPacketType.Subscribe and not MqttControlPacketType.SubAck).Select(p => (p.Direction, p.Type, p.PacketId));

    internal static Task Lost(IMqttClient client)
    {
        var lost = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        client.DisconnectedAsync += _ =>
        {
            lost.TrySetResult();
            return Task.CompletedTask;
        };
        return lost.Task;
    }
}
