namespace Octopus.Mqtt.Tests.Topics;

public sealed class MqttDeviceTopicTests
{
    private static readonly DeviceIdentity Device = new("default", "test", "uid-xyz");

    // The four usage cases of the Octopus documentation ("Templated Topic").
    [Theory]
    [InlineData("cattle.io/octopus/:namespace/device/:name", "case1", "fcd1eb1b-ea42-4cb9-afb0-0ec2d0830583", null, null, "",
        "cattle.io/octopus/default/device/case1", "cattle.io/octopus/default/device/case1")]
    [InlineData("cattle.io/octopus/device/:uid", "case2", "41478d1e-c3f8-46e3-a3b5-ba251f285277", null, null, "",
        "cattle.io/octopus/device/41478d1e-c3f8-46e3-a3b5-ba251f285277", "cattle.io/octopus/device/41478d1e-c3f8-46e3-a3b5-ba251f285277")]
    [InlineData("cattle.io/octopus/:operator/device/:namespace/:name", "case3", "835aea2e-5f80-4d14-88f5-40c4bda41aa3", null, "set", "",
        "cattle.io/octopus/set/device/default/case3", "cattle.io/octopus/device/default/case3")]
    [InlineData("cattle.io/octopus/:operator/device/:path/:uid", "case4", "014997f5-1f12-498b-8631-d2f22920e20a", "status", null, "region/ap",
        "cattle.io/octopus/device/region/ap/014997f5-1f12-498b-8631-d2f22920e20a",
        "cattle.io/octopus/status/device/region/ap/014997f5-1f12-498b-8631-d2f22920e20a")]
    public void Render_DocumentedUsageCase_GivesDocumentedTopics(
        string template, string name, string uid, string? read, string? write, string path, string publish, string subscribe)
    {
        var message = new MqttMessageSettings { Topic = template, Path = path };
        if (read is not null || write is not null)
        {
            message.Operator = new MqttTopicOperator { Read = read, Write = write };
        }

        var topic = MqttTopicTemplate.Parse(message.Topic).Bind(new DeviceIdentity("default", name, uid), message);

        topic.RenderForPublish().Should().Be(publish);
        topic.RenderForSubscribe().Should().Be(subscribe);
    }

    [Fact]
    public void Render_DocumentationExample_GivesTheDocumentedTopics()
    {
        var device = new DeviceIdentity("default", "living-room-fan", "835aea2e-5f80-4d14-88f5-40c4bda41aa3");
        var message = new MqttMessageSettings
        {
            Topic = "cattle.io/:operator/octopus/:namespace/:name/:path",
            Path = "status",
            Operator = new MqttTopicOperator { Read = "get", Write = "set" },
        };

        var topic = MqttTopicTemplate.Parse(message.Topic).Bind(device, message);

        topic.RenderForPublish().Should().Be("cattle.io/set/octopus/default/living-room-fan/status");
        topic.RenderForSubscribe().Should().Be("cattle.io/get/octopus/default/living-room-fan/status");
        var gear = new Dictionary<string, string> { ["path"] = "gear" };
        topic.RenderForPublish(gear).Should().Be("cattle.io/set/octopus/default/living-room-fan/gear");
        topic.RenderForPublish(gear, new Dictionary<string, string> { ["path"] = "" }).Should().Be("cattle.io/set/octopus/default/living-room-fan");
        topic.WillTopic.Should().BeNull();
        topic.ClientId.Should().Be("octopus-835aea2e5f804d1488f540c4bda41aa3");
        topic.ClientIdForMqtt31.Should().Be("octopus-5a8044f40c41aa3");
    }

    [Theory]
    [InlineData("cattle.io////octopus///static", "cattle.io/octopus/static")]
    [InlineData("/cattle.io/octopus/", "cattle.io/octopus")]
    [InlineData("//a//", "a")]
    public void Render_EmptyLevels_Vanish(string template, string expected) =>
        Bind(template).RenderForPublish().Should().Be(expected);

    [Theory]
    [InlineData("a/:/b", "a/b")]
    [InlineData(":/a", "a")]
    public void Render_LoneColon_Vanishes(string template, string expected) =>
        Bind(template).RenderForPublish().Should().Be(expected);

    [Fact]
    public void Render_KeywordWithoutValue_VanishesWithItsLevel() =>
        Bind("a/:custom/b").RenderForPublish().Should().Be("a/b");

