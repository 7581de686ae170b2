using System.Text.Json.Nodes;

namespace Octopus.Mqtt.Cli.Tests.Commands;

public class RenderCommandTests
{
    private const string FanUid = "9e8efcb0-4b79-45e7-a4c4-3349562292e3";

    public static TheoryData<string, string> UsageCases => new()
    {
        {
            "case1.yaml",
            """
            {
              "clientId": "octopus-fcd1eb1bea424cb9afb00ec2d0830583",
              "publishTopic": "cattle.io/octopus/default/device/case1",
              "publishError": null,
              "subscribeTopic": "cattle.io/octopus/default/device/case1",
              "subscribeError": null,
              "willTopic": null,
              "qos": 1,
              "retained": true,
              "protocolVersion": 0,
              "server": "tcp://test.mosquitto.org:1883"
            }
            """
        },
        {
            "case2.yaml",
            """
            {
              "clientId": "octopus-41478d1ec3f846e3a3b5ba251f285277",
              "publishTopic": "cattle.io/octopus/device/41478d1e-c3f8-46e3-a3b5-ba251f285277",
              "publishError": null,
              "subscribeTopic": "cattle.io/octopus/device/41478d1e-c3f8-46e3-a3b5-ba251f285277",
              "subscribeError": null,
              "willTopic": null,
              "qos": 1,
              "retained": true,
              "protocolVersion": 0,
              "server": "tcp://test.mosquitto.org:1883"
            }
            """
        },
        {
            "case3.yaml",
            """
            {
              "clientId": "octopus-835aea2e5f804d1488f540c4bda41aa3",
              "publishTopic": "cattle.io/octopus/set/device/default/case3",
              "publishError": null,
              "subscribeTopic": "cattle.io/octopus/device/default/case3",
              "subscribeError": null,
              "willTopic": null,
              "qos": 1,
              "retained": true,
              "protocolVersion": 0,
              "server": "tcp://test.mosquitto.org:1883"
            }
            """
        },
        {
            "case4.yaml",
            """
            {
              "clientId": "octopus-014997f51f12498b8631d2f22920e20a",
              "publishTopic": "cattle.io/octopus/device/region/ap/014997f5-1f12-498b-8631-d2f22920e20a",
              "publishError": null,
              "subscribeTopic": "cattle.io/octopus/status/device/region/ap/014997f5-1f12-498b-8631-d2f22920e20a",
              "subscribeError": null,
              "willTopic": null,
              "qos": 1,
              "retained": true,
              "protocolVersion": 0,
              "server": "tcp://test.mosquitto.org:1883"
            }
            """
        },
    };

    [Theory]
    [MemberData(nameof(UsageCases))]
    public async Task Render_DocumentedUsageCase_PrintsItsTopicsAsOneJsonObject(string file, string expected)
    {
        var run = await CliRun.RunAsync("render", CliRun.DeviceLink(file), "--json");

        run.ExitCode.Should().Be(0);
        run.Error.Should().BeEmpty();
        ShouldBeJson(run.Out, expected);
    }

    [Fact]
    public async Task Render_LivingRoomFan_PrintsItsTopicsAsOneJsonObject()
    {
        var run = await CliRun.RunAsync("render", CliRun.DeviceLink("living-room-fan.yaml"), "--uid", FanUid, "--json");

        run.ExitCode.Should().Be(0);
        ShouldBeJson(run.Out, """
            {
              "clientId": "octopus-9e8efcb04b7945e7a4c43349562292e3",
              "publishTopic": "cattle.io/octopus/default/living-room-fan",
              "publishError": null,
              "subscribeTopic": "cattle.io/octopus/default/living-room-fan",
              "subscribeError": null,
              "willTopic": null,
              "qos": 1,
              "retained": true,
              "protocolVersion": 0,
              "server": "tcp://test.mosquitto.org:1883"
            }
            """);
    }

