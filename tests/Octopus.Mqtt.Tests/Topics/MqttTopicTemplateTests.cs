namespace Octopus.Mqtt.Tests.Topics;

public sealed class MqttTopicTemplateTests
{
    private static readonly DeviceIdentity Device = new("default", "test", "uid-xyz");

    [Fact]
    public void Parse_Template_KeepsTheTextAsGiven()
    {
        var template = MqttTopicTemplate.Parse("/cattle.io//:name/");

        template.Template.Should().Be("/cattle.io//:name/");
        template.ToString().Should().Be("/cattle.io//:name/");
    }

    [Fact]
    public void Parse_Null_ThrowsArgumentNull() =>
        FluentActions.Invoking(() => MqttTopicTemplate.Parse(null!)).Should().Throw<ArgumentNullException>();

    [Theory]
    [InlineData("")]
    [InlineData("/")]
    [InlineData("///")]
    [InlineData(":")]
    [InlineData("/:/:/")]
    public void Parse_NoLevels_Throws(string template) =>
        FluentActions.Invoking(() => MqttTopicTemplate.Parse(template)).Should().Throw<MqttTopicException>()
            .WithMessage($"The topic template \"{template}\" has no levels; a topic needs at least one.");

    [Fact]
    public void Parse_NullCharacter_Throws() =>
        FluentActions.Invoking(() => MqttTopicTemplate.Parse("a/b\0c")).Should().Throw<MqttTopicException>()
            .WithMessage("The topic template \"a/b\\0c\" contains U+0000, which MQTT does not allow in a topic.");

    [Theory]
    [InlineData("a/b+c", "b+c")]
    [InlineData("a/#b", "#b")]
    [InlineData("a+/b", "a+")]
    public void Parse_WildcardInsideLevel_Throws(string template, string level) =>
        FluentActions.Invoking(() => MqttTopicTemplate.Parse(template)).Should().Throw<MqttTopicException>()
            .WithMessage($"The topic template \"{template}\" has the level \"{level}\" with \"+\" or \"#\" inside it; " +
                         "a wildcard must be a whole level, and only in a subscribe topic.");

    [Theory]
    [InlineData("a/#/b")]
    [InlineData("#/:path")]
    [InlineData("a/#/#")]
    public void Parse_LevelsAfterMultiLevelWildcard_Throws(string template) =>
        FluentActions.Invoking(() => MqttTopicTemplate.Parse(template)).Should().Throw<MqttTopicException>()
            .WithMessage($"The topic template \"{template}\" has levels after the wildcard \"#\"; \"#\" must be the last level.");

    [Theory]
    [InlineData("a/+/b")]
    [InlineData("+/+")]
    [InlineData("a/#")]
    [InlineData("a/#/")]
    [InlineData("#")]
    public void Parse_WholeLevelWildcards_Accepted(string template) =>
        MqttTopicTemplate.Parse(template).Template.Should().Be(template);

    [Fact]
    public void Parse_KeywordWithWildcardCharacters_IsAKeywordNotALiteral() =>
        MqttTopicTemplate.Parse("a/:k+#").Bind(Device).RenderForPublish(new Dictionary<string, string> { ["k+#"] = "v" })
            .Should().Be("a/v");

    [Fact]
    public void Bind_NullDevice_ThrowsArgumentNull() =>
        FluentActions.Invoking(() => MqttTopicTemplate.Parse("a").Bind(null!)).Should().Throw<ArgumentNullException>();

    [Fact]
    public void Bind_WithoutMessage_HasNoPathOperatorOrWill()
    {
        var topic = MqttTopicTemplate.Parse("a/:operator/:path/:name").Bind(Device);

        topic.RenderForPublish().Should().Be("a/test");
        topic.RenderForSubscribe().Should().Be("a/test");
        topic.WillTopic.Should().BeNull();
    }

    [Fact]
    public void Bind_Device_IsKept()
    {
        var template = MqttTopicTemplate.Parse("a/:name");

        var topic = template.Bind(Device);

        topic.Device.Should().BeSameAs(Device);
        topic.Template.Should().BeSameAs(template);
        topic.ToString().Should().Be("a/:name");
    }
}