    [Fact]
    public void Render_KeywordWithEmptyValue_VanishesWithItsLevel()
    {
        var topic = Bind("a/:path/:custom/b", path: "");

        topic.RenderForPublish(new Dictionary<string, string> { ["custom"] = "" }).Should().Be("a/b");
    }

    [Fact]
    public void Render_DeviceKeywords_TakeTheDevicesValues() =>
        Bind(":namespace/:name/:uid").RenderForSubscribe().Should().Be("default/test/uid-xyz");

    [Fact]
    public void Render_RenderMapsNamingDeviceKeywords_CannotOverrideThem()
    {
        var topic = Bind("a/:namespace/:name/:uid");
        var map = new Dictionary<string, string> { ["namespace"] = "x", ["name"] = "y", ["uid"] = "z" };

        topic.RenderForPublish(map).Should().Be("a/default/test/uid-xyz");
        topic.RenderForSubscribe(map).Should().Be("a/default/test/uid-xyz");
    }

    [Fact]
    public void Render_EmptyDeviceValue_VanishesAndARenderMapCannotSupplyIt()
    {
        var topic = MqttTopicTemplate.Parse("a/:namespace/:name").Bind(new DeviceIdentity("", "test", "uid"));

        topic.RenderForPublish(new Dictionary<string, string> { ["namespace"] = "x" }).Should().Be("a/test");
    }

    [Fact]
    public void Render_DeviceValueWithSlash_BecomesLevels() =>
        MqttTopicTemplate.Parse("a/:name/b").Bind(new DeviceIdentity("default", "/x//y/", "uid"))
            .RenderForPublish().Should().Be("a/x/y/b");

    [Fact]
    public void Render_Path_ComesFromTheMessageOptions() =>
        Bind("cattle.io/octopus/:namespace/ccc/:name/:path", path: "path-xyz").RenderForPublish()
            .Should().Be("cattle.io/octopus/default/ccc/test/path-xyz");

    [Fact]
    public void Render_Operator_IsWriteWhenPublishingAndReadWhenSubscribing()
    {
        var topic = Bind("cattle.io/:operator/octopus/:namespace/ccc/:name/:path", path: "path-xyz", read: "status", write: "set");

        topic.RenderForPublish().Should().Be("cattle.io/set/octopus/default/ccc/test/path-xyz");
        topic.RenderForSubscribe().Should().Be("cattle.io/status/octopus/default/ccc/test/path-xyz");
    }

    [Fact]
    public void Render_OperatorLiteralNull_MeansEmpty()
    {
        var topic = Bind("a/:operator/b", read: "null", write: "null");

        topic.RenderForPublish().Should().Be("a/b");
        topic.RenderForSubscribe().Should().Be("a/b");
    }

    [Fact]
    public void Render_OperatorNullInARenderMap_IsAnOrdinaryValue() =>
        Bind("a/:operator", write: "set").RenderForPublish(new Dictionary<string, string> { ["operator"] = "null" })
            .Should().Be("a/null");

    [Fact]
    public void Render_OperatorAbsent_Vanishes()
    {
        var topic = MqttTopicTemplate.Parse("a/:operator/b").Bind(Device, new MqttMessageSettings { Operator = null });

        topic.RenderForPublish().Should().Be("a/b");
        topic.RenderForSubscribe().Should().Be("a/b");
    }

    [Fact]
    public void Render_RenderMapsInOrder_LastOneWins()
    {
        var topic = Bind("cattle.io/:operator/octopus/:namespace/:name/:path", path: "path-xyz", read: "status", write: "set");
        var first = new Dictionary<string, string> { ["path"] = "path-lmn" };
        var second = new Dictionary<string, string> { ["path"] = "path-abc", ["operator"] = "_set_" };

        topic.RenderForPublish(first, second).Should().Be("cattle.io/_set_/octopus/default/test/path-abc");
        topic.RenderForSubscribe(first, second).Should().Be("cattle.io/_set_/octopus/default/test/path-abc");
        topic.RenderForSubscribe(first).Should().Be("cattle.io/status/octopus/default/test/path-lmn");
    }

    [Fact]
    public void Render_RenderMapWithEmptyPath_BlanksIt()
    {
        var topic = Bind("cattle.io/:operator/octopus/:namespace/:name/:path", path: "path-xyz", write: "set");
        var first = new Dictionary<string, string> { ["path"] = "path-opq" };
        var second = new Dictionary<string, string> { ["path"] = "", ["operator"] = "_set_" };

        topic.RenderForPublish(first, second).Should().Be("cattle.io/_set_/octopus/default/test");
    }

