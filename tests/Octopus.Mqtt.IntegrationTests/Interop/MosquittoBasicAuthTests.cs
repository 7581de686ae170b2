using Octopus.Mqtt.IntegrationTests.Brokers;
using Octopus.Mqtt.IntegrationTests.Engine;
using Octopus.Mqtt.IntegrationTests.Publishing;

namespace Octopus.Mqtt.IntegrationTests.Interop;

/// <summary>The device client against mosquitto with a password file.</summary>
public sealed class MosquittoBasicAuthTests
{
    private const int ConnectRefusedEventId = 1002;
    private const string NotAuthorised = "Client <unknown> disconnected, not authorised.";

    private static readonly MosquittoOptions WithUsers = new() { Users = new Dictionary<string, string> { ["parchment"] = "s3cret" } };

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ConnectAsync_RightPassword_ConnectsAsTheUser()
    {
        await using var broker = await MosquittoBroker.StartAsync(WithUsers, Token);
        await using var devices = new DeviceClientBuilder(broker.TcpServer);
        devices.Options.Client.BasicAuth = new MqttBasicAuthSettings { Username = "parchment", Password = "s3cret" };
        await using var subscriber = await MqttTestSubscriber.ConnectAsync(new MqttClientSettings { Server = broker.TcpServer }, Credentials("parchment", "s3cret"), MqttQos.AtLeastOnce, devices.Topic);
        var client = await devices.ConnectAsync();

        (await client.PublishAsync("authenticated", Token)).Should().BeSameAs(MqttPublishResult.Delivered);

        (await subscriber.Messages.WaitForTopicAsync(devices.Topic)).PayloadText.Should().Be("\"authenticated\"");
        await broker.WaitForLogAsync($"as {devices.ClientId} (p2, c1, k30, u'parchment')");
    }

    [Fact]
    public async Task ConnectAsync_WrongPassword_ThrowsNamingTheRefusal()
    {
        await using var broker = await MosquittoBroker.StartAsync(WithUsers, Token);
        await using var devices = new DeviceClientBuilder(broker.TcpServer);
        devices.Options.Client.BasicAuth = new MqttBasicAuthSettings { Username = "parchment", Password = "wrong" };
        var client = devices.Build();

        var failure = await FluentActions.Awaiting(() => client.ConnectAsync(Token)).Should().ThrowAsync<MqttDeviceClientException>();

        failure.Which.Message.Should().Be($"The MQTT broker refused the connection of {devices.ClientId}: NotAuthorized (135). The username sent was \"parchment\", from client.basicAuth.username; the password came from client.basicAuth.password.");
        failure.Which.ReasonCode.Should().Be(135);
        client.State.Should().Be(MqttConnectionState.Disconnected);
        await broker.WaitForLogAsync(NotAuthorised);
    }

    [Fact]
    public async Task ConnectAsync_WrongPasswordFromAReference_NamesTheUsernameAndTheReferenceNeverThePassword()
    {
        await using var broker = await MosquittoBroker.StartAsync(WithUsers, Token);
        await using var devices = new DeviceClientBuilder(broker.TcpServer);
        var references = new InMemoryReferenceResolver();
        references.Add("mqtt-secret", "username", "parchment");
        references.Add("mqtt-secret", "password", "outdated");
        devices.References = references;
        devices.Options.Client.BasicAuth = new MqttBasicAuthSettings
        {
            UsernameRef = new DeviceLinkReference { Name = "mqtt-secret", Item = "username" },
            PasswordRef = new DeviceLinkReference { Name = "mqtt-secret", Item = "password" },
        };
        var client = devices.Build();

        var failure = await FluentActions.Awaiting(() => client.ConnectAsync(Token)).Should().ThrowAsync<MqttDeviceClientException>();

        failure.Which.Message.Should().EndWith("NotAuthorized (135). The username sent was \"parchment\", from client.basicAuth.usernameRef (reference \"mqtt-secret\", item \"username\"); the password came from client.basicAuth.passwordRef (reference \"mqtt-secret\", item \"password\").")
            .And.NotContain("outdated");
    }

    [Fact]
    public async Task ConnectAsync_WrongPasswordRetryingInBackground_RetriesAtMaxReconnectIntervalAndIsAProblem()
    {
        await using var broker = await MosquittoBroker.StartAsync(WithUsers, Token);
        await using var proxy = new TcpProxy(broker.TcpPort);
        var time = new RecordingTimeProvider();
        await using var devices = new DeviceClientBuilder($"tcp://127.0.0.1:{proxy.Port}") { Time = time };
        devices.Behaviour.FirstConnectPolicy = MqttFirstConnectPolicy.RetryInBackground;
        devices.Options.Client.BasicAuth = new MqttBasicAuthSettings { Username = "parchment", Password = "wrong" };
        devices.Options.Client.MaxReconnectInterval = GoDuration.FromMinutes(10);
        devices.Options.Client.ConnectTimeout = GoDuration.FromSeconds(30);
        var connectTimeout = TimeSpan.FromSeconds(30);
        var client = devices.Build();

        await client.ConnectAsync(Token);

        for (var attempt = 1; attempt <= 3; attempt++)
        {
            // The client is parked in its backoff delay: the attempts made so far are all there will be until the clock moves.
            // Retrying will not fix a wrong password, so each wait is maxReconnectInterval (jittered down to half of it).
            var timers = await time.Timers.WaitUntilAsync(t => t.Count(d => d > connectTimeout) >= attempt, $"backoff delay #{attempt}");
            var delay = timers.Where(d => d > connectTimeout).ElementAt(attempt - 1);
            delay.Should().BeGreaterThanOrEqualTo(TimeSpan.FromMinutes(5)).And.BeLessThanOrEqualTo(TimeSpan.FromMinutes(10));
            devices.LogCount(ConnectRefusedEventId).Should().Be(attempt);
            proxy.Connections.Count.Should().Be(attempt);
            client.State.Should().Be(MqttConnectionState.Reconnecting);
            ((IDeviceClientHealth)client).Problem.Should().StartWith("The MQTT broker refused the connection of");

            time.Advance(delay);
        }

        await broker.WaitForLogAsync(NotAuthorised);
    }

    private static MqttCredentials Credentials(string username, string password) =>
        MqttCredentials.None with { Username = username, Password = System.Text.Encoding.UTF8.GetBytes(password) };
}
