using System.Text;

namespace Octopus.Mqtt.Cli.Tests.Connect;

public class PubSubTests
{
    private const string Uid = "9e8efcb0-4b79-45e7-a4c4-3349562292e3";

    private const string ClientId = "octopus-9e8efcb04b7945e7a4c43349562292e3";

    [Fact]
    public async Task Pub_Broker_PublishesThePayloadToTheRenderedTopicOnce()
    {
        await using var broker = await TestBroker.StartAsync();
        using var file = Options(broker.Server, "plant/:name/:path");

        var run = await CliRun.RunAsync("pub", file.Path, "--name", "fan", "--uid", Uid, "--render", "path=hall", "--payload", "{\"gear\":\"fast\"}");

        run.ExitCode.Should().Be(0, run.Error);
        run.OutLines.Should().Equal($"published 15 bytes to plant/fan/hall (qos 1, retained true) as {ClientId}");
        var message = broker.Published.Should().ContainSingle().Subject;
        message.Should().BeEquivalentTo(new PublishedMessage(ClientId, "plant/fan/hall", Encoding.UTF8.GetBytes("{\"gear\":\"fast\"}"), 1, true));
    }

    [Fact]
    public async Task Pub_WithoutPayload_PublishesAnEmptyObject()
    {
        await using var broker = await TestBroker.StartAsync();
        using var file = Options(broker.Server, "plant/:name", "qos: 0\n  retained: false");

        var run = await CliRun.RunAsync("pub", file.Path, "--name", "fan", "--uid", Uid);

        run.ExitCode.Should().Be(0, run.Error);
        run.OutLines.Should().Equal($"published 2 bytes to plant/fan (qos 0, retained false) as {ClientId}");
        await Eventually.TrueAsync(() => !broker.Published.IsEmpty, "the message");
        broker.Published.Should().ContainSingle().Which.Payload.Should().Equal("{}"u8.ToArray());
    }

    [Fact]
    public async Task Sub_Broker_PrintsEachMessageOnTheSubscribeTopic()
    {
        await using var broker = await TestBroker.StartAsync();
        using var file = Options(broker.Server, "plant/:name/:operator", "operator: {read: status, write: set}");

        var sub = CliRun.RunAsync("sub", file.Path, "--name", "fan", "--uid", Uid, "--count", "2");
        await Eventually.TrueAsync(() => broker.Subscriptions.Contains("plant/fan/status") || sub.IsCompleted, "the subscription");
        sub.IsCompleted.Should().BeFalse();
        (await CliRun.RunAsync("pub", file.Path, "--name", "fan", "--uid", "other", "--render", "operator=status", "--payload", "{\"n\":1}")).ExitCode.Should().Be(0);
        (await CliRun.RunAsync("pub", file.Path, "--name", "fan", "--uid", "other", "--render", "operator=status", "--payload", "\"two\"")).ExitCode.Should().Be(0);
        var run = await sub;

        run.ExitCode.Should().Be(0, run.Error);
        run.OutLines.Should().Equal("plant/fan/status {\"n\":1}", "plant/fan/status \"two\"");
        run.ErrorLines.Should().Equal($"subscribed to plant/fan/status as {ClientId}");
    }

    [Fact]
    public async Task Sub_Cancelled_StopsWithExitCodeZero()
    {
        await using var broker = await TestBroker.StartAsync();
        using var file = Options(broker.Server, "plant/:name");
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();

        var sub = CliApp.RunAsync(["sub", file.Path, "--name", "fan", "--uid", Uid], stdout, stderr, stop.Token);
        await Eventually.TrueAsync(() => broker.Subscriptions.Contains("plant/fan") || sub.IsCompleted, "the subscription");
        await stop.CancelAsync();

        (await sub).Should().Be(0, stderr.ToString());
    }

    [Fact]
    public async Task Pub_NoBroker_ExitsOneAndSaysItCannotConnect()
    {
        var server = $"tcp://127.0.0.1:{TestBroker.FreePort()}";
        using var file = Options(server, "plant/:name");

        var run = await CliRun.RunAsync("pub", file.Path, "--name", "fan", "--uid", Uid);

        run.ExitCode.Should().Be(1);
        run.Out.Should().BeEmpty();
        run.ErrorLines.Should().ContainSingle().Which.Should().StartWith($"error: cannot connect to {server}: ").And.Contain(ClientId);
    }

    [Theory]
    [InlineData("pub")]
    [InlineData("sub")]
    public async Task PubSub_InsecureSkipVerify_WarnsOnStandardError(string command)
    {
        var server = $"ssl://127.0.0.1:{TestBroker.FreePort()}";
        using var file = TempFile.WithText("options.yaml", $"client: {{server: \"{server}\", tlsConfig: {{insecureSkipVerify: true}}}}\nmessage: {{topic: plant/:name}}\n");

        var run = await CliRun.RunAsync(command, file.Path, "--name", "fan", "--uid", Uid);

        run.ExitCode.Should().Be(1);
        run.ErrorLines.Should().HaveCount(2);
        run.ErrorLines[0].Should().Be("warning: client.tlsConfig.insecureSkipVerify: is true; the broker's certificate is not verified, so anyone between the device and the broker can read and change its messages; use it only for tests");
        run.ErrorLines[1].Should().StartWith($"error: cannot connect to {server}: ");
    }