    [Fact]
    public void Render_CustomKeyword_ComesFromRenderMaps()
    {
        var topic = Bind("a/:room/:name");

        topic.RenderForPublish(new Dictionary<string, string> { ["room"] = "kitchen" }).Should().Be("a/kitchen/test");
        topic.RenderForPublish().Should().Be("a/test");
    }

    [Fact]
    public void Render_ManyKeywords_AreAllFilled()
    {
        var topic = Bind(string.Join('/', Enumerable.Range(0, 12).Select(i => $":k{i}")));
        var map = Enumerable.Range(0, 12).Where(i => i % 3 != 0).ToDictionary(i => $"k{i}", i => $"v{i}");

        topic.RenderForPublish(map).Should().Be("v1/v2/v4/v5/v7/v8/v10/v11");
    }

    [Fact]
    public void Render_SeventyKeywordsSomeWithSeveralLevels_AreAllFilled()
    {
        var topic = Bind(string.Join('/', Enumerable.Range(0, 70).Select(i => $":k{i}")));
        var map = Enumerable.Range(0, 70).ToDictionary(i => $"k{i}", i => i % 7 == 0 ? $"/{i}//x/" : $"{i}");

        topic.RenderForSubscribe(map).Should().Be(string.Join('/', Enumerable.Range(0, 70).Select(i => i % 7 == 0 ? $"{i}/x" : $"{i}")));
    }

    [Fact]
    public void Render_RenderMapKeyWithColon_IsNotTheKeyword() =>
        Bind("a/:room").RenderForPublish(new Dictionary<string, string> { [":room"] = "kitchen" }).Should().Be("a");

    [Fact]
    public void Render_NullRenderMap_IsSkipped() =>
        Bind("a/:path", path: "p").RenderForPublish(null, new Dictionary<string, string> { ["x"] = "y" }, null)
            .Should().Be("a/p");

    [Theory]
    [InlineData("region/ap", "a/region/ap/b")]
    [InlineData("/region//ap/", "a/region/ap/b")]
    [InlineData("///", "a/b")]
    public void Render_ValueWithSlash_BecomesSeveralLevels(string path, string expected) =>
        Bind("a/:path/b", path: path).RenderForPublish().Should().Be(expected);

    [Fact]
    public void Render_KeywordOnlyAsAWholeLevel_ColonInsideALevelIsText() =>
        Bind("a/dev:name/b:path/:name").RenderForPublish().Should().Be("a/dev:name/b:path/test");

    [Fact]
    public void Render_KeywordIsCaseSensitive_NameInCapitalsIsACustomKeyword() =>
        Bind("a/:Name/:name").RenderForPublish().Should().Be("a/test");

    [Fact]
    public void Render_DeviceValueStartingWithColon_StaysText() =>
        MqttTopicTemplate.Parse("a/:name").Bind(new DeviceIdentity("default", ":path", "uid"), new MqttMessageSettings { Path = "p" })
            .RenderForPublish().Should().Be("a/:path");

    [Theory]
    [InlineData("a/./b", "", "a/./b")]
    [InlineData("a/../b", "", "a/../b")]
    [InlineData("a/:path/b", "../x", "a/../x/b")]
    [InlineData("a/:path", "./.", "a/./.")]
    public void Render_DotLevels_StayOrdinaryLevels(string template, string path, string expected) =>
        Bind(template, path: path).RenderForPublish().Should().Be(expected);

    [Fact]
    public void Render_SubscribeTemplateWithWildcardLevels_KeepsThem() =>
        Bind("a/+/:name/#").RenderForSubscribe().Should().Be("a/+/test/#");

    [Theory]
    [InlineData("a/+/:name", "+")]
    [InlineData("a/:name/#", "#")]
    public void RenderForPublish_TemplateWithWildcardLevel_Throws(string template, string wildcard)
    {
        var topic = Bind(template);

        topic.Invoking(t => t.RenderForPublish()).Should().Throw<MqttTopicException>()
            .WithMessage($"The topic template \"{template}\" has the wildcard level \"{wildcard}\"; a publish topic cannot contain wildcards.");
        topic.Invoking(t => t.RenderForPublish(new Dictionary<string, string>())).Should().Throw<MqttTopicException>()
            .WithMessage($"The topic template \"{template}\" has the wildcard level \"{wildcard}\"; a publish topic cannot contain wildcards.");
    }

