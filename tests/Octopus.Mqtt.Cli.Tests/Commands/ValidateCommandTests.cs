namespace Octopus.Mqtt.Cli.Tests.Commands;

public class ValidateCommandTests
{
    private const string Uid = "9e8efcb0-4b79-45e7-a4c4-3349562292e3";

    private const string Prefix = "spec.template.spec.extension.mqtt";

    private const string InvalidYaml = """
        kind: DeviceLink
        metadata: {namespace: plant, name: press-7, uid: 9e8efcb0-4b79-45e7-a4c4-3349562292e3}
        spec:
          template:
            spec:
              extension:
                mqtt:
                  client:
                    server: ftp://broker.example
                    connectionTime: 20s
                    resumeSubs: true
                  message:
                    topic: plant/:name/
                    qos: 3
        """;

    private const string InvalidJson = """
        {
          "kind": "DeviceLink",
          "metadata": { "namespace": "plant", "name": "press-7", "uid": "9e8efcb0-4b79-45e7-a4c4-3349562292e3" },
          "spec": { "template": { "spec": { "extension": { "mqtt": {
            "client": { "server": "ftp://broker.example", "connectionTime": "20s", "resumeSubs": true },
            "message": { "topic": "plant/:name/", "qos": 3 }
          } } } } }
        }
        """;

    [Fact]
    public async Task Validate_ValidDeviceLink_ExitsZero()
    {
        var run = await CliRun.RunAsync("validate", CliRun.DeviceLink("case3.yaml"));

        run.ExitCode.Should().Be(0);
        run.OutLines.Should().Equal($"{CliRun.DeviceLink("case3.yaml")}: valid (DeviceLink default/case3)");
        run.Error.Should().BeEmpty();
    }

    [Fact]
    public async Task Validate_DeviceLinkWithoutUid_ExitsOneWithAHint()
    {
        var file = CliRun.DeviceLink("living-room-fan.yaml");

        var run = await CliRun.RunAsync("validate", file);

        run.ExitCode.Should().Be(1);
        run.OutLines.Should().Equal(
            "error: metadata.uid: is required",
            "hint: a DeviceLink gets its uid from the API server; give it with --uid (kubectl get devicelink NAME -o jsonpath='{.metadata.uid}')",
            $"{file}: not valid (DeviceLink: 1 error)");
    }

    [Fact]
    public async Task Validate_UidGivenOnTheCommandLine_FillsInTheDeviceLink()
    {
        var file = CliRun.DeviceLink("living-room-fan.yaml");

        var run = await CliRun.RunAsync("validate", file, "--uid", Uid);

        run.ExitCode.Should().Be(0);
        run.OutLines.Should().Equal($"{file}: valid (DeviceLink default/living-room-fan)");
    }

    [Fact]
    public async Task Validate_Problems_PrintsEveryErrorAndWarningWithItsPath()
    {
        using var file = TempFile.WithText("press.yaml", InvalidYaml);

        var run = await CliRun.RunAsync("validate", file.Path);

        run.ExitCode.Should().Be(1);
        run.OutLines.Should().Equal(
            $"error: {Prefix}.client.server: \"ftp://broker.example\" has the unknown scheme \"ftp\"; expected tcp, ssl, tls, tcps, ws, wss or unix",
            $"error: {Prefix}.message.topic: \"plant/:name/\" ends with \"/\"; allowed: a topic template without a trailing \"/\"",
            $"error: {Prefix}.message.qos: 3 is not a QoS; allowed: 0, 1, 2",
            $"warning: {Prefix}.client.connectionTime is a misspelling of connectTimeout (as in the Octopus documentation); read as connectTimeout",
            $"warning: {Prefix}.client.resumeSubs: has no effect while client.cleanSession is true",
            $"{file.Path}: not valid (DeviceLink plant/press-7: 3 errors, 2 warnings)");
        run.Error.Should().BeEmpty();
    }

