using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Octopus.Mqtt.Tests.Publishing;

/// <summary>
/// Payload bytes against Go's. Every expected value below is what Go 1.19's <c>json.Marshal</c> (HTML escaping on, the
/// default; the Go line Octopus was built with) printed for the same value: <c>&lt; &gt; &amp;</c> as lowercase
/// <c>\u003c \u003e \u0026</c>, U+2028/U+2029 escaped, backspace and form feed as <c>\u0008 \u000c</c> (Go 1.22 and later
/// write <c>\b \f</c>), everything else non-ASCII, <c>'</c>, <c>+</c>, <c>/</c> and DEL raw.
/// </summary>
public sealed partial class JsonPayloadTests
{
    private const string GoNamed = "{\"name\":\"é\\u003c\\u0026\\u003e'\"}";
    private const string GoSeparators = "\"\\u2028\\u2029\"";
    private const string GoControls = "\"\\\"\\\\\\u0008\\u000c\\n\\r\\t\\u0001\\u001f\u007f+😀/\"";
    private const string GoMap = "{\"\\u003ck\\u003e\":\"v\\u0026\"}";

    private const string Controls = "\"\\\b\f\n\r\t\u0001\u001f\u007f+😀/";

    [Fact]
    public void Serialize_SourceGenerated_WritesTheBytesGoWrites()
    {
        Bytes(JsonPayload.Serialize(new Named("é<&>'"), GoJsonContext.Default.Named)).Should().Equal(Utf8(GoNamed));
        Bytes(JsonPayload.Serialize("\u2028\u2029", GoJsonContext.Default.String)).Should().Equal(Utf8(GoSeparators));
        Bytes(JsonPayload.Serialize(Controls, GoJsonContext.Default.String)).Should().Equal(Utf8(GoControls));
        Bytes(JsonPayload.Serialize(new Dictionary<string, string> { ["<k>"] = "v&" }, GoJsonContext.Default.DictionaryStringString)).Should().Equal(Utf8(GoMap));
    }

    [Fact]
    public void Serialize_ReflectionWithDefaultOrEncoderlessOptions_WritesTheBytesGoWrites()
    {
        var mine = new JsonSerializerOptions { PropertyNamingPolicy = JsonNamingPolicy.CamelCase };

        Bytes(JsonPayload.Serialize(new Named("é<&>'"), (JsonSerializerOptions?)null)).Should().Equal(Utf8(GoNamed));
        Bytes(JsonPayload.Serialize(new Named("é<&>'"), mine)).Should().Equal(Utf8(GoNamed));
        Bytes(JsonPayload.Serialize("\u2028\u2029", (JsonSerializerOptions?)null)).Should().Equal(Utf8(GoSeparators));
        Bytes(JsonPayload.Serialize(Controls, mine)).Should().Equal(Utf8(GoControls));
        Bytes(JsonPayload.Serialize(new Dictionary<string, string> { ["<k>"] = "v&" }, (JsonSerializerOptions?)null)).Should().Equal(Utf8(GoMap));
        mine.Encoder.Should().BeNull("the caller's options are not changed");
    }

    [Fact]
    public void Serialize_OptionsWithTheirOwnEncoder_KeepIt()
    {
        var options = new JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.Default };

        Text(JsonPayload.Serialize("é<", options)).Should().Be("\"\\u00E9\\u003C\"");
    }

    [Fact]
    public void Serialize_Floats_KeepDotNetsShortestRoundTripForm()
    {
        // Go 1.19 wrote [1.45689892,0.1,1e-7,100000000000000000000,1e+21,123456789.125,1.5e+300]: the same digits
        // for ordinary values, another exponent notation for very small and very large ones.
        Text(JsonPayload.Serialize(new[] { 1.45689892, 0.1, 1e-7, 1e20, 1e21, 123456789.125, 1.5e300 }, (JsonSerializerOptions?)null))
            .Should().Be("[1.45689892,0.1,1E-07,1E+20,1E+21,123456789.125,1.5E+300]");

        // Go 1.19 wrote a float32 1.45689892 as 1.4568989.
        Text(JsonPayload.Serialize(1.45689892f, (JsonSerializerOptions?)null)).Should().Be("1.4568989");
    }

    private static byte[] Bytes(PayloadBuffer payload)
    {
        var bytes = payload.Memory.ToArray();
        payload.Release();
        return bytes;
    }

    private static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);

    internal sealed record Named(string Name);

    [JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
    [JsonSerializable(typeof(Named))]
    [JsonSerializable(typeof(string))]
    [JsonSerializable(typeof(Dictionary<string, string>))]
    internal sealed partial class GoJsonContext : JsonSerializerContext;
}
