using System.Text;

namespace Octopus.Mqtt.Tests.Options;

public sealed partial class MqttOptionsJsonTests
{
    [Fact]
    public void ReadDeviceLink_SeedExample_ReadsIdentityAndExtension()
    {
        var result = MqttOptionsJson.ReadDeviceLink(OptionsDocuments.LivingRoomFan);

        result.Identity.Should().Be(new DeviceIdentity("default", "living-room-fan", "9e8efcb0-4b79-45e7-a4c4-3349562292e3"));
        var expected = new MqttOptions
        {
            Client = new MqttClientSettings { Server = "tcp://test.mosquitto.org:1883", MaxReconnectInterval = GoDuration.FromSeconds(20) },
            Message = new MqttMessageSettings { Topic = "cattle.io/octopus/:namespace/:name", Qos = MqttQos.AtLeastOnce },
        };
        result.Options.Should().BeEquivalentTo(expected);
        result.Warnings.Should().BeEmpty();
    }

    [Fact]
    public void ReadDeviceLink_Utf8AndStream_ReadTheSame()
    {
        var bytes = Encoding.UTF8.GetBytes(OptionsDocuments.LivingRoomFan);
        using var stream = new MemoryStream(bytes);

        var fromSpan = MqttOptionsJson.ReadDeviceLink(bytes.AsSpan());
        var fromStream = MqttOptionsJson.ReadDeviceLink(stream);

        fromSpan.Should().BeEquivalentTo(MqttOptionsJson.ReadDeviceLink(OptionsDocuments.LivingRoomFan));
        fromStream.Should().BeEquivalentTo(fromSpan);
    }

    [Theory]
    [InlineData("""{"metadata":{"name":"fan","uid":"u"},"spec":{"template":{"spec":{"extension":{"other":{}}}}}}""")]
    [InlineData("""{"metadata":{"name":"fan","uid":"u"},"spec":{"template":{"spec":{"extension":{"mqtt":null}}}}}""")]
    [InlineData("""{"metadata":{"name":"fan","uid":"u"},"spec":{"template":{"spec":{}}}}""")]
    [InlineData("""{"metadata":{"name":"fan","uid":"u"},"spec":{}}""")]
    [InlineData("""{"metadata":{"name":"fan","uid":"u"}}""")]
    public void ReadDeviceLink_NoMqttExtension_GivesNullOptions(string json)
    {
        var result = MqttOptionsJson.ReadDeviceLink(json);

        result.Options.Should().BeNull();
        result.Identity.Should().Be(new DeviceIdentity("default", "fan", "u"));
    }

    [Theory]
    [InlineData(
        """{"metadata":{"name":"fan","uid":"u"},"spec":{"template":{"spec":{"extention":{"mqtt":{}}}}}}""",
        "spec.template.spec.extention: is not a known field; did you mean extension? Without spec.template.spec.extension.mqtt the MQTT extension is off")]
    [InlineData(
        """{"metadata":{"name":"fan","uid":"u"},"spec":{"template":{"spec":{"Extension":{"mqtt":{}}}}}}""",
        "spec.template.spec.Extension: is not a known field; did you mean extension? Without spec.template.spec.extension.mqtt the MQTT extension is off")]
    [InlineData(
        """{"metadata":{"name":"fan","uid":"u"},"spec":{"template":{"sepc":{"extension":{"mqtt":{}}}}}}""",
        "spec.template.sepc: is not a known field; did you mean spec? Without spec.template.spec.extension.mqtt the MQTT extension is off")]
    [InlineData(
        """{"metadata":{"name":"fan","uid":"u"},"spec":{"template":{"spec":{"extension":{"mqqt":{}}}}}}""",
        "spec.template.spec.extension.mqqt: is not a known extension; did you mean mqtt? Without spec.template.spec.extension.mqtt the MQTT extension is off")]
    [InlineData(
        """{"metadata":{"name":"fan","uid":"u"},"spec":{"template":{"spec":{"extension":{"MQTT":{}}}}}}""",
        "spec.template.spec.extension.MQTT: is not a known extension; did you mean mqtt? Without spec.template.spec.extension.mqtt the MQTT extension is off")]
    [InlineData(
        """{"metadata":{"name":"fan","uid":"u"},"spec":{"template":{"spec":{"extension":{"other":{}}}}}}""",
        "spec.template.spec.extension.other: is not a known extension; only mqtt is read")]
    public void ReadDeviceLink_KeyNearTheMqttExtension_WarnsMqttIsOff(string json, string expected)
    {
        var result = MqttOptionsJson.ReadDeviceLink(json);

        result.Options.Should().BeNull();
        result.Warnings.Should().ContainSingle().Which.Message.Should().Be(expected);
    }

