using System.Text.Json.Nodes;

namespace Octopus.Mqtt.Samples.DummyFan.Tests.DeviceLink;

public sealed class FanDeviceLinkReaderTests : IDisposable
{
    /// <summary>The example DeviceLink of the Octopus documentation's "Integrate with MQTT" page, as published.</summary>
    private const string DocumentedExample = """
        apiVersion: edge.cattle.io/v1alpha1
        kind: DeviceLink
        metadata:
         name: living-room-fan
        spec:
         adaptor:
           node: edge-worker
           name: adaptors.edge.cattle.io/dummy
         model:
           apiVersion: "devices.edge.cattle.io/v1alpha1"
           kind: "DummySpecialDevice"
         template:
           metadata:
             labels:
               device: living-room-fan
           spec:
             extension:
               mqtt:
                 client:
                   server: tcp://test.mosquitto.org:1883
                   maxReconnectInterval: 20s
                 message:
                   topic: cattle.io/octopus/:namespace/:name
                   qos: 1
             protocol:
               location: "living_room"
             gear: slow
             "on": true
        """;

    private static readonly string ShippedDeviceLink = Path.Combine(AppContext.BaseDirectory, "devicelink.yaml");

    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Fact]
    public void Read_ShippedDeviceLink_IsTheLivingRoomFanOnTheEmbeddedBroker()
    {
        var link = FanDeviceLinkReader.Read(ShippedDeviceLink);

        link.Identity.Should().Be(new DeviceIdentity("default", "living-room-fan", "9e8efcb0-4b79-45e7-a4c4-3349562292e3"));
        link.Spec.Should().Be(new FanSpec(FanGear.Slow, On: true, "living_room"));
        link.Mqtt!.Client.Server.Should().Be("tcp://127.0.0.1:1883");
        link.Mqtt.Client.MaxReconnectInterval.Should().Be(GoDuration.FromSeconds(20));
        link.Mqtt.Message.Topic.Should().Be("cattle.io/octopus/:namespace/:name");
        link.Mqtt.Message.Qos.Should().Be(MqttQos.AtLeastOnce);
        link.Mqtt.Message.Retained.Should().BeTrue();
        link.Warnings.Should().BeEmpty();
    }

    [Fact]
    public void Read_ShippedDeviceLink_DiffersFromTheDocumentedExampleOnlyInServerAndUid()
    {
        var shipped = JsonNode.Parse(DeviceLinkDocument.ReadAsJson(ShippedDeviceLink))!;
        var documented = JsonNode.Parse(DeviceLinkDocument.ToJson(DocumentedExample, "documented"))!;

        shipped["metadata"]!.AsObject().Remove("uid").Should().BeTrue();
        Client(shipped)["server"]!.GetValue<string>().Should().Be("tcp://127.0.0.1:1883");
        Client(documented)["server"]!.GetValue<string>().Should().Be("tcp://test.mosquitto.org:1883");
        Client(shipped).Remove("server");
        Client(documented).Remove("server");

        JsonNode.DeepEquals(shipped, documented).Should().BeTrue(
            $"the sample's DeviceLink is the documented one but for server and uid; shipped: {shipped.ToJsonString()}");

        static JsonObject Client(JsonNode link) => link["spec"]!["template"]!["spec"]!["extension"]!["mqtt"]!["client"]!.AsObject();
    }

    [Fact]
    public void Read_Server_ReplacesTheFilesServer()
    {
        var link = FanDeviceLinkReader.Read(ShippedDeviceLink, server: "ws://127.0.0.1:8080/mqtt");

        link.Mqtt!.Client.Server.Should().Be("ws://127.0.0.1:8080/mqtt");
    }

    [Fact]
    public void Read_JsonFile_ReadsTheSameDeviceLink()
    {
        var file = _directory.Write("fan.json", DeviceLinkDocument.ReadAsJson(ShippedDeviceLink));

        var link = FanDeviceLinkReader.Read(file);

        link.Should().BeEquivalentTo(FanDeviceLinkReader.Read(ShippedDeviceLink));
    }

    [Fact]
    public void Read_MissingFile_SaysSo()
    {
        var file = Path.Combine(_directory.Path, "absent.yaml");

        var read = () => FanDeviceLinkReader.Read(file);

        read.Should().Throw<DeviceLinkException>().Which.Message.Should().Be($"{file} cannot be used:\n  does not exist");
    }

    [Fact]
    public void Parse_UnknownGear_NamesTheFieldTheValueAndTheGears()
    {
        var read = () => Parse(gear: "turbo");

        read.Should().Throw<DeviceLinkException>().Which.Problems.Should().Equal(
            "spec.template.spec.gear: \"turbo\" is not a gear; allowed: slow, middle, fast");
    }

    [Fact]
    public void Parse_OnNotABoolean_NamesTheFieldAndTheValue()
    {
        var read = () => Parse(on: "\"yes please\"");

        read.Should().Throw<DeviceLinkException>().Which.Problems.Should().Equal(
            "spec.template.spec.on: \"yes please\" is not a boolean; expected true or false");
    }

    [Fact]
    public void Parse_GearAndOnAbsent_FanIsOffInSlowGear()
    {
        var link = FanDeviceLinkReader.Parse(Json(gear: null, on: null), "fan.json");

        link.Spec.Should().Be(new FanSpec(FanGear.Slow, On: false));
    }

    [Fact]
    public void Parse_SeveralProblems_ReportsEveryOne()
    {
        var read = () => FanDeviceLinkReader.Parse(Json(gear: "\"turbo\"", client: """{"server": "tcp://127.0.0.1:1883", "keepAlive": "forever"}"""), "fan.json");

        read.Should().Throw<DeviceLinkException>().Which.Problems.Should().HaveCount(2)
            .And.Contain("spec.template.spec.gear: \"turbo\" is not a gear; allowed: slow, middle, fast")
            .And.Contain(p => p.StartsWith("spec.template.spec.extension.mqtt.client.keepAlive", StringComparison.Ordinal));
    }

    [Fact]
    public void Parse_InvalidServer_NamesTheFullPath()
    {
        var read = () => FanDeviceLinkReader.Parse(Json(client: """{"server": "http://127.0.0.1"}"""), "fan.json");

        read.Should().Throw<DeviceLinkException>().Which.Problems.Should().ContainSingle()
            .Which.Should().StartWith("spec.template.spec.extension.mqtt.client.server: ");
    }

    [Fact]
    public void Parse_MisspeltFieldOfTheDocumentation_ReadsItWithAWarning()
    {
        var link = FanDeviceLinkReader.Parse(Json(client: """{"server": "tcp://127.0.0.1:1883", "connectionTime": "5s"}"""), "fan.json");

        link.Mqtt!.Client.ConnectTimeout.Should().Be(GoDuration.FromSeconds(5));
        link.Warnings.Should().ContainSingle().Which.Should().Contain("connectTimeout");
    }

    [Fact]
    public void Parse_NoMqttExtension_ReadsTheFanWithoutOptions()
    {
        var link = FanDeviceLinkReader.Parse(Json(client: null), "fan.json");

        link.Mqtt.Should().BeNull();
        link.Spec.Should().Be(new FanSpec(FanGear.Middle, On: true));
    }

    private static FanDeviceLink Parse(string? gear = null, string? on = "true") =>
        FanDeviceLinkReader.Parse(Json(gear: gear is null ? "\"middle\"" : $"\"{gear}\"", on: on), "fan.json");

    /// <summary>A DeviceLink of the fan with the given JSON values; a null leaves the field out.</summary>
    private static string Json(string? gear = "\"middle\"", string? on = "true", string? client = """{"server": "tcp://127.0.0.1:1883"}""")
    {
        var fields = new List<string>();
        if (client is not null)
        {
            fields.Add($$"""
                "extension": { "mqtt": { "client": {{client}}, "message": { "topic": "cattle.io/octopus/:namespace/:name" } } }
                """);
        }

        if (gear is not null)
        {
            fields.Add($"\"gear\": {gear}");
        }

        if (on is not null)
        {
            fields.Add($"\"on\": {on}");
        }

        return $$"""
            {
              "kind": "DeviceLink",
              "metadata": { "name": "living-room-fan", "uid": "9e8efcb0-4b79-45e7-a4c4-3349562292e3" },
              "spec": { "template": { "spec": { {{string.Join(", ", fields)}} } } }
            }
            """;
    }
}
