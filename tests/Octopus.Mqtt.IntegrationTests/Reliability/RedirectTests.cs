using MQTTnet.Protocol;
using Octopus.Mqtt.IntegrationTests.Brokers;
using Octopus.Mqtt.IntegrationTests.Publishing;

namespace Octopus.Mqtt.IntegrationTests.Reliability;

/// <summary>
/// MQTT 5 brokers moving clients over real TCP (the scriptable broker): a CONNACK 0x9C Use Another Server and a
/// DISCONNECT 0x9D Server Moved with a Server Reference are followed at once; a DISCONNECT 0x8E Session Taken Over
/// is waited out, and said.
/// </summary>
public sealed class RedirectTests
{
    [Fact]
    public async Task ConnectAsync_UseAnotherServerThenServerMoved_FollowsEachServerReference()
    {
        await using var first = ScriptedBroker.Start();
        await using var second = ScriptedBroker.Start();
        await using var third = ScriptedBroker.Start();
        first.Behavior.ConnectReasonCode = MqttConnectReasonCode.UseAnotherServer;
        first.Behavior.ConnAck = ack => ack.ServerReference = $"127.0.0.1:{second.Port}";
        await using var devices = Builder(first.Server);

        var client = await devices.ConnectAsync();

        client.ConnectedServer.Should().Be(second.Server);
        var connection = await second.WaitForConnectionAsync(devices.ClientId);
        await connection.DisconnectAsync(MqttDisconnectReasonCode.ServerMoved, $"127.0.0.1:{third.Port}");

        await third.WaitForConnectionAsync(devices.ClientId);
        await devices.WaitForStateAsync(MqttConnectionState.Connected, 2);
        client.ConnectedServer.Should().Be(third.Server);
        devices.LogCount(1018).Should().Be(2);
        (await client.PublishAsync("moved"u8.ToArray(), null, TestContext.Current.CancellationToken)).Status.Should().Be(MqttPublishStatus.Delivered);
    }

    [Fact]
    public async Task Reconnect_SessionTakenOver_WaitsMaxReconnectIntervalAndIsAProblem()
    {
        await using var broker = ScriptedBroker.Start();
        await using var devices = Builder(broker.Server);
        devices.Options.Client.MaxReconnectInterval = GoDuration.FromMinutes(10);
        var client = await devices.ConnectAsync();
        var connection = await broker.WaitForConnectionAsync(devices.ClientId);

        await connection.DisconnectAsync(MqttDisconnectReasonCode.SessionTakenOver);

        var change = await devices.WaitForStateAsync(MqttConnectionState.Reconnecting);
        change.Error.Should().BeOfType<MqttDeviceClientException>().Which.ReasonCode.Should().Be(0x8E);
        ((IDeviceClientHealth)client).Problem.Should().Be("another client with this client ID is connected: the broker ended the connection with 0x8E Session Taken Over");
        devices.Logs.GetSnapshot().Should().Contain(r => r.Id.Id == 1017 && r.Message.Contains(devices.ClientId, StringComparison.Ordinal));
        devices.LogCount(1005).Should().Be(1);
        devices.Logs.GetSnapshot().Last(r => r.Id.Id == 1005).Message.Should().MatchRegex(@"in 00:0[5-9]:|in 00:10:00");
    }

    private static DeviceClientBuilder Builder(string server)
    {
        var builder = new DeviceClientBuilder(server);
        builder.Options.Client.ProtocolVersion = 5;
        return builder;
    }
}
