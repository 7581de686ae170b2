using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace Octopus.Mqtt.Tests.Options;

public sealed partial class MqttOptionsJsonTests
{
    [Fact]
    public void Read_EveryField_ReadsEveryValue()
    {
        var result = MqttOptionsJson.Read(OptionsDocuments.Full);

        result.Options.Should().BeEquivalentTo(OptionsDocuments.FullOptions());
        result.Warnings.Should().BeEmpty();
    }

    [Fact]
    public void Write_EveryField_WritesTheDocumentedNamesAndForms()
    {
        var written = MqttOptionsJson.Write(OptionsDocuments.FullOptions());

        JsonNode.DeepEquals(JsonNode.Parse(written), JsonNode.Parse(OptionsDocuments.Full)).Should().BeTrue(written);
    }

    [Fact]
    public void Write_ThenRead_GivesEqualOptions()
    {
        var first = MqttOptionsJson.Read(OptionsDocuments.Full).Options;

        var second = MqttOptionsJson.Read(MqttOptionsJson.Write(first, indented: true)).Options;

        second.Should().BeEquivalentTo(first);
        MqttOptionsComparer.Instance.Equals(first, second).Should().BeTrue();
    }

    [Fact]
    public void Write_Defaults_WritesEveryDefaultAndLeavesAbsentSectionsOut()
    {
        MqttOptionsJson.Write(OptionsDocuments.Minimal()).Should().Be(
            """{"client":{"server":"tcp://broker:1883","protocolVersion":0,"cleanSession":true,"store":{"type":"Memory","directoryPrefix":"/var/run/octopus/mqtt"},"resumeSubs":false,"connectTimeout":"30s","keepAlive":"30s","pingTimeout":"10s","order":true,"writeTimeout":"30s","waitTimeout":"0s","disconnectQuiesce":"5s","autoReconnect":true,"maxReconnectInterval":"10m0s","stableConnectionTime":"0s","messageChannelDepth":100},"message":{"topic":"cattle.io/octopus/:namespace/:name","qos":1,"retained":true,"path":""}}""");
    }