    [Fact]
    public async Task Validate_MisspeltExtensionKey_WarnsThatMqttIsOff()
    {
        using var file = TempFile.WithText("fan.yaml", $"kind: DeviceLink\nmetadata: {{name: fan, uid: {Uid}}}\nspec: {{template: {{spec: {{gear: slow, extention: {{mqtt: {{client: {{server: tcp://h}}, message: {{topic: t/:name}}}}}}}}}}}}\n");

        var run = await CliRun.RunAsync("validate", file.Path);

        run.ExitCode.Should().Be(1);
        run.OutLines.Should().Equal(
            $"error: {Prefix}: is not set; this DeviceLink does not use MQTT",
            "warning: spec.template.spec.extention: is not a known field; did you mean extension? Without spec.template.spec.extension.mqtt the MQTT extension is off",
            $"{file.Path}: not valid (DeviceLink default/fan: 1 error, 1 warning)");
    }

    [Fact]
    public async Task Validate_OperatorWithoutOperatorLevel_Warns()
    {
        using var file = TempFile.WithText("fan.yaml", $"kind: DeviceLink\nmetadata: {{name: fan, uid: {Uid}}}\nspec: {{template: {{spec: {{extension: {{mqtt: {{client: {{server: tcp://h}}, message: {{topic: t/:name, operator: {{read: get}}}}}}}}}}}}}}\n");

        var run = await CliRun.RunAsync("validate", file.Path);

        run.ExitCode.Should().Be(0);
        run.OutLines.Should().Equal(
            $"warning: {Prefix}.message.operator.read: \"get\" is not used: message.topic \"t/:name\" has no :operator level, so the subscribe topic is the publish topic (the device receives its own status); add :operator to the topic or remove operator.read",
            $"{file.Path}: valid (DeviceLink default/fan, 1 warning)");
    }

    [Fact]
    public async Task Validate_DurationAboveTheLongestTimer_SaysTheMaximum()
    {
        using var file = TempFile.WithText("options.yaml", "client: {server: tcp://h, connectTimeout: 2400h}\nmessage: {topic: t/:name}\n");

        var run = await CliRun.RunAsync("validate", file.Path, "--name", "fan");

        run.ExitCode.Should().Be(1);
        run.OutLines.Should().Equal(
            "error: client.connectTimeout: \"2400h0m0s\" is too long; allowed: up to 1193h2m47.294s (about 49.7 days), the longest a timer accepts",
            $"{file.Path}: not valid (MQTT options: 1 error)");
    }

    [Fact]
    public async Task Validate_DurationPastGosLimit_SaysTheMaximum()
    {
        using var file = TempFile.WithText("options.json", """{"client": {"server": "tcp://h", "maxReconnectInterval": "9999999999h"}, "message": {"topic": "t/:name"}}""");

        var run = await CliRun.RunAsync("validate", file.Path, "--name", "fan");

        run.ExitCode.Should().Be(1);
        run.OutLines.Should().Equal(
            "error: client.maxReconnectInterval: \"9999999999h\" is longer than the longest duration, 2562047h47m16.854775807s (about 292 years)",
            $"{file.Path}: not valid (MQTT options: 1 error)");
    }

    [Fact]
    public async Task Validate_InsecureSkipVerify_Warns()
    {
        using var file = TempFile.WithText("options.yaml", "client: {server: ssl://h, tlsConfig: {insecureSkipVerify: true}}\nmessage: {topic: t/:name}\n");

        var run = await CliRun.RunAsync("validate", file.Path, "--name", "fan");

        run.ExitCode.Should().Be(0);
        run.OutLines.Should().Equal(
            "warning: client.tlsConfig.insecureSkipVerify: is true; the broker's certificate is not verified, so anyone between the device and the broker can read and change its messages; use it only for tests",
            $"{file.Path}: valid (MQTT options, 1 warning)");
    }