    [Fact]
    public async Task Render_LivingRoomFanInJson_PrintsWhatTheYamlGives()
    {
        using var json = TempFile.WithText("fan.json", $$"""
            {
              "apiVersion": "edge.cattle.io/v1alpha1",
              "kind": "DeviceLink",
              "metadata": { "name": "living-room-fan" },
              "spec": {
                "template": {
                  "spec": {
                    "extension": {
                      "mqtt": {
                        "client": { "server": "tcp://test.mosquitto.org:1883", "maxReconnectInterval": "20s" },
                        "message": { "topic": "cattle.io/octopus/:namespace/:name", "qos": 1 }
                      }
                    },
                    "gear": "slow",
                    "on": true
                  }
                }
              }
            }
            """);

        var fromYaml = await CliRun.RunAsync("render", CliRun.DeviceLink("living-room-fan.yaml"), "--uid", FanUid, "--json");
        var fromJson = await CliRun.RunAsync("render", json.Path, "--uid", FanUid, "--json");

        fromJson.ExitCode.Should().Be(0);
        fromJson.Out.Should().Be(fromYaml.Out);
    }

    [Fact]
    public async Task Render_WithoutJson_PrintsAnAlignedListing()
    {
        var run = await CliRun.RunAsync("render", CliRun.DeviceLink("case3.yaml"));

        run.ExitCode.Should().Be(0);
        run.OutLines.Should().Equal(
            "device            default/case3",
            "uid               835aea2e-5f80-4d14-88f5-40c4bda41aa3",
            "server            tcp://test.mosquitto.org:1883",
            "protocol version  0 (MQTT 3.1.1, falling back to 3.1)",
            "client ID         octopus-835aea2e5f804d1488f540c4bda41aa3",
            "client ID on 3.1  octopus-5a8044f40c41aa3 (when the broker refuses 3.1.1)",
            "topic template    cattle.io/octopus/:operator/device/:namespace/:name",
            "publish topic     cattle.io/octopus/set/device/default/case3",
            "subscribe topic   cattle.io/octopus/device/default/case3",
            "will topic        none (no will)",
            "qos               1",
            "retained          true");
    }

    [Fact]
    public async Task Render_ExpiryAndCoalescing_AreListedWhenSet()
    {
        using var file = TempFile.WithText("options.yaml", "client: {server: tcp://localhost}\nmessage: {topic: \"plant/:name\", expiry: 90s, coalesceRetained: true}\n");

        var run = await CliRun.RunAsync("render", file.Path, "--name", "fan", "--uid", FanUid);
        var json = await CliRun.RunAsync("render", file.Path, "--name", "fan", "--uid", FanUid, "--json");

        run.ExitCode.Should().Be(0);
        run.OutLines.Should().EndWith(["retained          true", "expiry            1m30s", "coalescing        retained (a newer retained publish replaces a queued one)"]);
        var result = JsonNode.Parse(json.Out)!;
        result["expiry"]!.GetValue<string>().Should().Be("1m30s");
        result["coalesceRetained"]!.GetValue<bool>().Should().BeTrue();
    }

    [Fact]
    public async Task Render_RenderMap_AppliesToBothTopics()
    {
        var run = await CliRun.RunAsync("render", CliRun.DeviceLink("case4.yaml"), "--render", "path=", "--render", ":operator=get", "--json");

        run.ExitCode.Should().Be(0);
        var result = JsonNode.Parse(run.Out)!;
        result["publishTopic"]!.GetValue<string>().Should().Be("cattle.io/octopus/get/device/014997f5-1f12-498b-8631-d2f22920e20a");
        result["subscribeTopic"]!.GetValue<string>().Should().Be("cattle.io/octopus/get/device/014997f5-1f12-498b-8631-d2f22920e20a");
    }

    [Fact]
    public async Task Render_RenderMapWithAWildcard_GivesNoTopicAndSaysWhy()
    {
        var run = await CliRun.RunAsync("render", CliRun.DeviceLink("case4.yaml"), "--render", "path=region/#", "--json");

        run.ExitCode.Should().Be(0);
        var result = JsonNode.Parse(run.Out)!;
        const string Error = "The value \"region/#\" of :path would put the wildcard \"#\" into the topic; a value cannot contain \"+\", \"#\" or U+0000.";
        result["publishTopic"].Should().BeNull();
        result["publishError"]!.GetValue<string>().Should().Be(Error);
        result["subscribeTopic"].Should().BeNull();
        result["subscribeError"]!.GetValue<string>().Should().Be(Error);
    }