    [Fact]
    public void ReadWrite_ExpiryAndCoalescing_RoundTripUnderTheirNames()
    {
        var read = MqttOptionsJson.Read(""""{"client":{"server":"tcp://broker:1883"},"message":{"topic":"t/:name","expiry":"90s","coalesceRetained":true}}"""");

        read.Warnings.Should().BeEmpty();
        read.Options.Message.Expiry.Should().Be(GoDuration.FromSeconds(90));
        read.Options.Message.CoalesceRetained.Should().BeTrue();
        MqttOptionsJson.Write(read.Options).Should().Contain(""""expiry":"1m30s","coalesceRetained":true"""");
    }

    [Fact]
    public void Read_ServerAndTopicOnly_GivesTheContractDefaults()
    {
        var options = MqttOptionsJson.Read("""{"client":{"server":"tcp://broker:1883"},"message":{"topic":"cattle.io/octopus/:namespace/:name"}}""").Options;

        options.Should().BeEquivalentTo(OptionsDocuments.Minimal());
        MqttOptionsTests.ShouldHaveContractDefaults(options);
    }

    [Fact]
    public void Read_Utf8SpanWithByteOrderMark_ReadsTheOptions()
    {
        var bytes = Encoding.UTF8.GetPreamble().Concat(Encoding.UTF8.GetBytes(OptionsDocuments.Full)).ToArray();

        MqttOptionsJson.Read(bytes.AsSpan()).Options.Should().BeEquivalentTo(OptionsDocuments.FullOptions());
    }

    [Fact]
    public void Read_Stream_ReadsTheOptions()
    {
        using var stream = new MemoryStream(Encoding.UTF8.GetBytes(OptionsDocuments.Full));

        MqttOptionsJson.Read(stream).Options.Should().BeEquivalentTo(OptionsDocuments.FullOptions());
    }

    [Theory]
    [InlineData("Memory", MqttStoreType.Memory)]
    [InlineData("MEMORY", MqttStoreType.Memory)]
    [InlineData("memory", MqttStoreType.Memory)]
    [InlineData("", MqttStoreType.Memory)]
    [InlineData("File", MqttStoreType.File)]
    [InlineData("file", MqttStoreType.File)]
    [InlineData("fILE", MqttStoreType.File)]
    public void Read_StoreTypeInAnyCase_ReadsTheType(string text, MqttStoreType expected) =>
        MqttOptionsJson.Read("""{"client":{"store":{"type":"TEXT"}}}""".Replace("TEXT", text, StringComparison.Ordinal)).Options.Client.Store.Type.Should().Be(expected);

    [Theory]
    [InlineData("b2ZmbGluZQ==")]
    [InlineData("b2ZmbGluZQ")]
    [InlineData("b2ZmbGluZQ=")]
    public void Read_WillContentPaddedOrNot_Decodes(string text) =>
        MqttOptionsJson.Read("""{"message":{"will":{"content":"TEXT"}}}""".Replace("TEXT", text, StringComparison.Ordinal)).Options.Message.Will!.Content
            .Should().Equal("offline"u8.ToArray());

    [Theory]
    [InlineData("+/8=")]
    [InlineData("+/8")]
    [InlineData("-_8=")]
    [InlineData("-_8")]
    public void Read_WillContentStandardOrUrlSafe_Decodes(string text) =>
        MqttOptionsJson.Read("""{"message":{"will":{"content":"TEXT"}}}""".Replace("TEXT", text, StringComparison.Ordinal)).Options.Message.Will!.Content
            .Should().Equal(0xFB, 0xFF);

    [Fact]
    public void Write_WillContent_WritesStandardPaddedBase64()
    {
        var options = MqttOptionsJson.Read("""{"message":{"will":{"content":"-_8"}}}""").Options;

        JsonNode.Parse(MqttOptionsJson.Write(options))!["message"]!["will"]!["content"]!.GetValue<string>().Should().Be("+/8=");
    }

    [Theory]
    [InlineData(0, MqttQos.AtMostOnce)]
    [InlineData(1, MqttQos.AtLeastOnce)]
    [InlineData(2, MqttQos.ExactlyOnce)]
    public void Read_QosNumber_ReadsTheQos(int number, MqttQos expected)
    {
        var options = MqttOptionsJson.Read("""{"message":{"qos":N,"will":{"qos":N}}}""".Replace("N", number.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal)).Options;

        options.Message.Qos.Should().Be(expected);
        options.Message.Will!.Qos.Should().Be(expected);
    }

    [Theory]
    [InlineData("1.5s", 1_500_000_000L)]
    [InlineData("1m30s", 90_000_000_000L)]
    [InlineData("0", 0L)]
    [InlineData("-5s", -5_000_000_000L)]
    public void Read_GoDuration_ReadsIt(string text, long nanoseconds) =>
        MqttOptionsJson.Read("""{"client":{"keepAlive":"TEXT"}}""".Replace("TEXT", text, StringComparison.Ordinal)).Options.Client.KeepAlive
            .Should().Be(GoDuration.FromNanoseconds(nanoseconds));

    [Fact]
    public void Read_NullValues_CountAsAbsent()
    {
        var options = MqttOptionsJson.Read(
            """{"client":{"server":null,"basicAuth":null,"store":null,"keepAlive":null,"httpHeaders":{"X":null}},"message":{"will":null,"qos":null}}""").Options;

        options.Client.Store.Should().BeEquivalentTo(new MqttStoreSettings());
        options.Client.BasicAuth.Should().BeNull();
        options.Client.KeepAlive.Should().Be(GoDuration.FromSeconds(30));
        options.Client.HttpHeaders.Should().BeEmpty();
        options.Message.Will.Should().BeNull();
        options.Message.Qos.Should().Be(MqttQos.AtLeastOnce);
    }

    [Fact]
    public void Read_CommentsAndTrailingCommas_AreAllowed() =>
        MqttOptionsJson.Read("""
            {
              // the broker
              "client": { "server": "tcp://broker:1883", },
            }
            """).Options.Client.Server.Should().Be("tcp://broker:1883");

    [Theory]
    [InlineData("client.store", "direcotryPrefix", "\"/data\"", "directoryPrefix")]
    [InlineData("client", "connectionTime", "\"5s\"", "connectTimeout")]
    [InlineData("client.basicAuth", "passsword", "\"secret\"", "password")]
    public void Read_DocumentationMisspelling_ReadsItAsAnAliasWithOneWarning(string parent, string misspelt, string value, string field)
    {
        var json = Nest(parent, $$$"""{"{{{misspelt}}}":{{{value}}}}""");

        var result = MqttOptionsJson.Read(json);

        result.Warnings.Select(w => w.ToString()).Should().Equal(
            $"warning: {parent}.{misspelt} is a misspelling of {field} (as in the Octopus documentation); read as {field}");
        result.Warnings[0].Path.Should().Be($"{parent}.{misspelt}");
        result.Warnings[0].Severity.Should().Be(MqttOptionsProblemSeverity.Warning);
        var expected = MqttOptionsJson.Read(Nest(parent, $$$"""{"{{{field}}}":{{{value}}}}""")).Options;
        result.Options.Should().BeEquivalentTo(expected);
    }

    [Fact]
    public void Read_MisspellingAndCorrectSpelling_CorrectOneWinsWithAWarning()
    {
        var result = MqttOptionsJson.Read("""{"client":{"connectionTime":"5s","connectTimeout":"7s"}}""");

        result.Options.Client.ConnectTimeout.Should().Be(GoDuration.FromSeconds(7));
        result.Warnings.Select(w => w.Message).Should().Equal(
            "client.connectionTime is a misspelling of connectTimeout (as in the Octopus documentation); ignored because connectTimeout is also set");
    }

    [Theory]
    [InlineData("""{"client":{"conectTimeout":"5s"}}""", "client.conectTimeout is not a known field; did you mean connectTimeout?")]
    [InlineData("""{"client":{"keepalive":"5s"}}""", "client.keepalive is not a known field; did you mean keepAlive?")]
    [InlineData("""{"client":{"tlsConfig":{"caFilePem":"x"}}}""", "client.tlsConfig.caFilePem is not a known field; did you mean caFilePEM?")]
    [InlineData("""{"message":{"will":{"retain":true}}}""", "message.will.retain is not a known field; did you mean retained?")]
    [InlineData("""{"client":{"basicAuth":{"usernameRef":{"nmae":"x"}}}}""", "client.basicAuth.usernameRef.nmae is not a known field; did you mean name?")]
    [InlineData("""{"clinet":{}}""", "clinet is not a known field; did you mean client?")]
    [InlineData("""{"client":{"colour":"blue"}}""", "client.colour is not a known field")]
    [InlineData("""{"message":{"topicTemplate":"a"}}""", "message.topicTemplate is not a known field")]
    public void Read_UnknownField_NamesItAndTheClosestKnownField(string json, string message)
    {
        var problem = FluentActions.Invoking(() => MqttOptionsJson.Read(json)).Should().Throw<MqttOptionsException>().Which.Problems.Should().ContainSingle().Which;

        problem.Message.Should().Be(message);
        problem.Path.Should().Be(message[..message.IndexOf(' ', StringComparison.Ordinal)]);
        problem.Severity.Should().Be(MqttOptionsProblemSeverity.Error);
    }

    [Theory]
    [InlineData("""{"client":{"server":1883}}""", "client.server: expected a string, got 1883")]
    [InlineData("""{"client":{"cleanSession":"yes"}}""", "client.cleanSession: expected true or false, got \"yes\"")]
    [InlineData("""{"client":{"cleanSession":"true"}}""", "client.cleanSession: expected true or false, got \"true\"")]
    [InlineData("""{"client":{"protocolVersion":3.5}}""", "client.protocolVersion: expected a whole number, got 3.5")]
    [InlineData("""{"client":{"messageChannelDepth":"100"}}""", "client.messageChannelDepth: expected a whole number, got \"100\"")]
    [InlineData("""{"client":{"messageChannelDepth":99999999999}}""", "client.messageChannelDepth: expected a whole number, got 99999999999")]
    [InlineData("""{"message":{"qos":"1"}}""", "message.qos: expected a whole number, got \"1\"")]
    [InlineData("""{"client":{"keepAlive":30}}""", "client.keepAlive: expected a Go duration such as 300ms, 1.5s, 1m30s or 2h45m (units ns, us, µs, ms, s, m, h), got 30")]
    [InlineData("""{"client":{"keepAlive":"30"}}""", "client.keepAlive: \"30\" has a number without a unit; expected a Go duration such as 300ms, 1.5s, 1m30s or 2h45m (units ns, us, µs, ms, s, m, h)")]
    [InlineData("""{"client":{"keepAlive":"00:00:30"}}""", "client.keepAlive: \"00:00:30\" is a TimeSpan, not a Go duration; write 30s")]
    [InlineData("""{"client":{"store":{"type":"Disk"}}}""", "client.store.type: \"Disk\" is not a store type; allowed: Memory, File (any case)")]
    [InlineData("""{"client":{"store":{"type":1}}}""", "client.store.type: 1 is not a store type; allowed: Memory, File (any case)")]
    [InlineData("""{"client":{"store":"File"}}""", "client.store: expected an object, got \"File\"")]
    [InlineData("""{"message":{"will":{"content":"b2Zm!bGluZQ=="}}}""", "message.will.content: is not base64 (standard or URL-safe, padded or not)")]
    [InlineData("""{"message":{"will":{"content":"b2ZmbGluZ"}}}""", "message.will.content: is not base64 (standard or URL-safe, padded or not)")]
    [InlineData("""{"message":{"will":{"content":[1,2]}}}""", "message.will.content: expected base64 (standard or URL-safe, padded or not), got an array")]
    [InlineData("""{"client":{"httpHeaders":["a"]}}""", "client.httpHeaders: expected an object of header names and their lists of values, got an array")]
    [InlineData("""{"client":{"httpHeaders":{"X-A":"v"}}}""", "client.httpHeaders.X-A: expected a list of strings, got \"v\"")]
    [InlineData("""{"client":{"httpHeaders":{"X-A":["v",2]}}}""", "client.httpHeaders.X-A[1]: expected a string, got 2")]
    [InlineData("""{"client":{"server":"a","server":"b"}}""", "client.server is set more than once")]
    [InlineData("""{"client":{"servers":"tcp://b:1883"}}""", "client.servers: expected a list of strings, got \"tcp://b:1883\"")]
    [InlineData("""{"client":{"servers":["tcp://b:1883",2]}}""", "client.servers[1]: expected a string, got 2")]
    [InlineData("""{"client":{"httpHeaders":{"X-A":["a"],"X-A":["b"]}}}""", "client.httpHeaders.X-A is set more than once")]
    [InlineData("""[1]""", "expected an object with the fields client and message, got an array")]
    public void Read_ValueOfTheWrongForm_NamesTheFieldAndWhatIsAllowed(string json, string message) =>
        FluentActions.Invoking(() => MqttOptionsJson.Read(json)).Should().Throw<MqttOptionsException>()
            .Which.Problems.Select(p => p.Message).Should().Equal(message);

    [Fact]
    public void Read_NotJson_ThrowsWithTheParserPosition()
    {
        var problem = FluentActions.Invoking(() => MqttOptionsJson.Read("""{"client": }""")).Should().Throw<MqttOptionsException>()
            .Which.Problems.Should().ContainSingle().Which;

        problem.Path.Should().BeEmpty();
        problem.Message.Should().Be("not valid JSON: '}' is an invalid start of a value. LineNumber: 0 | BytePositionInLine: 11.");
    }

    [Fact]
    public void Read_ManyProblems_ReportsThemAllAtOnceWithTheWarnings()
    {
        const string Json = """
            {
              "client": {
                "server": 1,
                "conectTimeout": "5s",
                "connectionTime": "5s",
                "store": { "type": "disk", "direcotryPrefix": "/data" },
                "keepAlive": "soon"
              },
              "message": { "qos": "high", "will": { "content": "%%%" } },
              "extra": true
            }
            """;

        var exception = FluentActions.Invoking(() => MqttOptionsJson.Read(Json)).Should().Throw<MqttOptionsException>().Which;

        exception.Message.Should().Be("""
            The MQTT options have 7 problems:
              client.server: expected a string, got 1
              client.conectTimeout is not a known field; did you mean connectTimeout?
              client.store.type: "disk" is not a store type; allowed: Memory, File (any case)
              client.keepAlive: "soon" is not a Go duration such as 300ms, 1.5s, 1m30s or 2h45m (units ns, us, µs, ms, s, m, h)
              message.qos: expected a whole number, got "high"
              message.will.content: is not base64 (standard or URL-safe, padded or not)
              extra is not a known field
            """.ReplaceLineEndings("\n"));
        exception.Problems.Select(p => p.Path).Should().Equal(
            "client.server", "client.conectTimeout", "client.store.type", "client.keepAlive", "message.qos", "message.will.content", "extra");
        exception.Warnings.Select(w => w.Path).Should().Equal("client.connectionTime", "client.store.direcotryPrefix");
    }

    [Fact]
    public void Read_SecretOfTheWrongType_DoesNotShowItsValue()
    {
        var exception = FluentActions.Invoking(() => MqttOptionsJson.Read("""{"client":{"basicAuth":{"password":918273645}}}"""))
            .Should().Throw<MqttOptionsException>().Which;

        exception.Problems.Select(p => p.Message).Should().Equal("client.basicAuth.password: expected a string, got a number");
        exception.Message.Should().NotContain("918273645");
    }

    private static string Nest(string path, string inner)
    {
        var json = inner;
        foreach (var name in path.Split('.').Reverse())
        {
            json = $$$"""{"{{{name}}}":{{{json}}}}""";
        }

        return json;
    }
}