    [Fact]
    public async Task Validate_FieldsThatCannotBeRead_AreErrorsWithTheirPaths()
    {
        using var file = TempFile.WithText("press.yaml", """
            kind: DeviceLink
            metadata: {name: press-7, uid: 9e8efcb0-4b79-45e7-a4c4-3349562292e3}
            spec:
              template:
                spec:
                  extension:
                    mqtt:
                      client: {server: "tcp://h", conectTimeout: 10s, keepAlive: 20, store: {type: Disk}}
                      message: {topic: t, qos: "1"}
            """);

        var run = await CliRun.RunAsync("validate", file.Path);

        run.ExitCode.Should().Be(1);
        run.OutLines.Should().Equal(
            $"error: {Prefix}.client.conectTimeout is not a known field; did you mean connectTimeout?",
            $"error: {Prefix}.client.keepAlive: expected a Go duration such as 300ms, 1.5s, 1m30s or 2h45m (units ns, us, µs, ms, s, m, h), got 20",
            $"error: {Prefix}.client.store.type: \"Disk\" is not a store type; allowed: Memory, File (any case)",
            $"error: {Prefix}.message.qos: expected a whole number, got \"1\"",
            $"{file.Path}: not valid (DeviceLink: 4 errors)");
    }

    [Fact]
    public async Task Validate_YamlAndJson_GiveTheSameProblems()
    {
        using var yaml = TempFile.WithText("press.yaml", InvalidYaml);
        using var json = TempFile.WithText("press.json", InvalidJson);

        var fromYaml = await CliRun.RunAsync("validate", yaml.Path);
        var fromJson = await CliRun.RunAsync("validate", json.Path);

        fromJson.ExitCode.Should().Be(fromYaml.ExitCode);
        fromJson.OutLines[..^1].Should().Equal(fromYaml.OutLines[..^1]).And.HaveCount(5);
    }

    [Fact]
    public async Task Validate_BareOptions_UsesPathsOfTheOptions()
    {
        using var file = TempFile.WithText("options.json", """{ "client": { "server": "tcp://h:99999" }, "message": { "topic": "t/:name" } }""");

        var run = await CliRun.RunAsync("validate", file.Path, "--name", "press-7");

        run.ExitCode.Should().Be(1);
        run.OutLines.Should().Equal(
            "error: client.server: \"tcp://h:99999\" has the port \"99999\"; expected a number from 1 to 65535",
            $"{file.Path}: not valid (MQTT options: 1 error)");
    }

    [Fact]
    public async Task Validate_ValidBareOptionsInYaml_ExitsZero()
    {
        using var file = TempFile.WithText("options.yaml", "client:\n  server: tcp://localhost\nmessage:\n  topic: t/:name\n");

        var run = await CliRun.RunAsync("validate", file.Path);

        run.ExitCode.Should().Be(0);
        run.OutLines.Should().Equal($"{file.Path}: valid (MQTT options)");
    }

    [Fact]
    public async Task Validate_OtherKind_ExitsOne()
    {
        using var file = TempFile.WithText("pod.yaml", "kind: Pod\nmetadata: {name: x}\n");

        var run = await CliRun.RunAsync("validate", file.Path);

        run.ExitCode.Should().Be(1);
        run.OutLines.Should().Equal(
            "error: kind: \"Pod\" is not DeviceLink; expected a DeviceLink, or bare MQTT options with the fields client and message",
            $"{file.Path}: not valid (DeviceLink: 1 error)");
    }

    [Fact]
    public async Task Validate_DeviceLinkWithoutMqtt_ExitsOne()
    {
        using var file = TempFile.WithText("plain.yaml", $"kind: DeviceLink\nmetadata: {{name: x, uid: {Uid}}}\nspec: {{template: {{spec: {{gear: slow}}}}}}\n");

        var run = await CliRun.RunAsync("validate", file.Path);

        run.ExitCode.Should().Be(1);
        run.OutLines.Should().Equal(
            $"error: {Prefix}: is not set; this DeviceLink does not use MQTT",
            $"{file.Path}: not valid (DeviceLink default/x: 1 error)");
    }

