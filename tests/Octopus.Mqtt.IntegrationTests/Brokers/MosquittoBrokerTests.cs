using MQTTnet;

namespace Octopus.Mqtt.IntegrationTests.Brokers;

public sealed class MosquittoBrokerTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task StartAsync_AllListeners_ExposesPortsSocketAndLog()
    {
        await using var broker = await MosquittoBroker.StartAsync(
            new MosquittoOptions { Tls = new MosquittoTlsOptions(), UnixSocket = true, Users = new Dictionary<string, string> { ["u"] = "p" } },
            Token);

        broker.IsRunning.Should().BeTrue();
        broker.TcpPort.Should().BePositive().And.NotBe(broker.TlsPort);
        broker.TlsPort.Should().BePositive();
        File.Exists(broker.UnixSocketPath).Should().BeTrue();
        broker.LogLines.Should().Contain(l => l.EndsWith(" running", StringComparison.Ordinal));
        File.ReadAllText(broker.ConfigurationPath).Should().Contain($"listener {broker.TcpPort} 127.0.0.1").And.Contain($"listener 0 {broker.UnixSocketPath}");
    }

    [Fact]
    public async Task StopAsync_ThenStartAsync_ListensOnTheSamePorts()
    {
        await using var broker = await MosquittoBroker.StartAsync(new MosquittoOptions { UnixSocket = true }, Token);
        var tcpPort = broker.TcpPort;
        using var client = await TestMqttClient.ConnectAsync(broker.TcpServer, Token);
        var lost = Lost(client);

        await broker.StopAsync();
        await lost.WaitAsync(TestTimeouts.Arrival, Token);
        broker.IsRunning.Should().BeFalse();
        await broker.StartAsync(Token);

        broker.TcpPort.Should().Be(tcpPort);
        using var again = await TestMqttClient.ConnectAsync(broker.TcpServer, Token);
        using var overSocket = await TestMqttClient.ConnectAsync(broker.UnixServer, Token);
        broker.LogLines.Count(l => l.EndsWith(" running", StringComparison.Ordinal)).Should().Be(2);
    }

    [Fact]
    public async Task KillAsync_ThenStartAsync_ListensOnTheSamePortsAndSocket()
    {
        await using var broker = await MosquittoBroker.StartAsync(new MosquittoOptions { UnixSocket = true, Tls = new MosquittoTlsOptions() }, Token);
        using var client = await TestMqttClient.ConnectAsync(broker.UnixServer, Token);
        var lost = Lost(client);

        await broker.KillAsync();
        await lost.WaitAsync(TestTimeouts.Arrival, Token);
        await broker.StartAsync(Token);

        using var overTcp = await TestMqttClient.ConnectAsync(broker.TcpServer, Token);
        using var overSocket = await TestMqttClient.ConnectAsync(broker.UnixServer, Token);
    }

    [Fact]
    public async Task DisposeAsync_RunningBroker_StopsItAndDeletesItsDirectory()
    {
        var broker = await MosquittoBroker.StartAsync(cancellationToken: Token);
        var directory = broker.Directory;

        await broker.DisposeAsync();

        broker.IsRunning.Should().BeFalse();
        Directory.Exists(directory).Should().BeFalse();
    }

    private static Task Lost(IMqttClient client)
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
