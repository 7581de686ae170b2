using System.Diagnostics;
using MQTTnet;
using Octopus.Mqtt.IntegrationTests.Brokers;

namespace Octopus.Mqtt.IntegrationTests.Transport;

public sealed class ConnectTimeoutTests
{
    [Theory]
    [InlineData("tcp")]
    [InlineData("ssl")]
    public async Task Connect_ShortTimeoutToSilentBroker_FailsInAboutThatTime(string scheme)
    {
        await using var listener = SilentTcpListener.Start();
        var settings = new MqttClientSettings { Server = listener.Server(scheme), ConnectTimeout = GoDuration.FromMilliseconds(300) };
        using var client = new MqttClientFactory().CreateMqttClient();
        var watch = Stopwatch.StartNew();

        // CancellationToken.None: MQTTnet applies the options' timeout only when the caller passes no token.
        var connect = () => client.ConnectAsync(TestMqttClient.Options(settings), CancellationToken.None);

        await connect.Should().ThrowAsync<Exception>();
        watch.Elapsed.Should().BeGreaterThanOrEqualTo(TimeSpan.FromMilliseconds(250)).And.BeLessThan(TimeSpan.FromSeconds(5));
        (await listener.Connections.WaitForCountAsync(1)).Should().ContainSingle();
    }

    [Fact]
    public async Task Connect_ZeroTimeoutToSilentBroker_KeepsWaitingInsteadOfCancellingAtOnce()
    {
        await using var listener = SilentTcpListener.Start();
        var settings = new MqttClientSettings { Server = listener.Server(), ConnectTimeout = GoDuration.Zero };
        using var client = new MqttClientFactory().CreateMqttClient();

        var connect = client.ConnectAsync(TestMqttClient.Options(settings), CancellationToken.None);
        await listener.Connections.WaitForCountAsync(1);

        connect.IsCompleted.Should().BeFalse();
        await listener.DisposeAsync();
        await FluentActions.Awaiting(() => connect).Should().ThrowAsync<Exception>();
    }
}
