using System.Text;
using MQTTnet;
using MQTTnet.Protocol;
using Octopus.Mqtt.IntegrationTests.Brokers;

namespace Octopus.Mqtt.IntegrationTests.Transport;

public sealed class BasicAuthTransportTests
{
    private static readonly MosquittoOptions WithUsers = new() { Users = new Dictionary<string, string> { ["parchment"] = "s3cret" } };

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData(4)]
    [InlineData(5)]
    public async Task Connect_RightPasswordToMosquitto_Connects(int protocolVersion)
    {
        await using var broker = await MosquittoBroker.StartAsync(WithUsers, Token);
        var clientId = TestMqttClient.NewClientId();

        using var client = await TestMqttClient.ConnectAsync(
            TestMqttClient.Options(new MqttClientSettings { Server = broker.TcpServer }, Credentials("parchment", "s3cret"), protocolVersion: protocolVersion, clientId: clientId),
            Token);

        client.IsConnected.Should().BeTrue();
        await broker.WaitForLogAsync($"as {clientId} (p{(protocolVersion == 5 ? 5 : 2)}, c1, k30, u'parchment')");
    }

    [Theory]
    [InlineData(4, MqttClientConnectResultCode.NotAuthorized)]
    [InlineData(5, MqttClientConnectResultCode.NotAuthorized)]
    public async Task Connect_WrongPasswordToMosquitto_IsRefusedWithTheReason(int protocolVersion, MqttClientConnectResultCode expected)
    {
        await using var broker = await MosquittoBroker.StartAsync(WithUsers, Token);
        using var client = new MqttClientFactory().CreateMqttClient();

        var result = await client.ConnectAsync(
            TestMqttClient.Options(new MqttClientSettings { Server = broker.TcpServer }, Credentials("parchment", "wrong"), protocolVersion: protocolVersion),
            Token);

        result.ResultCode.Should().Be(expected);
        client.IsConnected.Should().BeFalse();
    }

    [Fact]
    public async Task Connect_NoCredentialsToMosquittoWithUsers_IsRefused()
    {
        await using var broker = await MosquittoBroker.StartAsync(WithUsers, Token);
        using var client = new MqttClientFactory().CreateMqttClient();

        var result = await client.ConnectAsync(TestMqttClient.Options(new MqttClientSettings { Server = broker.TcpServer }), Token);

        result.ResultCode.Should().Be(MqttClientConnectResultCode.NotAuthorized);
    }

    [Fact]
    public async Task Connect_PasswordRefusedByInProcessBroker_IsRefusedWithBadUserNameOrPassword()
    {
        await using var broker = await InProcessBroker.StartAsync(b => b.ValidateConnection = e =>
        {
            if (e.Password != "s3cret")
            {
                e.ReasonCode = MqttConnectReasonCode.BadUserNameOrPassword;
            }

            return Task.CompletedTask;
        });
        using var client = new MqttClientFactory().CreateMqttClient();

        var result = await client.ConnectAsync(TestMqttClient.Options(new MqttClientSettings { Server = broker.Server }, Credentials("parchment", "wrong")), Token);

        result.ResultCode.Should().Be(MqttClientConnectResultCode.BadUserNameOrPassword);
        (await broker.ConnectionAttempts.WaitForCountAsync(1))[0].Password.Should().Equal(Encoding.UTF8.GetBytes("wrong"));
    }

    private static MqttCredentials Credentials(string username, string password) =>
        MqttCredentials.None with { Username = username, Password = Encoding.UTF8.GetBytes(password) };
}
