using Octopus.Mqtt.Tests.Shared;
using static Octopus.Mqtt.Tests.References.TestCertificates;

namespace Octopus.Mqtt.Tests.Security;

/// <summary>
/// A password and a real private key, fed through every path that turns options or credentials into text
/// (exception messages and ToString, problems, warnings, ToString of the options): none may show either.
/// The log lines of a real connection are scanned in IntegrationTests/Telemetry/SecretsInLogsTests.
/// </summary>
public sealed class SecretLeakTests
{
    private const string Password = "pw-Leak-Canary-93c1";
    private static readonly string KeyPem = TestPki.Pkcs8KeyPem(ClientRsa);
    private static readonly string RsaKeyPem = TestPki.TraditionalKeyPem(ClientRsa);

    private static readonly Dictionary<string, Func<Task<string>>> Scenarios = new()
    {
        ["options ToString with literals"] = () => Text(Options().ToString()),
        ["basicAuth and tlsConfig ToString"] = () => Text(Options().Client.BasicAuth!.ToString() + Options().Client.TlsConfig!.ToString()),
        ["server with user information"] = () => Text(Problems(o => o.Client.Server = $"tcp://octopus:{Password}@broker:1883")),
        ["server with user information parsed"] = () => Thrown(() => ServerAddress.Parse($"ssl://octopus:{Password}@broker:0")),
        ["password of the wrong type"] = () => Thrown(() => MqttOptionsJson.Read($$$$$"""{"client":{"basicAuth":{"password":["{{{{{Password}}}}}"]}}}""")),
        ["key of the wrong type"] = () => Thrown(() => MqttOptionsJson.Read($$$$$"""{"client":{"tlsConfig":{"keyFilePEM":{"pem":"{{{{{Escape(KeyPem)}}}}}"}}}}""")),
        ["misspelt password beside others"] = () => Thrown(() => MqttOptionsJson.Read($$$$$"""{"client":{"basicAuth":{"pasword":"{{{{{Password}}}}}","colour":1}}}""")),
        ["misspelt key field"] = () => Thrown(() => MqttOptionsJson.Read($$$$$"""{"client":{"tlsConfig":{"keyFilePem":"{{{{{Escape(KeyPem)}}}}}","x":1}}}""")),
        ["documented misspelling of password"] = () => Warnings($$$$$"""{"client":{"basicAuth":{"username":"u","passsword":"{{{{{Password}}}}}"}}}"""),
        ["validator with secrets and errors"] = () => Text(Problems(o =>
        {
            o.Client.BasicAuth = new MqttBasicAuthSettings { Password = Password, PasswordRef = new DeviceLinkReference { Name = "a", Item = "b" } };
            o.Client.TlsConfig = new MqttTlsSettings { KeyFilePEM = KeyPem, KeyFilePEMRef = new DeviceLinkReference { Name = "t", Item = "k" } };
        })),
        ["key that does not match the certificate"] = () => Credentials(new MqttTlsSettings { CertFilePEM = TestPki.CertificatePem(OtherRsa), KeyFilePEM = KeyPem }),
        ["key with one line damaged"] = () => Credentials(new MqttTlsSettings { CertFilePEM = TestPki.CertificatePem(ClientRsa), KeyFilePEM = Damage(KeyPem) }),
        ["PKCS#1 key with one line damaged"] = () => Credentials(new MqttTlsSettings { CertFilePEM = TestPki.CertificatePem(ClientRsa), KeyFilePEM = Damage(RsaKeyPem) }),
        ["key given as the CA bundle"] = () => Credentials(new MqttTlsSettings { CaFilePEM = KeyPem }),
        ["key given as the certificate"] = () => Credentials(new MqttTlsSettings { CertFilePEM = KeyPem, KeyFilePEM = KeyPem }),
        ["password without username"] = () => Credentials(null, new MqttBasicAuthSettings { Username = "", Password = Password }),
        ["built credentials ToString"] = async () => (await MqttCredentialsBuilder.BuildAsync(
            new MqttClientSettings { Server = "ssl://b:8883", BasicAuth = new() { Username = "u", Password = Password }, TlsConfig = new() { CertFilePEM = TestPki.CertificatePem(ClientRsa), KeyFilePEM = KeyPem } },
            null,
            TestContext.Current.CancellationToken)).ToString(),
    };

    public static TheoryData<string> ScenarioNames => [.. Scenarios.Keys];

    [Theory]
    [MemberData(nameof(ScenarioNames))]
    public async Task Scenario_TextShown_HoldsNeitherThePasswordNorTheKey(string name)
    {
        var text = await Scenarios[name]();

        text.Should().NotBeNullOrWhiteSpace();
        text.Should().NotContain(Password);
        foreach (var line in KeyLines(KeyPem).Concat(KeyLines(RsaKeyPem)))
        {
            text.Should().NotContain(line, "no line of the private key may be shown");
        }
    }

    private static MqttOptions Options()
    {
        var options = new MqttOptions();
        options.Client.Server = "ssl://broker:8883";
        options.Client.BasicAuth = new MqttBasicAuthSettings { Username = "octopus", Password = Password };
        options.Client.TlsConfig = new MqttTlsSettings { CertFilePEM = TestPki.CertificatePem(ClientRsa), KeyFilePEM = KeyPem };
        options.Message.Topic = "a/:name";
        return options;
    }

    private static string Problems(Action<MqttOptions> change)
    {
        var options = Options();
        change(options);
        var problems = MqttOptionsValidator.GetProblems(options);
        var validation = new MqttOptionsValidator().Validate("fan", options);
        return string.Join('\n', problems.Select(p => p.ToString())) + '\n' + validation.FailureMessage + '\n' + options;
    }

    private static Task<string> Text(string text) => Task.FromResult(text);

    private static Task<string> Thrown(Action act)
    {
        try
        {
            act();
        }
        catch (Exception exception)
        {
            return Task.FromResult(exception.ToString() + (exception as MqttOptionsException)?.Problems.Select(p => p.ToString()).Aggregate(string.Empty, string.Concat));
        }

        throw new InvalidOperationException("expected the input to be refused");
    }

    private static Task<string> Warnings(string json)
    {
        var result = MqttOptionsJson.Read(json);
        return Task.FromResult(string.Join('\n', result.Warnings.Select(w => w.ToString())) + '\n' + result.Options);
    }

    private static async Task<string> Credentials(MqttTlsSettings? tls, MqttBasicAuthSettings? auth = null)
    {
        var client = new MqttClientSettings { Server = "ssl://broker:8883", TlsConfig = tls, BasicAuth = auth };
        var exception = await FluentActions.Awaiting(async () => await MqttCredentialsBuilder.BuildAsync(client, null, TestContext.Current.CancellationToken))
            .Should().ThrowAsync<MqttCredentialsException>();
        return exception.Which.ToString();
    }

    private static IEnumerable<string> KeyLines(string pem) =>
        pem.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Where(l => !l.StartsWith("-----", StringComparison.Ordinal));

    /// <summary>Flips one character in the middle of the key's base64, so the PEM decodes but the key does not.</summary>
    private static string Damage(string pem)
    {
        var lines = pem.Split('\n');
        var middle = lines.Length / 2;
        var chars = lines[middle].ToCharArray();
        chars[10] = chars[10] == 'A' ? 'B' : 'A';
        lines[middle] = new string(chars);
        return string.Join('\n', lines);
    }

    private static string Escape(string text) => text.Replace("\n", "\\n", StringComparison.Ordinal);
}