    [Fact]
    public async Task Validate_WildcardTopic_WarnsThatItCannotBePublishedTo()
    {
        using var file = TempFile.WithText("press.yaml", $"kind: DeviceLink\nmetadata: {{name: press-7, uid: {Uid}}}\nspec: {{template: {{spec: {{extension: {{mqtt: {{client: {{server: tcp://h}}, message: {{topic: plant/:name/#}}}}}}}}}}}}\n");

        var run = await CliRun.RunAsync("validate", file.Path);

        run.ExitCode.Should().Be(0);
        run.OutLines.Should().Equal(
            $"warning: {Prefix}.message.topic: cannot be rendered for publishing: The topic template \"plant/:name/#\" has the wildcard level \"#\"; a publish topic cannot contain wildcards.",
            $"{file.Path}: valid (DeviceLink default/press-7, 1 warning)");
    }

    [Fact]
    public async Task Validate_TopicTemplatesThatCannotBeParsed_AreErrors()
    {
        using var file = TempFile.WithText("options.yaml", "client: {server: tcp://h}\nmessage: {topic: plant/:name, path: \"a+b\", will: {topic: \"gone/#/x\", content: \"\"}}\n");

        var run = await CliRun.RunAsync("validate", file.Path);

        run.ExitCode.Should().Be(1);
        run.OutLines.Should().Equal(
            "error: message.will.topic: \"gone/#/x\" holds the wildcard \"#\"; allowed: a topic without + or #, as the will is published",
            "error: message.will.topic: The topic template \"gone/#/x\" has levels after the wildcard \"#\"; \"#\" must be the last level.",
            $"{file.Path}: not valid (MQTT options: 2 errors)");
    }

    [Fact]
    public async Task Validate_PathWithAWildcardUsedByTheTopic_IsAnError()
    {
        using var file = TempFile.WithText("options.yaml", "client: {server: tcp://h}\nmessage: {topic: plant/:path, path: \"a+b\", will: {topic: \"gone/#/x\", content: \"\"}}\n");

        var run = await CliRun.RunAsync("validate", file.Path);

        run.ExitCode.Should().Be(1);
        run.OutLines.Should().Equal(
            "error: message.will.topic: \"gone/#/x\" holds the wildcard \"#\"; allowed: a topic without + or #, as the will is published",
            "error: message.topic: The value \"a+b\" of :path would put the wildcard \"+\" into the topic; a value cannot contain \"+\", \"#\" or U+0000.",
            $"{file.Path}: not valid (MQTT options: 2 errors)");
    }

    [Fact]
    public async Task Validate_MissingFile_ExitsTwo()
    {
        var missing = Path.Combine(CliRun.DeviceLinks, "missing.yaml");

        var run = await CliRun.RunAsync("validate", missing);

        run.ExitCode.Should().Be(2);
        run.Out.Should().BeEmpty();
        run.ErrorLines.Should().Equal($"error: {missing}: does not exist");
    }

    [Fact]
    public async Task Validate_Directory_ExitsTwo()
    {
        var run = await CliRun.RunAsync("validate", CliRun.DeviceLinks);

        run.ExitCode.Should().Be(2);
        run.ErrorLines.Should().Equal($"error: {CliRun.DeviceLinks}: is a directory; expected a YAML or JSON file");
    }

    [Theory]
    [InlineData("file.yaml", "a: b: c\n", "is neither JSON nor valid YAML: line 1, column 5: While scanning a plain scalar value, found invalid mapping")]
    [InlineData("file.json", "a: b: c\n", "is neither JSON nor valid YAML: line 1, column 5: While scanning a plain scalar value, found invalid mapping")]
    [InlineData("file.json", "{\"client\": {]", "is neither valid JSON nor YAML: ']' is an invalid start of a property name. Expected a '\"'. LineNumber: 0 | BytePositionInLine: 12.")]
    [InlineData("file.yaml", "{\"client\": [}", "is neither valid JSON nor YAML: '}' is an invalid start of a value. LineNumber: 0 | BytePositionInLine: 12.")]
    [InlineData("file.yaml", "just some words", "holds a single value; expected a mapping: a DeviceLink or MQTT options")]
    [InlineData("file", "- a\n- b\n", "holds a list; expected a mapping: a DeviceLink or MQTT options")]
    [InlineData("file.yml", "  \n", "is empty; expected a DeviceLink or MQTT options")]
    public async Task Validate_NotYamlOrJson_ExitsTwo(string name, string text, string message)
    {
        using var file = TempFile.WithText(name, text);

        var run = await CliRun.RunAsync("validate", file.Path);

        run.ExitCode.Should().Be(2);
        run.Out.Should().BeEmpty();
        run.ErrorLines.Should().Equal($"error: {file.Path}: {message}");
    }

