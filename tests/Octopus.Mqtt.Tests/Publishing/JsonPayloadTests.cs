using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Octopus.Mqtt.Tests.Publishing;

public sealed partial class JsonPayloadTests
{
    private static string Text(PayloadBuffer payload)
    {
        var text = Encoding.UTF8.GetString(payload.Memory.Span);
        payload.Release();
        return text;
    }

    [Fact]
    public void Serialize_String_IsAJsonString() =>
        Text(JsonPayload.Serialize("tested", TestJsonContext.Default.String)).Should().Be("\"tested\"");

    [Fact]
    public void Serialize_Object_WithSourceGeneratedMetadata_IsJson() =>
        Text(JsonPayload.Serialize(new FanStatus("fast", 201), TestJsonContext.Default.FanStatus)).Should().Be("{\"gear\":\"fast\",\"rotatingSpeed\":201}");

    [Fact]
    public void Serialize_Reflection_HonoursTheOptions()
    {
        var options = new JsonSerializerOptions { WriteIndented = true };

        Text(JsonPayload.Serialize(new { RotatingSpeed = 1 }, options)).Should().Be("{\n  \"RotatingSpeed\": 1\n}");
    }

    [Fact]
    public void Serialize_ReflectionWithoutOptions_WritesCamelCaseAsTheGoAdaptors()
    {
        Text(JsonPayload.Serialize(new { Gear = "slow", RotatingSpeed = 1 }, (JsonSerializerOptions?)null))
            .Should().Be("{\"gear\":\"slow\",\"rotatingSpeed\":1}");
    }

    [Fact]
    public void Serialize_ManyInARow_EachGetsItsOwnBuffer()
    {
        var first = JsonPayload.Serialize(1, TestJsonContext.Default.Int32);
        var second = JsonPayload.Serialize(22, TestJsonContext.Default.Int32);

        first.Array.Should().NotBeSameAs(second.Array);
        Text(first).Should().Be("1");
        Text(second).Should().Be("22");
    }

    [Fact]
    public void TryCopyBytes_Bytes_AreSentAsTheyAre()
    {
        byte[] bytes = [0, 1, 255];

        JsonPayload.TryCopyBytes(bytes, out var fromArray).Should().BeTrue();
        JsonPayload.TryCopyBytes(new ReadOnlyMemory<byte>(bytes), out var fromMemory).Should().BeTrue();
        JsonPayload.TryCopyBytes(new ArraySegment<byte>(bytes, 1, 2), out var fromSegment).Should().BeTrue();
        JsonPayload.TryCopyBytes<object>(bytes, out var fromObject).Should().BeTrue();

        fromArray.Memory.ToArray().Should().Equal(0, 1, 255);
        fromMemory.Memory.ToArray().Should().Equal(0, 1, 255);
        fromSegment.Memory.ToArray().Should().Equal(1, 255);
        fromObject.Memory.ToArray().Should().Equal(0, 1, 255);
        fromArray.Array.Should().NotBeSameAs(bytes, "the caller may reuse its buffer");
    }

    [Fact]
    public void TryCopyBytes_NullArray_IsAnEmptyPayload()
    {
        JsonPayload.TryCopyBytes((byte[]?)null, out var payload).Should().BeTrue();

        payload.Length.Should().Be(0);
    }

    [Fact]
    public void TryCopyBytes_NotBytes_IsFalse()
    {
        JsonPayload.TryCopyBytes("tested", out _).Should().BeFalse();
        JsonPayload.TryCopyBytes(42, out _).Should().BeFalse();
    }

    internal sealed record FanStatus(string Gear, int RotatingSpeed);

    [JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
    [JsonSerializable(typeof(FanStatus))]
    [JsonSerializable(typeof(string))]
    [JsonSerializable(typeof(int))]
    internal sealed partial class TestJsonContext : JsonSerializerContext;
}
