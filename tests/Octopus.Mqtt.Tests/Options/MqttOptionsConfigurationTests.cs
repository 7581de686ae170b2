using System.Text;
using Microsoft.Extensions.Configuration;

namespace Octopus.Mqtt.Tests.Options;

public sealed class MqttOptionsConfigurationTests
{
    [Fact]
    public void Read_EveryFieldFromAppSettingsJson_EqualsReadingTheSameJson()
    {
        var section = FromJson($$"""{ "Mqtt": {{OptionsDocuments.Full}} }""").GetSection("Mqtt");

        var fromConfiguration = MqttOptionsConfiguration.Read(section);

        var fromJson = MqttOptionsJson.Read(OptionsDocuments.Full).Options;
        fromConfiguration.Options.Should().BeEquivalentTo(fromJson);
        MqttOptionsComparer.Instance.Equals(fromConfiguration.Options, fromJson).Should().BeTrue();
        fromConfiguration.Warnings.Should().BeEmpty();
    }

    [Fact]
    public void Read_MisspellingsFromAppSettingsJson_GiveTheSameOptionsAndWarningsAsJson()
    {
        const string Json = """
            {
              "client": {
                "server": "tcp://broker:1883",
                "connectionTime": "5s",
                "basicAuth": { "username": "u", "passsword": "p" },
                "store": { "type": "file", "direcotryPrefix": "/data" }
              },
              "message": { "topic": "t" }
            }
            """;

        var fromConfiguration = MqttOptionsConfiguration.Read(FromJson(Json));

        var fromJson = MqttOptionsJson.Read(Json);
        fromConfiguration.Options.Should().BeEquivalentTo(fromJson.Options);
        fromConfiguration.Warnings.Select(w => w.Message).Should().BeEquivalentTo(fromJson.Warnings.Select(w => w.Message));
        fromConfiguration.Warnings.Select(w => w.Message).Should().BeEquivalentTo(
            "client.connectionTime is a misspelling of connectTimeout (as in the Octopus documentation); read as connectTimeout",
            "client.basicAuth.passsword is a misspelling of password (as in the Octopus documentation); read as password",
            "client.store.direcotryPrefix is a misspelling of directoryPrefix (as in the Octopus documentation); read as directoryPrefix");
    }

    [Theory]
    [InlineData("30s")]
    [InlineData("00:00:30")]
    [InlineData(" 0.00:00:30 ")]
    public void Read_DurationAsGoOrTimeSpan_ReadsIt(string text) =>
        MqttOptionsConfiguration.Read(FromPairs(("client:keepAlive", text))).Options.Client.KeepAlive.Should().Be(GoDuration.FromSeconds(30));

    [Fact]
    public void Read_ExpiryAndCoalescing_ReadsThem()
    {
        var options = MqttOptionsConfiguration.Read(FromPairs(("message:expiry", "10m"), ("message:coalesceRetained", "true"))).Options;

        options.Message.Expiry.Should().Be(GoDuration.FromMinutes(10));
        options.Message.CoalesceRetained.Should().BeTrue();
    }

    [Theory]
    [InlineData("file", MqttStoreType.File)]
    [InlineData("FILE", MqttStoreType.File)]
    [InlineData("Memory", MqttStoreType.Memory)]
    [InlineData("mEmOrY", MqttStoreType.Memory)]
    public void Read_StoreTypeInAnyCase_ReadsIt(string text, MqttStoreType expected) =>
        MqttOptionsConfiguration.Read(FromPairs(("client:store:type", text))).Options.Client.Store.Type.Should().Be(expected);

    [Theory]
    [InlineData("b2ZmbGluZQ==")]
    [InlineData("b2ZmbGluZQ")]
    public void Read_WillContentPaddedOrNot_Decodes(string text) =>
        MqttOptionsConfiguration.Read(FromPairs(("message:will:content", text))).Options.Message.Will!.Content.Should().Equal("offline"u8.ToArray());

    [Theory]
    [InlineData("-_8")]
    [InlineData("+/8=")]
    public void Read_WillContentUrlSafeOrStandard_Decodes(string text) =>
        MqttOptionsConfiguration.Read(FromPairs(("message:will:content", text))).Options.Message.Will!.Content.Should().Equal(0xFB, 0xFF);

    [Fact]
    public void Read_EnvironmentStyleKeysAndValues_ReadInAnyCase()
    {
        var options = MqttOptionsConfiguration.Read(FromPairs(
            ("CLIENT:SERVER", "tcp://broker:1883"),
            ("Client:CleanSession", "FALSE"),
            ("client:protocolversion", "4"),
            ("client:httpHeaders:X-One", "single"),
            ("client:httpHeaders:X-Two:1", "second"),
            ("client:httpHeaders:X-Two:0", "first"),
            ("Message:Topic", "t"),
            ("message:QOS", "2"))).Options;

        options.Client.Server.Should().Be("tcp://broker:1883");
        options.Client.CleanSession.Should().BeFalse();
        options.Client.ProtocolVersion.Should().Be(4);
        options.Client.HttpHeaders.Should().BeEquivalentTo(new Dictionary<string, string[]>
        {
            ["X-One"] = ["single"],
            ["X-Two"] = ["first", "second"],
        });
        options.Message.Topic.Should().Be("t");
        options.Message.Qos.Should().Be(MqttQos.ExactlyOnce);
    }