    [Theory]
    [InlineData("devicelink.json")]
    [InlineData("devicelink.yaml")]
    [InlineData("devicelink")]
    public async Task Validate_YamlWithCommentsWhateverTheExtension_IsReadAsYaml(string name)
    {
        using var file = TempFile.WithText(name, $"# the fan\nkind: DeviceLink\nmetadata: {{name: fan, uid: {Uid}}}\nspec: {{template: {{spec: {{extension: {{mqtt: {{client: {{server: tcp://h}}, message: {{topic: t/:name}}}}}}}}}}}}\n");

        var run = await CliRun.RunAsync("validate", file.Path);

        run.ExitCode.Should().Be(0);
        run.OutLines.Should().Equal($"{file.Path}: valid (DeviceLink default/fan)");
    }

    [Fact]
    public async Task Validate_JsonInAYamlFile_IsReadAsJson()
    {
        using var file = TempFile.WithText("options.yaml", """{ "client": { "server": "tcp://h", "server": "tcp://g" }, "message": { "topic": "t/:name" } }""");

        var run = await CliRun.RunAsync("validate", file.Path, "--name", "fan");

        run.ExitCode.Should().Be(1, "JSON is read as JSON, whose reader names a repeated key");
        run.OutLines[0].Should().Contain("client.server").And.Contain("more than once");
    }

    [Theory]
    [InlineData(new byte[] { 0x7B, 0xFF, 0xFE, 0x7D }, "is not UTF-8 text; expected a YAML or JSON file")]
    [InlineData(new byte[] { 0x61, 0x3A, 0x00, 0x01 }, "is binary, not text; expected a YAML or JSON file")]
    public async Task Validate_BinaryFile_ExitsTwo(byte[] bytes, string message)
    {
        using var file = TempFile.WithBytes("file.bin", bytes);

        var run = await CliRun.RunAsync("validate", file.Path);

        run.ExitCode.Should().Be(2);
        run.ErrorLines.Should().Equal($"error: {file.Path}: {message}");
    }

    [Fact]
    public async Task Validate_UnknownOption_ExitsTwoWithUsage()
    {
        var run = await CliRun.RunAsync("validate", CliRun.DeviceLink("case1.yaml"), "--bogus");

        run.ExitCode.Should().Be(2);
        run.Out.Should().BeEmpty();
        run.ErrorLines.Should().Equal(
            "error: Unrecognized command or argument '--bogus'.",
            "usage: octopus-mqtt validate <FILE> [options]",
            "Run 'octopus-mqtt validate --help' for more.");
    }

    [Fact]
    public async Task Validate_NoFile_ExitsTwoWithUsage()
    {
        var run = await CliRun.RunAsync("validate");

        run.ExitCode.Should().Be(2);
        run.ErrorLines[0].Should().Be("error: Required argument missing for command: 'validate'.");
    }

    [Fact]
    public async Task Validate_Help_DescribesTheCommandAndItsOptions()
    {
        var run = await CliRun.RunAsync("validate", "--help");

        run.ExitCode.Should().Be(0);
        run.Out.Should().Contain("octopus-mqtt validate <FILE> [options]")
            .And.Contain("--namespace <NS>")
            .And.Contain("--name <NAME>")
            .And.Contain("--uid <UID>");
    }
}