    [Theory]
    [InlineData("+", "the wildcard \"+\"")]
    [InlineData("a/#", "the wildcard \"#\"")]
    [InlineData("x\0y", "U+0000")]
    public void Render_RenderMapValueWithForbiddenCharacter_Throws(string value, string what)
    {
        var topic = Bind("a/:path/:room");
        var shown = value.Replace("\0", "\\0", StringComparison.Ordinal);

        topic.Invoking(t => t.RenderForPublish(new Dictionary<string, string> { ["room"] = value })).Should().Throw<MqttTopicException>()
            .WithMessage($"The value \"{shown}\" of :room would put {what} into the topic; a value cannot contain \"+\", \"#\" or U+0000.");
        topic.Invoking(t => t.RenderForSubscribe(new Dictionary<string, string> { ["path"] = value })).Should().Throw<MqttTopicException>()
            .WithMessage($"The value \"{shown}\" of :path would put {what} into the topic; a value cannot contain \"+\", \"#\" or U+0000.");
    }

    [Theory]
    [InlineData("namespace")]
    [InlineData("name")]
    [InlineData("uid")]
    public void Bind_DeviceValueWithWildcard_Throws(string keyword)
    {
        var device = keyword switch
        {
            "namespace" => Device with { Namespace = "#" },
            "name" => Device with { Name = "#" },
            _ => Device with { Uid = "#" },
        };

        FluentActions.Invoking(() => MqttTopicTemplate.Parse($"a/:{keyword}").Bind(device)).Should().Throw<MqttTopicException>()
            .WithMessage($"The value \"#\" of :{keyword} would put the wildcard \"#\" into the topic; a value cannot contain \"+\", \"#\" or U+0000.");
    }

    [Fact]
    public void Bind_DeviceValueWithWildcard_UnusedByTheTemplate_IsAccepted() =>
        MqttTopicTemplate.Parse("a/:name").Bind(Device with { Namespace = "#" }).RenderForPublish().Should().Be("a/test");

    [Fact]
    public void Bind_PathWithWildcard_Throws() =>
        FluentActions.Invoking(() => Bind("a/:path", path: "x/+")).Should().Throw<MqttTopicException>()
            .WithMessage("The value \"x/+\" of :path would put the wildcard \"+\" into the topic; a value cannot contain \"+\", \"#\" or U+0000.");

    [Fact]
    public void Bind_ReadOperatorWithWildcard_Throws() =>
        FluentActions.Invoking(() => Bind("a/:operator", read: "#", write: "set")).Should().Throw<MqttTopicException>()
            .WithMessage("The value \"#\" of :operator would put the wildcard \"#\" into the topic; a value cannot contain \"+\", \"#\" or U+0000.");

    [Fact]
    public void Render_EmptyPublishTopic_Throws()
    {
        var topic = Bind(":path/:operator");

        topic.Invoking(t => t.RenderForPublish()).Should().Throw<MqttTopicException>()
            .WithMessage("The topic template \":path/:operator\" renders an empty publish topic: every level vanished.");
        topic.Invoking(t => t.RenderForSubscribe(new Dictionary<string, string> { ["path"] = "//" })).Should().Throw<MqttTopicException>()
            .WithMessage("The topic template \":path/:operator\" renders an empty subscribe topic: every level vanished.");
        topic.RenderForPublish(new Dictionary<string, string> { ["path"] = "p" }).Should().Be("p");
    }

    [Fact]
    public void Render_TopicOf65535Utf8Bytes_IsAccepted()
    {
        var topic = Bind("a/:path");

        topic.RenderForPublish(new Dictionary<string, string> { ["path"] = new string('é', 32766) + "x" }).Length.Should().Be(32769);
    }

    [Fact]
    public void Render_TopicLongerThan65535Utf8Bytes_Throws()
    {
        var topic = Bind("a/:path");

        topic.Invoking(t => t.RenderForSubscribe(new Dictionary<string, string> { ["path"] = new string('é', 32767) }))
            .Should().Throw<MqttTopicException>()
            .WithMessage("The subscribe topic rendered from the template \"a/:path\" is 65536 UTF-8 bytes long; MQTT allows at most 65535.");
    }

    [Fact]
    public void RenderForPublish_OverLongTemplate_ThrowsAtEachRender()
    {
        var template = new string('x', 70000);
        var topic = Bind(template);

        topic.Invoking(t => t.RenderForPublish()).Should().Throw<MqttTopicException>()
            .WithMessage($"The publish topic rendered from the template \"{template}\" is 70000 UTF-8 bytes long; MQTT allows at most 65535.");
    }

