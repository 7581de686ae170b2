using System.Text;

namespace Octopus.Mqtt.Tests.Publishing;

public sealed class StoredMessageCodecTests
{
    private static byte[] Encode(string topic, byte[] payload, MqttQos qos = MqttQos.ExactlyOnce, bool retain = true)
    {
        var data = new byte[StoredMessageCodec.GetLength(topic, payload.Length)];
        StoredMessageCodec.Encode(data, topic, payload, qos, retain);
        return data;
    }

    [Fact]
    public void TryDecode_Encoded_GivesTheMessageBack()
    {
        var data = Encode("cattle.io/octopus/défaut/case1", Encoding.UTF8.GetBytes("{\"gear\":\"slow\"}"));

        StoredMessageCodec.TryDecode(42, data, out var message, out var error).Should().BeTrue();

        error.Should().BeNull();
        message!.Sequence.Should().Be(42);
        message.Topic.Should().Be("cattle.io/octopus/défaut/case1");
        Encoding.UTF8.GetString(message.Payload).Should().Be("{\"gear\":\"slow\"}");
        message.Qos.Should().Be(MqttQos.ExactlyOnce);
        message.Retain.Should().BeTrue();
    }

    [Fact]
    public void TryDecode_EmptyPayload_Works()
    {
        StoredMessageCodec.TryDecode(1, Encode("a", [], MqttQos.AtLeastOnce, false), out var message, out _).Should().BeTrue();

        message!.Payload.Should().BeEmpty();
        message.Retain.Should().BeFalse();
    }

    [Fact]
    public void TryDecode_Truncated_ExplainsWhy()
    {
        var data = Encode("a/b", [1, 2, 3]);

        StoredMessageCodec.TryDecode(1, data.AsSpan(0, data.Length - 1), out _, out var error).Should().BeFalse();

        error.Should().Be("its header is inconsistent");
    }

    [Fact]
    public void TryDecode_FlippedPayloadBit_FailsTheChecksum()
    {
        var data = Encode("a/b", [1, 2, 3]);
        data[^9] ^= 0x01;

        StoredMessageCodec.TryDecode(1, data, out _, out var error).Should().BeFalse();

        error.Should().Be("its checksum does not match");
    }

    [Fact]
    public void TryDecode_NotAStoreFile_ExplainsWhy()
    {
        StoredMessageCodec.TryDecode(1, Encoding.UTF8.GetBytes("this is not a message at all"), out _, out var error).Should().BeFalse();
        error.Should().Be("it does not start with the store's magic and version");

        StoredMessageCodec.TryDecode(1, [1, 2, 3], out _, out error).Should().BeFalse();
        error.Should().Be("it is 3 bytes long, shorter than any message");
    }
}
