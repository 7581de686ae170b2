using System.Security.Cryptography;
using Octopus.Mqtt.Tests.Shared;
using static Octopus.Mqtt.Tests.References.TestCertificates;

namespace Octopus.Mqtt.Tests.References;

public sealed partial class MqttCredentialsBuilderTests
{
    [Fact]
    public async Task BuildAsync_EveryFailure_KeepsSecretValuesOutOfTheMessages()
    {
        const string LiteralPassword = "literal-Pa55word-9f3c";
        const string RefPassword = "ref-Pa55word-71be";
        var rsaKey = TestPki.Pkcs8KeyPem(ClientRsa);
        var rsaTraditional = TestPki.TraditionalKeyPem(ClientRsa);
        var ecKey = TestPki.TraditionalKeyPem(ClientEc);
        var otherKey = TestPki.Pkcs8KeyPem(OtherRsa);
        var encrypted = TestPki.EncryptedKeyPem(ClientRsa, "passphrase-Secret-55");
        var garbageKey = PemEncoding.WriteString("PRIVATE KEY", RandomNumberGenerator.GetBytes(64));
        var certificate = TestPki.CertificatePem(ClientRsa);
        var references = new InMemoryReferenceResolver
        {
            { "mqtt-secret", "password", RefPassword },
            { "mqtt-secret", "username-is-a-key", rsaKey },
            { "mqtt-tls", "tls.key", otherKey },
            { "mqtt-tls", "ec.key", ecKey },
            { "mqtt-tls", "garbage.key", garbageKey },
        };

        MqttClientSettings[] failing =
        [
            Client(new MqttBasicAuthSettings { Password = LiteralPassword }),
            Client(new MqttBasicAuthSettings { PasswordRef = Ref("mqtt-secret", "password") }),
            Client(new MqttBasicAuthSettings { Username = "admin", Password = LiteralPassword }, new MqttTlsSettings { CaFilePEM = LiteralPassword }),
            Client(new MqttBasicAuthSettings { Username = "admin", PasswordRef = Ref("mqtt-secret", "password") }, new MqttTlsSettings { CaFilePEM = rsaKey }),
            Client(tls: new MqttTlsSettings { CaFilePEM = Pem(TestPki.CertificatePem(Root), rsaKey) }),
            Client(tls: new MqttTlsSettings { CaFilePEMRef = Ref("mqtt-secret", "password") }),
            Client(tls: new MqttTlsSettings { CertFilePEM = LiteralPassword, KeyFilePEM = rsaKey }),
            Client(tls: new MqttTlsSettings { CertFilePEM = rsaKey, KeyFilePEM = rsaKey }),
            Client(tls: new MqttTlsSettings { CertFilePEM = certificate, KeyFilePEM = otherKey }),
            Client(tls: new MqttTlsSettings { CertFilePEM = certificate, KeyFilePEMRef = Ref("mqtt-tls", "tls.key") }),
            Client(tls: new MqttTlsSettings { CertFilePEM = certificate, KeyFilePEMRef = Ref("mqtt-tls", "ec.key") }),
            Client(tls: new MqttTlsSettings { CertFilePEM = certificate, KeyFilePEMRef = Ref("mqtt-tls", "garbage.key") }),
            Client(tls: new MqttTlsSettings { CertFilePEM = certificate, KeyFilePEM = encrypted }),
            Client(tls: new MqttTlsSettings { CertFilePEM = certificate, KeyFilePEM = Pem(rsaKey, rsaTraditional) }),
            Client(tls: new MqttTlsSettings { CertFilePEM = certificate, KeyFilePEM = LiteralPassword }),
            Client(tls: new MqttTlsSettings { CertFilePEM = certificate, KeyFilePEM = rsaKey[..300] }),
            Client(tls: new MqttTlsSettings { KeyFilePEM = rsaKey }),
            Client(tls: new MqttTlsSettings { KeyFilePEMRef = Ref("mqtt-tls", "tls.key") }),
            Client(new MqttBasicAuthSettings { UsernameRef = Ref("mqtt-secret", "username-is-a-key"), Password = LiteralPassword }, new MqttTlsSettings { CaFilePEM = "x" }),
        ];

        var messages = new List<string>();
        foreach (var client in failing)
        {
            var error = await FailureAsync(client, references);
            for (Exception? exception = error; exception is not null; exception = exception.InnerException)
            {
                messages.Add(exception.Message);
            }
        }

        messages.Should().HaveCountGreaterThanOrEqualTo(failing.Length);
        string[] secrets = [LiteralPassword, RefPassword, "passphrase-Secret-55", .. KeyLines(rsaKey), .. KeyLines(rsaTraditional), .. KeyLines(ecKey), .. KeyLines(otherKey), .. KeyLines(encrypted), .. KeyLines(garbageKey)];
        foreach (var message in messages)
        {
            foreach (var secret in secrets)
            {
                message.Should().NotContain(secret);
            }
        }
    }

    /// <summary>Every base64 line of a key PEM: any of them in a message would leak part of the key.</summary>
    private static IEnumerable<string> KeyLines(string pem) =>
        pem.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Where(line => !line.StartsWith("-----", StringComparison.Ordinal) && line.Length >= 16);
}