    [Fact]
    public async Task Pub_CredentialsFromReferences_AreReadFromTheDirectory()
    {
        await using var broker = await TestBroker.StartAsync();
        broker.Credentials = ("adaptor", "R3F-PA55");
        using var file = Options(broker.Server, "plant/:name", basicAuth: "basicAuth: {username: adaptor, passwordRef: {name: mqtt-auth, item: password}}");
        var references = Directory.CreateTempSubdirectory("octopus-mqtt-cli-refs-");
        try
        {
            Directory.CreateDirectory(Path.Combine(references.FullName, "mqtt-auth"));
            File.WriteAllText(Path.Combine(references.FullName, "mqtt-auth", "password"), "R3F-PA55");

            var run = await CliRun.RunAsync("pub", file.Path, "--name", "fan", "--uid", Uid, "--references", references.FullName);

            run.ExitCode.Should().Be(0, run.Error);
            (run.Out + run.Error).Should().NotContain("R3F-PA55");
        }
        finally
        {
            references.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task Pub_CredentialsRefused_ExitsOneWithoutPrintingThePassword()
    {
        await using var broker = await TestBroker.StartAsync();
        broker.Credentials = ("adaptor", "R1GHT-PA55");
        using var file = Options(broker.Server, "plant/:name", basicAuth: "basicAuth: {username: adaptor, password: WR0NG-PA55}");

        var run = await CliRun.RunAsync("pub", file.Path, "--name", "fan", "--uid", Uid);

        run.ExitCode.Should().Be(1);
        run.ErrorLines.Should().ContainSingle().Which.Should().StartWith($"error: cannot connect to {broker.Server}: ");
        (run.Out + run.Error).Should().NotContain("WR0NG-PA55").And.NotContain("R1GHT-PA55");
        broker.Published.Should().BeEmpty();
    }

    [Fact]
    public async Task Pub_ReferenceWithoutDirectory_ExitsOneNamingTheReference()
    {
        await using var broker = await TestBroker.StartAsync();
        using var file = Options(broker.Server, "plant/:name", basicAuth: "basicAuth: {username: adaptor, passwordRef: {name: mqtt-auth, item: password}}");

        var run = await CliRun.RunAsync("pub", file.Path, "--name", "fan", "--uid", Uid);

        run.ExitCode.Should().Be(1);
        run.ErrorLines.Should().HaveCount(2);
        run.ErrorLines[0].Should().StartWith($"error: cannot connect to {broker.Server}: ")
            .And.Contain("client.basicAuth.passwordRef: reference \"mqtt-auth\" item \"password\" cannot be read");
        run.ErrorLines[1].Should().Be("hint: give the directory of the DeviceLink's references with --references DIR (DIR/NAME/ITEM files, as Kubernetes mounts them)");
    }

    [Fact]
    public async Task Pub_WildcardTemplate_ExitsOneWithoutConnecting()
    {
        await using var broker = await TestBroker.StartAsync();
        using var file = Options(broker.Server, "plant/+/:name");

        var run = await CliRun.RunAsync("pub", file.Path, "--name", "fan", "--uid", Uid);

        run.ExitCode.Should().Be(1);
        run.ErrorLines.Should().Equal(
            "warning: message.topic: cannot be rendered for publishing: The topic template \"plant/+/:name\" has the wildcard level \"+\"; a publish topic cannot contain wildcards.",
            "error: no publish topic: The topic template \"plant/+/:name\" has the wildcard level \"+\"; a publish topic cannot contain wildcards.");
        broker.Published.Should().BeEmpty();
    }

    [Fact]
    public async Task Pub_InvalidOptions_ExitsOne()
    {
        using var file = TempFile.WithText("options.yaml", "client: {server: \"tcp://127.0.0.1:1\", keepAlive: 100000s}\nmessage: {topic: t}\n");

        var run = await CliRun.RunAsync("pub", file.Path, "--name", "fan", "--uid", Uid);

        run.ExitCode.Should().Be(1);
        run.ErrorLines.Should().Equal(
            "error: client.keepAlive: \"27h46m40s\" is too long; allowed: up to 65535s (18h12m15s), the most MQTT can carry",
            $"{file.Path}: not valid (1 error)");
    }

    private static TempFile Options(string server, string topic, string? message = null, string? basicAuth = null) =>
        TempFile.WithText("options.yaml", $"""
            client:
              server: "{server}"
              connectTimeout: 10s
              {basicAuth ?? string.Empty}
            message:
              topic: "{topic}"
              {message ?? string.Empty}
            """);
}
