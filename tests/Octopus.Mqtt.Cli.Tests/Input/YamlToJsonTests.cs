using System.Text.Json;

namespace Octopus.Mqtt.Cli.Tests.Input;

public class YamlToJsonTests
{
    [Theory]
    [InlineData("qos: 1", "{\"qos\":1}")]
    [InlineData("qos: \"1\"", "{\"qos\":\"1\"}")]
    [InlineData("qos: '1'", "{\"qos\":\"1\"}")]
    [InlineData("qos: !!str 1", "{\"qos\":\"1\"}")]
    [InlineData("qos: !!int \"2\"", "{\"qos\":2}")]
    [InlineData("qos: +1_000", "{\"qos\":1000}")]
    [InlineData("qos: -0x1F", "{\"qos\":-31}")]
    [InlineData("qos: 0o17", "{\"qos\":15}")]
    [InlineData("qos: 017", "{\"qos\":15}")]
    [InlineData("qos: 0b101", "{\"qos\":5}")]
    [InlineData("qos: 12345678901234567890123", "{\"qos\":12345678901234567890123}")]
    [InlineData("qos: 1.5", "{\"qos\":1.5}")]
    [InlineData("qos: .5", "{\"qos\":0.5}")]
    [InlineData("qos: 1e3", "{\"qos\":1000}")]
    [InlineData("qos: .inf", "{\"qos\":\".inf\"}")]
    [InlineData("topic: x", "{\"topic\":\"x\"}")]
    [InlineData("topic: \"x\"", "{\"topic\":\"x\"}")]
    [InlineData("keepAlive: 20s", "{\"keepAlive\":\"20s\"}")]
    [InlineData("keepAlive: 1.5s", "{\"keepAlive\":\"1.5s\"}")]
    [InlineData("retained: true", "{\"retained\":true}")]
    [InlineData("retained: False", "{\"retained\":false}")]
    [InlineData("retained: \"true\"", "{\"retained\":\"true\"}")]
    [InlineData("retained: yes", "{\"retained\":true}")]
    [InlineData("retained: off", "{\"retained\":false}")]
    [InlineData("retained: !!bool \"on\"", "{\"retained\":true}")]
    [InlineData("path:", "{\"path\":null}")]
    [InlineData("path: ~", "{\"path\":null}")]
    [InlineData("path: \"\"", "{\"path\":\"\"}")]
    [InlineData("path: ! 1", "{\"path\":\"1\"}")]
    [InlineData("\"on\": true", "{\"on\":true}")]
    [InlineData("on: true", "{\"on\":true}")]
    [InlineData("1: one", "{\"1\":\"one\"}")]
    [InlineData("server: tcp://h:1883 # a comment", "{\"server\":\"tcp://h:1883\"}")]
    [InlineData("a: [1, \"2\", x]", "{\"a\":[1,\"2\",\"x\"]}")]
    [InlineData("{a: 1, b: {c: d}}", "{\"a\":1,\"b\":{\"c\":\"d\"}}")]
    public void Convert_Scalar_HasTheTypeYamlGivesIt(string yaml, string json) =>
        Compact(YamlToJson.Convert(yaml)).Should().Be(json);

    [Fact]
    public void Convert_BlockScalar_IsAString() =>
        Compact(YamlToJson.Convert("content: |\n  line 1\n  true\n")).Should().Be("{\"content\":\"line 1\\ntrue\\n\"}");

    [Fact]
    public void Convert_RepeatedKey_IsKeptForTheReaderToName() =>
        YamlToJson.Convert("qos: 1\nqos: 2\n").Should().Contain("\"qos\": 1").And.Contain("\"qos\": 2");

    [Fact]
    public void Convert_AnchorAndAlias_RepeatTheNode() =>
        Compact(YamlToJson.Convert("a: &x {b: 1}\nc: *x\n")).Should().Be("{\"a\":{\"b\":1},\"c\":{\"b\":1}}");

    [Fact]
    public void Convert_MergeKey_FillsInWhatTheMappingDoesNotSet() =>
        Compact(YamlToJson.Convert("base: &b {qos: 0, retained: false}\nmessage:\n  <<: *b\n  qos: 2\n"))
            .Should().Be("{\"base\":{\"qos\":0,\"retained\":false},\"message\":{\"qos\":2,\"retained\":false}}");

    [Theory]
    [InlineData("a: b: c", "is not valid YAML: line 1, column 5: While scanning a plain scalar value, found invalid mapping")]
    [InlineData("a: *nothing", "is not valid YAML: line 1, column 4: the alias *nothing refers to no anchor before it")]
    [InlineData("a: !!int x", "is not valid YAML: line 1, column 4: the value is not a valid !!int")]
    [InlineData("a: !secret x", "is not valid YAML: line 1, column 4: the tag !secret is not supported; allowed: !!str, !!int, !!float, !!bool, !!null")]
    [InlineData("? [a]\n: b", "is not valid YAML: line 1, column 3: a mapping key must be a single value, not a list or a mapping")]
    [InlineData("a: 1\n---\nb: 2", "holds more than one YAML document; expected one DeviceLink or one set of MQTT options")]
    [InlineData("# only a comment\n", "is empty; expected a DeviceLink or MQTT options")]
    [InlineData("<<: x", "is not valid YAML: line 1, column 1: the merge key << takes a mapping or a list of mappings")]
    public void Convert_NotReadable_SaysWhy(string yaml, string message) =>
        FluentActions.Invoking(() => YamlToJson.Convert(yaml))
            .Should().Throw<UnreadableDocumentException>().WithMessage(message);

    [Fact]
    public void Convert_AliasesThatExpandTooFar_AreRefused()
    {
        var yaml = "a: &a [x, x, x, x, x, x, x, x, x, x]\n";
        for (var level = 'b'; level <= 'h'; level++)
        {
            yaml += $"{level}: &{level} [*{(char)(level - 1)}, *{(char)(level - 1)}, *{(char)(level - 1)}, *{(char)(level - 1)}, *{(char)(level - 1)}, *{(char)(level - 1)}, *{(char)(level - 1)}, *{(char)(level - 1)}, *{(char)(level - 1)}, *{(char)(level - 1)}]\n";
        }

        FluentActions.Invoking(() => YamlToJson.Convert(yaml))
            .Should().Throw<UnreadableDocumentException>().WithMessage("expands to more than 100000 values through its aliases");
    }

    [Fact]
    public void Convert_NestingTooDeep_IsRefused() =>
        FluentActions.Invoking(() => YamlToJson.Convert(new string('[', 200) + new string(']', 200)))
            .Should().Throw<UnreadableDocumentException>().WithMessage("is not valid YAML: line 1, column 102: nests deeper than 100 levels");

    private static string Compact(string json)
    {
        using var document = JsonDocument.Parse(json);
        return JsonSerializer.Serialize(document.RootElement);
    }
}