    [Fact]
    public async Task Render_EmptyTopic_GivesNoTopicAndSaysWhy()
    {
        using var file = TempFile.WithText("options.yaml", "client: {server: tcp://localhost}\nmessage: {topic: :path/:operator}\n");

        var run = await CliRun.RunAsync("render", file.Path, "--name", "fan", "--uid", FanUid, "--json");

        run.ExitCode.Should().Be(0);
        var result = JsonNode.Parse(run.Out)!;
        result["publishTopic"].Should().BeNull();
        result["publishError"]!.GetValue<string>().Should().Be("The topic template \":path/:operator\" renders an empty publish topic: every level vanished.");
        result["subscribeTopic"].Should().BeNull();
        result["subscribeError"]!.GetValue<string>().Should().Be("The topic template \":path/:operator\" renders an empty subscribe topic: every level vanished.");
        run.ErrorLines.Should().Equal(
            "warning: message.topic: cannot be rendered for publishing: The topic template \":path/:operator\" renders an empty publish topic: every level vanished.",
            "warning: message.topic: cannot be rendered for subscribing: The topic template \":path/:operator\" renders an empty subscribe topic: every level vanished.");
    }

    [Fact]
    public async Task Render_EmptyTopicFilledByTheRenderMap_GivesTheTopics()
    {
        using var file = TempFile.WithText("options.yaml", "client: {server: tcp://localhost}\nmessage: {topic: :path/:operator}\n");

        var run = await CliRun.RunAsync("render", file.Path, "--name", "fan", "--uid", FanUid, "--render", "path=hall", "--json");

        var result = JsonNode.Parse(run.Out)!;
        result["publishTopic"]!.GetValue<string>().Should().Be("hall");
        result["subscribeTopic"]!.GetValue<string>().Should().Be("hall");
    }

    [Fact]
    public async Task Render_WildcardTemplate_GivesASubscribeTopicButNoPublishTopic()
    {
        using var file = TempFile.WithText("options.yaml", "client: {server: tcp://localhost}\nmessage: {topic: \"plant/:namespace/+/status\"}\n");

        var run = await CliRun.RunAsync("render", file.Path, "--name", "fan", "--uid", FanUid, "--json");

        run.ExitCode.Should().Be(0);
        var result = JsonNode.Parse(run.Out)!;
        result["publishTopic"].Should().BeNull();
        result["publishError"]!.GetValue<string>().Should().Be("The topic template \"plant/:namespace/+/status\" has the wildcard level \"+\"; a publish topic cannot contain wildcards.");
        result["subscribeTopic"]!.GetValue<string>().Should().Be("plant/default/+/status");
        result["subscribeError"].Should().BeNull();
    }

    [Fact]
    public async Task Render_Will_GivesItsTopic()
    {
        using var file = TempFile.WithText("options.yaml", "client: {server: tcp://localhost, protocolVersion: 3}\nmessage: {topic: \"plant/:name\", qos: 2, retained: false, will: {content: b2ZmbGluZQ==}}\n");

        var run = await CliRun.RunAsync("render", file.Path, "--name", "fan", "--uid", FanUid, "--json");

        run.ExitCode.Should().Be(0);
        ShouldBeJson(run.Out, """
            {
              "clientId": "octopus-efcb04957c34593",
              "publishTopic": "plant/fan",
              "publishError": null,
              "subscribeTopic": "plant/fan",
              "subscribeError": null,
              "willTopic": "plant/fan/$will",
              "qos": 2,
              "retained": false,
              "protocolVersion": 3,
              "server": "tcp://localhost"
            }
            """);
    }

    [Fact]
    public async Task Render_ServerList_ShowsEveryServerInTheOrderTried()
    {
        using var file = TempFile.WithText("options.yaml", "client: {server: tcp://node-1:1883, servers: [tcp://node-1:1883, ssl://node-2:8883, tcp://node-3:1883]}\nmessage: {topic: \"plant/:name\"}\n");

        var json = await CliRun.RunAsync("render", file.Path, "--name", "fan", "--uid", FanUid, "--json");
        var text = await CliRun.RunAsync("render", file.Path, "--name", "fan", "--uid", FanUid);

        json.ExitCode.Should().Be(0);
        JsonNode.Parse(json.Out)!["server"]!.GetValue<string>().Should().Be("tcp://node-1:1883");
        JsonNode.Parse(json.Out)!["servers"]!.AsArray().Select(n => n!.GetValue<string>())
            .Should().Equal("tcp://node-1:1883", "ssl://node-2:8883", "tcp://node-3:1883");
        text.OutLines.Should().Contain("server            tcp://node-1:1883, then ssl://node-2:8883, then tcp://node-3:1883 (tried in turn)");
    }

