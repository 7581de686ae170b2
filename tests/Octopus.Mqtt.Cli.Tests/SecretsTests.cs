namespace Octopus.Mqtt.Cli.Tests;

public class SecretsTests
{
    private static readonly string[] Secrets = ["S3RVER-PA55", "BA51C-PA55-W0RD", "UFJJVkFURS1LRVktTUFURVJJQUw="];

    public static TheoryData<string[]> CommandLines => new()
    {
        new[] { "validate" },
        new[] { "render" },
        new[] { "render", "--json" },
        new[] { "render", "--render", "path=x", "--json" },
    };

    [Theory]
    [MemberData(nameof(CommandLines))]
    public async Task Command_ValidDeviceLinkWithSecrets_PrintsNoSecret(string[] commandLine)
    {
        var run = await CliRun.RunAsync([commandLine[0], CliRun.DeviceLink("secrets.yaml"), .. commandLine[1..]]);

        run.ExitCode.Should().Be(0);
        ShouldHoldNoSecret(run);
    }

    [Theory]
    [MemberData(nameof(CommandLines))]
    public async Task Command_InvalidDeviceLinkWithSecrets_PrintsNoSecret(string[] commandLine)
    {
        var text = File.ReadAllText(CliRun.DeviceLink("secrets.yaml"))
            .Replace("ssl://", "ssl://adaptor:S3RVER-PA55@", StringComparison.Ordinal)
            .Replace("certFilePEM:", "caFilePEM:", StringComparison.Ordinal);
        using var file = TempFile.WithText("secrets.yaml", text);

        var run = await CliRun.RunAsync([commandLine[0], file.Path, .. commandLine[1..]]);

        run.ExitCode.Should().Be(1);
        (run.Out + run.Error).Should().Contain("client.tlsConfig.certFilePEM: is required with a client key")
            .And.Contain("client.server: \"ssl://***@broker.example:8883\" carries user information");
        ShouldHoldNoSecret(run);
    }

    [Theory]
    [MemberData(nameof(CommandLines))]
    public async Task Command_SecretOfTheWrongType_PrintsNoSecret(string[] commandLine)
    {
        var text = File.ReadAllText(CliRun.DeviceLink("secrets.yaml"))
            .Replace("password: BA51C-PA55-W0RD", "password: [BA51C-PA55-W0RD]", StringComparison.Ordinal);
        using var file = TempFile.WithText("secrets.yaml", text);

        var run = await CliRun.RunAsync([commandLine[0], file.Path, .. commandLine[1..]]);

        run.ExitCode.Should().Be(1);
        (run.Out + run.Error).Should().Contain("client.basicAuth.password: expected a string");
        ShouldHoldNoSecret(run);
    }

    private static void ShouldHoldNoSecret(CliRun run)
    {
        foreach (var secret in Secrets)
        {
            run.Out.Should().NotContain(secret);
            run.Error.Should().NotContain(secret);
        }
    }
}
