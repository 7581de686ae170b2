using System.Net;
using System.Net.Sockets;
using Octopus.Mqtt.IntegrationTests.Brokers;
using Octopus.Mqtt.IntegrationTests.Publishing;

namespace Octopus.Mqtt.IntegrationTests.Faults;

/// <summary>A failed connect says what most likely happened and what to do: TLS against a plain port, MQTT 5 against a broker without it.</summary>
public sealed class ConnectHintTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ConnectAsync_TlsToMosquittosPlainPort_SaysTheHandshakeFailedAndWhatToUse()
    {
        await using var broker = await MosquittoBroker.StartAsync(new MosquittoOptions(), Token);
        var server = broker.TcpServer.Replace("tcp://", "tls://", StringComparison.Ordinal);
        await using var devices = new DeviceClientBuilder(server);
        devices.Options.Client.TlsConfig = new MqttTlsSettings { InsecureSkipVerify = true };
        var client = devices.Build();

        var failure = await FluentActions.Awaiting(() => client.ConnectAsync(Token)).Should().ThrowAsync<MqttDeviceClientException>();

        failure.Which.Message.Should().EndWith($" The TLS handshake with {server} failed: if that port speaks plain MQTT, use tcp:// for it, or the broker's TLS port (8883 by default).");
    }

    [Fact]
    public async Task ConnectAsync_Mqtt5ToABrokerAnsweringAs311_SaysItDoesNotSpeakMqtt5AndSuggestsTheFix()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        var broker = AnswerEveryConnectAsMqtt311Async(listener);
        await using var devices = new DeviceClientBuilder($"tcp://127.0.0.1:{port}");
        devices.Options.Client.ProtocolVersion = 5;
        var client = devices.Build();

        var failure = await FluentActions.Awaiting(() => client.ConnectAsync(Token)).Should().ThrowAsync<MqttDeviceClientException>();

        failure.Which.Message.Should().EndWith(" The broker does not seem to speak MQTT 5 (it answered with an MQTT 3.1.1 refusal, or closed the connection, as RabbitMQ 3.x and Aedes do); set client.protocolVersion to 4 (MQTT 3.1.1) or 0.");
        listener.Stop();
        await broker.WaitAsync(TestTimeouts.Arrival, Token);
    }

    /// <summary>Answers the first CONNECT as a broker that knows only MQTT 3.1.1 does: CONNACK, return code 1 (unacceptable protocol version), and closes.</summary>
    private static async Task AnswerEveryConnectAsMqtt311Async(TcpListener listener)
    {
        using var socket = await listener.AcceptSocketAsync(Token);
        var buffer = new byte[512];
        _ = await socket.ReceiveAsync(buffer, Token);
        await socket.SendAsync(new byte[] { 0x20, 0x02, 0x00, 0x01 }, Token);
        socket.Shutdown(SocketShutdown.Both);
    }
}
