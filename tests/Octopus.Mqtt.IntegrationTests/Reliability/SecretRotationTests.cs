using System.Text;
using MQTTnet.Protocol;
using Octopus.Mqtt.IntegrationTests.Brokers;
using Octopus.Mqtt.IntegrationTests.Publishing;

namespace Octopus.Mqtt.IntegrationTests.Reliability;

/// <summary>Credentials are resolved from the references again before every connection, so a rotated secret takes effect.</summary>
public sealed class SecretRotationTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ConnectAsync_PasswordRotatedInTheReferences_NextReconnectUsesTheNewOne()
    {
        var accepted = "first-secret";
        await using var broker = await InProcessBroker.StartAsync(b => b.ValidateConnection = e =>
        {
            if (e.UserName != "parchment" || e.Password != Volatile.Read(ref accepted))
            {
                e.ReasonCode = MqttConnectReasonCode.BadUserNameOrPassword;
            }

            return Task.CompletedTask;
        });
        var references = new InMemoryReferenceResolver
        {
            { "mqtt-secret", "username", "parchment" },
            { "mqtt-secret", "password", "first-secret" },
        };
        await using var devices = new DeviceClientBuilder(broker.Server) { References = references };
        devices.Options.Client.BasicAuth = new MqttBasicAuthSettings
        {
            UsernameRef = new DeviceLinkReference { Name = "mqtt-secret", Item = "username" },
            PasswordRef = new DeviceLinkReference { Name = "mqtt-secret", Item = "password" },
        };
        var client = await devices.ConnectAsync();

        references.Add("mqtt-secret", "password", "second-secret");
        Volatile.Write(ref accepted, "second-secret");
        await broker.DisconnectClientAsync(devices.ClientId);
        await devices.WaitForStateAsync(MqttConnectionState.Connected, 2);

        broker.ConnectionAttempts.GetSnapshot().Select(a => Encoding.UTF8.GetString(a.Password!)).Should().Equal("first-secret", "second-secret");
        (await client.PublishAsync("rotated", Token)).Should().BeSameAs(MqttPublishResult.Delivered);
        devices.Logs.GetSnapshot().Should().NotContain(r => r.Message.Contains("first-secret", StringComparison.Ordinal) || r.Message.Contains("second-secret", StringComparison.Ordinal), "secret values are never logged");
    }
}