    [Fact]
    public async Task Render_IdentityKeywordInTheRenderMap_IsIgnoredWithAWarning()
    {
        var run = await CliRun.RunAsync("render", CliRun.DeviceLink("case1.yaml"), "--render", "name=other", "--json");

        run.ExitCode.Should().Be(0);
        JsonNode.Parse(run.Out)!["publishTopic"]!.GetValue<string>().Should().Be("cattle.io/octopus/default/device/case1");
        run.ErrorLines.Should().Equal("warning: --render name=… is ignored: :name comes from the device's identity (use --name)");
    }

    [Fact]
    public async Task Render_InvalidOptions_ExitsOneAndPrintsTheProblems()
    {
        using var file = TempFile.WithText("options.yaml", "client: {server: tcp://localhost, protocolVersion: 7}\nmessage: {topic: \"plant/a+b/:name\"}\n");

        var run = await CliRun.RunAsync("render", file.Path, "--name", "fan", "--uid", FanUid, "--json");

        run.ExitCode.Should().Be(1);
        run.Out.Should().BeEmpty();
        run.ErrorLines.Should().Equal(
            "error: client.protocolVersion: 7 is not supported; allowed: 0 (3.1.1, falling back to 3.1), 3 (3.1), 4 (3.1.1), 5 (5.0)",
            "error: message.topic: The topic template \"plant/a+b/:name\" has the level \"a+b\" with \"+\" or \"#\" inside it; a wildcard must be a whole level, and only in a subscribe topic.",
            $"{file.Path}: not valid (2 errors)");
    }

    [Fact]
    public async Task Render_DeviceNameWithAWildcard_ExitsOne()
    {
        var run = await CliRun.RunAsync("render", CliRun.DeviceLink("case1.yaml"), "--name", "#", "--json");

        run.ExitCode.Should().Be(1);
        run.ErrorLines[0].Should().Be(
            "error: spec.template.spec.extension.mqtt.message.topic: The value \"#\" of :name would put the wildcard \"#\" into the topic; a value cannot contain \"+\", \"#\" or U+0000.");
    }

    [Fact]
    public async Task Render_BareOptionsWithoutIdentity_ExitsTwo()
    {
        using var file = TempFile.WithText("options.yaml", "client: {server: tcp://localhost}\nmessage: {topic: t}\n");

        var run = await CliRun.RunAsync("render", file.Path, "--name", "fan");

        run.ExitCode.Should().Be(2);
        run.ErrorLines.Should().Equal(
            $"error: {file.Path} holds bare MQTT options: give the device's identity with --name and --uid (--namespace is \"default\" unless given)");
    }

    [Fact]
    public async Task Render_MissingFile_ExitsTwo()
    {
        var run = await CliRun.RunAsync("render", "/nonexistent/devicelink.yaml", "--json");

        run.ExitCode.Should().Be(2);
        run.Out.Should().BeEmpty();
        run.ErrorLines.Should().Equal("error: /nonexistent/devicelink.yaml: does not exist");
    }

    [Theory]
    [InlineData("path")]
    [InlineData("=x")]
    public async Task Render_RenderValueWithoutKey_ExitsTwoWithUsage(string value)
    {
        var run = await CliRun.RunAsync("render", CliRun.DeviceLink("case4.yaml"), "--render", value);

        run.ExitCode.Should().Be(2);
        run.ErrorLines.Should().Equal(
            $"error: --render expects key=value (the value may be empty), got \"{value}\".",
            "usage: octopus-mqtt render <FILE> [options]",
            "Run 'octopus-mqtt render --help' for more.");
    }

    [Fact]
    public async Task Render_Help_DescribesTheRenderMapAndJson()
    {
        var run = await CliRun.RunAsync("render", "-h");

        run.ExitCode.Should().Be(0);
        run.Out.Should().Contain("octopus-mqtt render <FILE> [options]").And.Contain("--render <key=value>").And.Contain("--json");
    }

    private static void ShouldBeJson(string actual, string expected)
    {
        var parsed = JsonNode.Parse(actual);
        JsonNode.DeepEquals(parsed, JsonNode.Parse(expected)).Should().BeTrue($"{actual} should equal {expected}");
        parsed!.AsObject().Select(p => p.Key).Should().Equal(JsonNode.Parse(expected)!.AsObject().Select(p => p.Key));
    }
}
