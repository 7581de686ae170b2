namespace Octopus.Mqtt.Tests.Options;

public sealed class FieldNameSuggesterTests
{
    private static readonly string[] ClientFields =
    [
        "server", "protocolVersion", "basicAuth", "tlsConfig", "cleanSession", "store", "resumeSubs", "connectTimeout",
        "keepAlive", "pingTimeout", "order", "writeTimeout", "waitTimeout", "disconnectQuiesce", "autoReconnect",
        "maxReconnectInterval", "messageChannelDepth", "httpHeaders",
    ];

    [Theory]
    [InlineData("conectTimeout", "connectTimeout")]
    [InlineData("connectTime", "connectTimeout")]
    [InlineData("KeepAlive", "keepAlive")]
    [InlineData("severs", "server")]
    [InlineData("cleansession", "cleanSession")]
    [InlineData("maxReconectInterval", "maxReconnectInterval")]
    [InlineData("httpHeader", "httpHeaders")]
    [InlineData("waitTimeOut", "waitTimeout")]
    [InlineData("tls", null)]
    [InlineData("timeout", null)]
    [InlineData("colour", null)]
    [InlineData("", null)]
    public void Suggest_Name_GivesTheClosestLikelyTypo(string name, string? expected) =>
        FieldNameSuggester.Suggest(name, ClientFields).Should().Be(expected);

    [Theory]
    [InlineData("", "", 0)]
    [InlineData("abc", "", 3)]
    [InlineData("kitten", "sitting", 3)]
    [InlineData("Server", "server", 0)]
    [InlineData("qos", "qso", 2)]
    public void Distance_TwoStrings_CountsEditsIgnoringCase(string a, string b, int expected)
    {
        FieldNameSuggester.Distance(a, b).Should().Be(expected);
        FieldNameSuggester.Distance(b, a).Should().Be(expected);
    }
}