    [Fact]
    public void Read_ServersIndexedOrSingle_ReadsTheListInIndexOrder()
    {
        var indexed = MqttOptionsConfiguration.Read(FromPairs(
            ("client:servers:1", "tcp://c:1883"),
            ("client:servers:0", "tcp://b:1883"),
            ("client:stableConnectionTime", "00:01:00"))).Options;
        var single = MqttOptionsConfiguration.Read(FromPairs(("client:servers", "tcp://b:1883"))).Options;

        indexed.Client.Servers.Should().Equal("tcp://b:1883", "tcp://c:1883");
        indexed.Client.StableConnectionTime.Should().Be(GoDuration.FromMinutes(1));
        single.Client.Servers.Should().Equal("tcp://b:1883");
    }

    [Fact]
    public void Read_EmptySection_GivesTheDefaults()
    {
        var options = MqttOptionsConfiguration.Read(FromPairs()).Options;

        options.Should().BeEquivalentTo(new MqttOptions());
    }

    [Fact]
    public void Read_EmptyObjectsInAppSettings_CountAsAbsent() =>
        MqttOptionsConfiguration.Read(FromJson("""{"client":{"basicAuth":{},"httpHeaders":{}},"message":{"will":{}}}""")).Options
            .Should().BeEquivalentTo(new MqttOptions());

    [Fact]
    public void Read_Problems_ReportsThemAllWithTheSameMessagesAsJson()
    {
        var section = FromPairs(
            ("client:conectTimeout", "5s"),
            ("client:cleanSession", "yes"),
            ("client:keepAlive", "soon"),
            ("client:messageChannelDepth", "many"),
            ("client:store:type", "disk"),
            ("client:httpHeaders:X-A:first", "v"),
            ("message:will:content", "%%%"),
            ("message:color", "red"));

        var exception = FluentActions.Invoking(() => MqttOptionsConfiguration.Read(section)).Should().Throw<MqttOptionsException>().Which;

        exception.Problems.Select(p => p.Message).Should().BeEquivalentTo(
            "client.conectTimeout is not a known field; did you mean connectTimeout?",
            "client.cleanSession: expected true or false, got \"yes\"",
            "client.keepAlive: \"soon\" is not a Go duration such as 300ms, 1.5s, 1m30s or 2h45m (units ns, us, µs, ms, s, m, h), or a TimeSpan such as 00:00:30",
            "client.messageChannelDepth: expected a whole number, got \"many\"",
            "client.store.type: \"disk\" is not a store type; allowed: Memory, File (any case)",
            "client.httpHeaders.X-A: expected a list of strings, got an object",
            "message.will.content: is not base64 (standard or URL-safe, padded or not)",
            "message.color is not a known field");
    }

    [Fact]
    public void Bind_PartialSection_SetsOnlyWhatItHoldsAndFillsInNestedObjects()
    {
        var target = OptionsDocuments.Minimal();
        target.Client.BasicAuth = new MqttBasicAuthSettings { Username = "from-code" };
        target.Client.KeepAlive = GoDuration.FromSeconds(7);
        target.Message.Will = new MqttWillSettings { Topic = "gone", Content = [1, 2] };

        var warnings = MqttOptionsConfiguration.Bind(
            FromPairs(("client:basicAuth:password", "p"), ("client:store:type", "File"), ("message:will:qos", "0")),
            target);

        warnings.Should().BeEmpty();
        var expected = OptionsDocuments.Minimal();
        expected.Client.BasicAuth = new MqttBasicAuthSettings { Username = "from-code", Password = "p" };
        expected.Client.KeepAlive = GoDuration.FromSeconds(7);
        expected.Client.Store.Type = MqttStoreType.File;
        expected.Message.Will = new MqttWillSettings { Topic = "gone", Content = [1, 2], Qos = MqttQos.AtMostOnce };
        target.Should().BeEquivalentTo(expected);
    }

    [Fact]
    public void Bind_SectionWithAProblem_SetsNothing()
    {
        var target = OptionsDocuments.Minimal();

        FluentActions.Invoking(() => MqttOptionsConfiguration.Bind(FromPairs(("client:server", "tcp://other:1883"), ("client:order", "maybe")), target))
            .Should().Throw<MqttOptionsException>().WithMessage("The MQTT options have 1 problem:\n  client.order: expected true or false, got \"maybe\"");

        target.Should().BeEquivalentTo(OptionsDocuments.Minimal());
    }

    private static IConfiguration FromJson(string json) =>
        new ConfigurationBuilder().AddJsonStream(new MemoryStream(Encoding.UTF8.GetBytes(json))).Build();

    private static IConfiguration FromPairs(params (string Key, string Value)[] pairs) =>
        new ConfigurationBuilder()
            .AddInMemoryCollection(pairs.Select(p => new KeyValuePair<string, string?>(p.Key, p.Value)))
            .Build();
}
