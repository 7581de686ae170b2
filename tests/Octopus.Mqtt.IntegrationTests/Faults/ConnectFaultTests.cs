using System.Diagnostics;
using Octopus.Mqtt.IntegrationTests.Brokers;
using Octopus.Mqtt.IntegrationTests.Publishing;

namespace Octopus.Mqtt.IntegrationTests.Faults;

/// <summary>Faults at connect through the public factory: a host that does not exist, and a broker certificate nobody trusts.</summary>
public sealed class ConnectFaultTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ConnectAsync_UnknownHost_FailsSoonWithAClearError()
    {
        await using var devices = new DeviceClientBuilder("tcp://octopus-no-such-broker.invalid:1883");
        devices.Options.Client.ConnectTimeout = GoDuration.FromSeconds(5);
        var client = devices.Build();
        var watch = Stopwatch.StartNew();

        var thrown = await FluentActions.Awaiting(async () => await client.ConnectAsync(Token)).Should().ThrowAsync<MqttDeviceClientException>();

        watch.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(10), "an unknown host must not hang");
        thrown.Which.Message.Should().StartWith(
            $"Connecting to the MQTT broker as {devices.ClientId} failed: Could not connect to octopus-no-such-broker.invalid:1883: ");
        thrown.Which.MessageChain().Should().Contain(m => m.StartsWith("SocketException: ", StringComparison.Ordinal), "the resolver's own reason is kept");
    }

    [Fact]
    public async Task ConnectAsync_TlsWithoutCaBundleToATestCaBroker_IsRefusedByDefault()
    {
        await using var broker = await MosquittoBroker.StartAsync(new MosquittoOptions { Tls = new MosquittoTlsOptions() }, Token);
        await using var devices = new DeviceClientBuilder(broker.TlsServer);
        var client = devices.Build();

        var thrown = await FluentActions.Awaiting(async () => await client.ConnectAsync(Token)).Should().ThrowAsync<MqttDeviceClientException>();

        thrown.Which.MessageChain().Should().Contain(
            "AuthenticationException: TLS: the broker's certificate \"CN=localhost\" is not trusted by the system trust store (its chain ends at \"CN=Octopus Test CA\"); set client.tlsConfig.caFilePEM to the CA that issued it");
    }

    [Fact]
    public async Task ConnectAsync_TlsWithoutCaBundleAndInsecureSkipVerify_Connects()
    {
        await using var broker = await MosquittoBroker.StartAsync(new MosquittoOptions { Tls = new MosquittoTlsOptions() }, Token);
        await using var devices = new DeviceClientBuilder(broker.TlsServer);
        devices.Options.Client.TlsConfig = new MqttTlsSettings { InsecureSkipVerify = true };

        var client = await devices.ConnectAsync();

        client.State.Should().Be(MqttConnectionState.Connected);
    }
}