    [Fact]
    public void RenderForPublish_WithoutRenderMaps_ReturnsTheTopicRenderedAtBind()
    {
        var topic = Bind("a/:operator/:name/:path", path: "p", write: "set");

        topic.RenderForPublish().Should().BeSameAs(topic.RenderForPublish());
        topic.RenderForSubscribe().Should().BeSameAs(topic.RenderForSubscribe());
    }

    [Fact]
    public void Render_RenderMapsThatChangeNothing_ReturnTheTopicRenderedAtBind()
    {
        var topic = Bind("a/:operator/:name/:path", path: "p", write: "set");
        var unrelated = new Dictionary<string, string> { ["room"] = "kitchen", ["path"] = "p", ["operator"] = "set" };

        topic.RenderForPublish(unrelated).Should().BeSameAs(topic.RenderForPublish());
        topic.RenderForPublish(new Dictionary<string, string> { ["path"] = "q" }).Should().Be("a/set/test/q");
    }

    [Fact]
    public void Bind_MessageOptionsChangedLater_DoNotReachTheBoundTopic()
    {
        var message = new MqttMessageSettings { Path = "p", Operator = new MqttTopicOperator { Write = "set" } };
        var topic = MqttTopicTemplate.Parse("a/:operator/:path").Bind(Device, message);

        message.Path = "changed";
        message.Operator.Write = "changed";

        topic.RenderForPublish(new Dictionary<string, string> { ["x"] = "y" }).Should().Be("a/set/p");
    }

    [Fact]
    public void WillTopic_NoWill_IsNull() =>
        MqttTopicTemplate.Parse("a/:name").Bind(Device, new MqttMessageSettings()).WillTopic.Should().BeNull();

    [Fact]
    public void WillTopic_WithoutTopic_IsTheMessageTemplateAndWillLevelRenderedForPublish()
    {
        var message = new MqttMessageSettings
        {
            Path = "p",
            Operator = new MqttTopicOperator { Read = "status", Write = "set" },
            Will = new MqttWillSettings { Content = [1] },
        };

        var topic = MqttTopicTemplate.Parse("cattle.io/:operator/:namespace/:name/:path/").Bind(Device, message);

        topic.WillTopic.Should().Be("cattle.io/set/default/test/p/$will");
    }

    [Fact]
    public void WillTopic_WithTopic_IsThatTemplateRenderedForPublish()
    {
        var message = new MqttMessageSettings
        {
            Operator = new MqttTopicOperator { Read = "status", Write = "set" },
            Will = new MqttWillSettings { Topic = "lwt/:operator/:uid" },
        };

        MqttTopicTemplate.Parse("a/:name").Bind(Device, message).WillTopic.Should().Be("lwt/set/uid-xyz");
    }

    [Fact]
    public void WillTopic_FromWildcardTemplate_ThrowsAtBind()
    {
        var message = new MqttMessageSettings { Will = new MqttWillSettings() };

        FluentActions.Invoking(() => MqttTopicTemplate.Parse("a/+/:name").Bind(Device, message)).Should().Throw<MqttTopicException>()
            .WithMessage("The topic template \"a/+/:name/$will\" has the wildcard level \"+\"; a publish topic cannot contain wildcards.");
    }

    [Fact]
    public void WillTopic_WithEmptyRendering_ThrowsAtBind()
    {
        var message = new MqttMessageSettings { Will = new MqttWillSettings { Topic = ":path" } };

        FluentActions.Invoking(() => MqttTopicTemplate.Parse("a").Bind(Device, message)).Should().Throw<MqttTopicException>()
            .WithMessage("The topic template \":path\" renders an empty publish topic: every level vanished.");
    }

    [Fact]
    public void ClientIds_ComeFromTheDeviceUid()
    {
        var topic = MqttTopicTemplate.Parse("a").Bind(Device with { Uid = "835aea2e-5f80-4d14-88f5-40c4bda41aa3" });

        topic.ClientId.Should().Be("octopus-835aea2e5f804d1488f540c4bda41aa3");
        topic.ClientIdForMqtt31.Should().Be("octopus-5a8044f40c41aa3");
    }

    private static MqttDeviceTopic Bind(string template, string path = "", string? read = null, string? write = null) =>
        MqttTopicTemplate.Parse(template).Bind(Device, new MqttMessageSettings
        {
            Path = path,
            Operator = read is null && write is null ? null : new MqttTopicOperator { Read = read, Write = write },
        });
}