    [Fact]
    public void ReadDeviceLink_DeviceFieldsBesideTheExtension_WarnsNothing()
    {
        const string Json = """
            {"metadata":{"name":"fan","uid":"u"},"spec":{"adaptor":{"node":"n"},"model":{"kind":"DummySpecialDevice"},
             "template":{"metadata":{"labels":{}},"spec":{"protocol":{"location":"living-room"},"gear":"slow","on":true,
             "extension":{"mqtt":{"client":{"server":"tcp://b:1883"},"message":{"topic":"t/:name"}}}}}}}
            """;

        var result = MqttOptionsJson.ReadDeviceLink(Json);

        result.Options.Should().NotBeNull();
        result.Warnings.Should().BeEmpty();
    }

    [Fact]
    public void ReadDeviceLink_ProblemsInTheExtension_NameTheirFullPath()
    {
        const string Json = """
            {
              "metadata": { "name": "fan", "uid": "u" },
              "spec": { "template": { "spec": { "extension": { "mqtt": {
                "client": { "server": "tcp://b:1883", "conectTimeout": "5s", "connectionTime": "5s" },
                "message": { "will": { "content": "!" } }
              } } } } }
            }
            """;

        var exception = FluentActions.Invoking(() => MqttOptionsJson.ReadDeviceLink(Json)).Should().Throw<MqttOptionsException>().Which;

        exception.Problems.Select(p => p.Message).Should().Equal(
            "spec.template.spec.extension.mqtt.client.conectTimeout is not a known field; did you mean connectTimeout?",
            "spec.template.spec.extension.mqtt.message.will.content: is not base64 (standard or URL-safe, padded or not)");
        exception.Warnings.Select(p => p.Message).Should().Equal(
            "spec.template.spec.extension.mqtt.client.connectionTime is a misspelling of connectTimeout (as in the Octopus documentation); read as connectTimeout");
    }

    [Fact]
    public void ReadDeviceLink_WarningsInTheExtension_AreReturned() =>
        MqttOptionsJson.ReadDeviceLink("""{"metadata":{"name":"fan","uid":"u"},"spec":{"template":{"spec":{"extension":{"mqtt":{"client":{"store":{"direcotryPrefix":"/d"}}}}}}}}""")
            .Warnings.Select(w => w.Path).Should().Equal("spec.template.spec.extension.mqtt.client.store.direcotryPrefix");

    [Theory]
    [InlineData("""{"metadata":{}}""", new[] { "metadata.name: is required", "metadata.uid: is required" })]
    [InlineData("""{}""", new[] { "metadata.name: is required", "metadata.uid: is required" })]
    [InlineData("""{"metadata":{"name":"fan","uid":7,"namespace":""}}""", new[] { "metadata.uid: expected a string, got 7" })]
    [InlineData("""{"metadata":"fan"}""", new[] { "metadata: expected an object, got \"fan\"", "metadata.name: is required", "metadata.uid: is required" })]
    [InlineData("""{"metadata":{"name":"fan","uid":"u"},"spec":{"template":[]}}""", new[] { "spec.template: expected an object, got an array" })]
    [InlineData("""{"metadata":{"name":"fan","uid":"u"},"spec":{"template":{"spec":{"extension":{"mqtt":"on"}}}}}""", new[] { "spec.template.spec.extension.mqtt: expected an object, got \"on\"" })]
    [InlineData("""true""", new[] { "expected a DeviceLink object, got true" })]
    public void ReadDeviceLink_BadDocument_ReportsEveryProblem(string json, string[] messages) =>
        FluentActions.Invoking(() => MqttOptionsJson.ReadDeviceLink(json)).Should().Throw<MqttOptionsException>()
            .Which.Problems.Select(p => p.Message).Should().Equal(messages);
}
