using System.Globalization;
using System.Text;
using Octopus.Mqtt.IntegrationTests.Brokers;
using Octopus.Mqtt.IntegrationTests.Publishing;

namespace Octopus.Mqtt.IntegrationTests.Reliability;

/// <summary>
/// The broker goes away in the middle of a stream of QoS 1 publishes and comes back on the same port: every message
/// arrives, in publish order (client.order true), and the device's subscription works again.
/// </summary>
public sealed class BrokerRestartTests
{
    private const int InFlightStream = 200;
    private const int DuringOutage = 50;
    private const int Total = InFlightStream + DuringOutage;

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task PublishAsync_MosquittoKilledAndStartedAgainMidStream_EveryMessageArrivesInOrder()
    {
        await using var broker = await MosquittoBroker.StartAsync(cancellationToken: Token);
        await using var devices = StreamingDevice(broker.TcpServer);
        var client = await devices.ConnectAsync();
        var commands = await DeviceClientBuilder.SubscribeToCommandsAsync(client);
        var stream = PublishRange(client, 0, InFlightStream);

        await broker.WaitForLogAsync(Received(devices, InFlightStream / 4));
        await broker.KillAsync();
        await devices.WaitForStateAsync(MqttConnectionState.Reconnecting);
        (await Task.WhenAll(PublishRange(client, InFlightStream, DuringOutage))).Should().OnlyContain(r => r == MqttPublishResult.Queued);
        await broker.StartAsync(Token);

        await broker.WaitForLogAsync(Received(devices, Total - 1));
        (await Task.WhenAll(stream)).Should().NotContain(r => r.Status == MqttPublishStatus.Dropped);
        var arrived = ArrivalsAtMosquitto(broker, devices);
        arrived.Distinct().Should().Equal(Enumerable.Range(0, Total));
        arrived.Should().BeInAscendingOrder("a resend may repeat a message, never reorder them");
        await AssertCommandArrivesAsync(broker.TcpServer, devices, commands);
    }

    [Fact]
    public async Task PublishAsync_InProcessBrokerStoppedAndStartedAgainMidStream_EveryMessageArrivesInOrder()
    {
        await using var broker = await InProcessBroker.StartAsync();
        await using var devices = StreamingDevice(broker.Server);
        var client = await devices.ConnectAsync();
        var commands = await DeviceClientBuilder.SubscribeToCommandsAsync(client);
        var stream = PublishRange(client, 0, InFlightStream);

        await broker.Messages.WaitForCountAsync(InFlightStream / 4);
        await broker.StopAsync();
        await devices.WaitForStateAsync(MqttConnectionState.Reconnecting);
        (await Task.WhenAll(PublishRange(client, InFlightStream, DuringOutage))).Should().OnlyContain(r => r == MqttPublishResult.Queued);
        await broker.StartAsync();

        await broker.Messages.WaitForAsync(m => m.PayloadText == Payload(Total - 1));
        (await Task.WhenAll(stream)).Should().NotContain(r => r.Status == MqttPublishStatus.Dropped);
        var arrived = Indexes(broker.Messages);
        arrived.Distinct().Should().Equal(Enumerable.Range(0, Total));
        arrived.Should().BeInAscendingOrder("a resend may repeat a message, never reorder them");
        await AssertCommandArrivesAsync(broker.Server, devices, commands);
    }

    private static DeviceClientBuilder StreamingDevice(string server)
    {
        var devices = new DeviceClientBuilder(server);
        devices.Options.Client.MessageChannelDepth = Total;
        devices.Options.Message.Retained = false;
        return devices;
    }

    /// <summary>The payload of message <paramref name="index"/>: its index padded to index + 1 characters, so its length names it too.</summary>
    private static string Payload(int index) => index.ToString(CultureInfo.InvariantCulture).PadLeft(index + 1, '0');

    /// <summary>The end of mosquitto's log line for the arrival of message <paramref name="index"/> of the device.</summary>
    private static string Received(DeviceClientBuilder devices, int index) => $"'{devices.Topic}', ... ({index + 1} bytes))";

    private static List<Task<MqttPublishResult>> PublishRange(IMqttDeviceClient client, int start, int count) =>
        [.. Enumerable.Range(start, count).Select(i => client.PublishAsync(Encoding.UTF8.GetBytes(Payload(i)), null, Token).AsTask())];

    /// <summary>
    /// The indexes of the device's messages in the order mosquitto logged their arrival, over both runs. Its log, unlike a
    /// subscriber, sees every arrival: a killed mosquitto may have acknowledged a message it never forwarded.
    /// </summary>
    private static List<int> ArrivalsAtMosquitto(MosquittoBroker broker, DeviceClientBuilder devices)
    {
        var prefix = $"Received PUBLISH from {devices.ClientId} (";
        var topic = $"'{devices.Topic}', ... (";
        var arrivals = new List<int>();
        foreach (var line in broker.LogLines)
        {
            var at = line.IndexOf(topic, StringComparison.Ordinal);
            if (line.Contains(prefix, StringComparison.Ordinal) && at >= 0)
            {
                var length = line.AsSpan(at + topic.Length);
                arrivals.Add(int.Parse(length[..length.IndexOf(' ')], CultureInfo.InvariantCulture) - 1);
            }
        }

        return arrivals;
    }

    private static List<int> Indexes(MessageRecorder messages) =>
        [.. messages.GetSnapshot().Select(m => int.Parse(m.PayloadText, CultureInfo.InvariantCulture))];

    private static async Task AssertCommandArrivesAsync(string server, DeviceClientBuilder devices, ConditionRecorder<string> commands)
    {
        using var commander = await TestMqttClient.ConnectAsync(server, Token);
        await commander.PublishTextAsync(devices.TopicWithPath("set"), "after the restart", cancellationToken: Token);

        (await commands.WaitForCountAsync(1)).Should().Equal("after the restart");
    }
}
