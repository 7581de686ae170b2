using System.Text;
using Microsoft.Extensions.Logging.Testing;
using Octopus.Mqtt.IntegrationTests.Brokers;
using Octopus.Mqtt.IntegrationTests.Lifecycle;
using Octopus.Mqtt.Tests.Shared;

namespace Octopus.Mqtt.IntegrationTests.Telemetry;

public sealed class SecretsInLogsTests
{
    private const string Password = "pa55-Never-Logged-7f3e";

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task DeviceClient_PasswordAndPrivateKey_NeverAppearInAnyLogLine()
    {
        var certificates = TestCertificates.Shared;
        await using var broker = await MosquittoBroker.StartAsync(
            new MosquittoOptions
            {
                Tls = new MosquittoTlsOptions { RequireClientCertificate = true },
                Users = new Dictionary<string, string> { ["octopus"] = Password },
            },
            Token);
        var keyPem = TestPki.Pkcs8KeyPem(certificates.Client);
        var references = new InMemoryReferenceResolver();
        references.Add("mqtt-tls", "tls.crt", TestPki.CertificatePem(certificates.Client));
        references.Add("mqtt-tls", "tls.key", keyPem);
        var logs = new CollectingLoggerFactory();
        await using (var links = new MqttDeviceLinkManager(new MqttDeviceClientFactory(loggerFactory: logs), logs))
        {
            var options = DeviceLinkOptions.Create(broker.TlsServer);
            options.Client.BasicAuth = new MqttBasicAuthSettings { Username = "octopus", Password = Password };
            options.Client.TlsConfig = new MqttTlsSettings
            {
                CaFilePEM = TestPki.CertificatePem(certificates.Ca),
                CertFilePEMRef = new DeviceLinkReference { Name = "mqtt-tls", Item = "tls.crt" },
                KeyFilePEMRef = new DeviceLinkReference { Name = "mqtt-tls", Item = "tls.key" },
            };
            var client = (await links.ConfigureAsync(DeviceLinkOptions.Fan, options, references, Token))!;
            (await client.PublishAsync("on", Token)).Status.Should().Be(MqttPublishStatus.Delivered);

            // A refused password and a replacement log errors, options and exceptions too.
            options.Client.BasicAuth.Password = Password + "-wrong";
            var refused = () => links.ConfigureAsync(DeviceLinkOptions.Fan, options, references, Token);
            await refused.Should().ThrowAsync<MqttDeviceClientException>();
        }

        var records = logs.Collector.GetSnapshot();
        records.Should().Contain(r => r.Category == "Octopus.Mqtt.MQTTnet", "MQTTnet's own messages are part of the scan");
        records.Should().Contain(r => r.Id.Id == 1402, "the replacement is logged");
        var keyBody = keyPem.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Where(l => !l.StartsWith("-----", StringComparison.Ordinal))
            .ToList();
        foreach (var record in records)
        {
            var text = Describe(record);
            text.Should().NotContain(Password, $"log line {record.Id} must not hold the password");
            foreach (var line in keyBody)
            {
                text.Should().NotContain(line, $"log line {record.Id} must not hold the private key");
            }
        }
    }

    private static string Describe(FakeLogRecord record)
    {
        var text = new StringBuilder().Append(record.Message).Append('\n').Append(record.Exception?.ToString());
        foreach (var (key, value) in record.StructuredState ?? [])
        {
            text.Append('\n').Append(key).Append('=').Append(value);
        }

        return text.ToString();
    }
}
