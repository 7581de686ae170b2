using System.Text;

namespace Octopus.Mqtt.Tests.Publishing;

public sealed class StoredMessageCodecTests
{
    /// <summary>"a/b", payload 1 2 3, QoS 2, retained, as a client before packet identifiers were kept wrote it (format version 1).</summary>
    private static readonly byte[] Version1Message =
    [
        0x4F, 0x4D, 0x51, 0x53, 0x01, 0x02, 0x01, 0x00, 0x03, 0x00, 0x00, 0x00, 0x03, 0x00, 0x00, 0x00,
        0x61, 0x2F, 0x62, 0x01, 0x02, 0x03, 0x09, 0xC5, 0x3D, 0x07, 0xCF, 0x4F, 0x77, 0xCC,
    ];

    /// <summary>"a/b", payload 1 2 3, QoS 2, retained, published with packet identifier 513, as a client before properties were kept wrote it (format version 2).</summary>
    private static readonly byte[] Version2Message =
    [
        0x4F, 0x4D, 0x51, 0x53, 0x02, 0x02, 0x01, 0x01, 0x03, 0x00, 0x00, 0x00, 0x03, 0x00, 0x00, 0x00,
        0x01, 0x02, 0x00, 0x00, 0x61, 0x2F, 0x62, 0x01, 0x02, 0x03, 0x5A, 0x37, 0x0E, 0x14, 0x20, 0x9F, 0x85, 0xB8,
    ];

    private static byte[] Encode(string topic, byte[] payload, MqttQos qos = MqttQos.ExactlyOnce, bool retain = true, ushort packetId = 0, OutboundPhase phase = OutboundPhase.Unsent, MessageProperties? properties = null)
    {
        var data = new byte[StoredMessageCodec.GetLength(topic, payload.Length, properties)];
        StoredMessageCodec.Encode(data, topic, payload, qos, retain, packetId, phase, properties);
        return data;
    }

    [Fact]
    public void TryDecode_EveryProperty_IsGivenBack()
    {
        var expiresAt = new DateTimeOffset(2026, 12, 3, 18, 0, 0, 123, TimeSpan.Zero);
        var properties = new MessageProperties
        {
            ContentType = "application/json",
            PayloadFormat = MqttPayloadFormat.Utf8,
            ResponseTopic = "replies/fan",
            CorrelationData = [9, 8, 7],
            UserProperties = [new("site", "nord"), new("site", "süd"), new("traceparent", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01")],
            ExpiresAt = expiresAt,
        };
        var data = Encode("a/b", [1, 2, 3], MqttQos.AtLeastOnce, packetId: 5, phase: OutboundPhase.Published, properties: properties);

        StoredMessageCodec.TryDecode(3, data, out var message, out var error).Should().BeTrue(error);

        data[4].Should().Be(3, "the format version that carries properties");
        message!.Payload.Should().Equal(1, 2, 3);
        message.PacketId.Should().Be(5);
        message.Properties.Should().BeEquivalentTo(properties);
    }

    [Fact]
    public void TryDecode_NoProperties_GivesNone()
    {
        StoredMessageCodec.TryDecode(3, Encode("a/b", [1]), out var message, out var error).Should().BeTrue(error);

        message!.Properties.Should().BeNull();
    }

    [Fact]
    public void TryDecode_FlippedPropertyBit_FailsTheChecksum()
    {
        var data = Encode("a/b", [1], properties: new MessageProperties { ContentType = "text/plain" });
        data[StoredMessageCodec.HeaderLength + 3 + 7] ^= 0x01;

        StoredMessageCodec.TryDecode(1, data, out _, out var error).Should().BeFalse();

        error.Should().Be("its checksum does not match");
    }

    [Fact]
    public void TryDecode_Version2Bytes_ReadWithPacketIdAndNoProperties()
    {
        StoredMessageCodec.TryDecode(5, Version2Message, out var message, out var error).Should().BeTrue(error);

        message!.Topic.Should().Be("a/b");
        message.Payload.Should().Equal(1, 2, 3);
        message.Qos.Should().Be(MqttQos.ExactlyOnce);
        message.Retain.Should().BeTrue();
        message.PacketId.Should().Be(513);
        message.Phase.Should().Be(OutboundPhase.Published);
        message.Properties.Should().BeNull();
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

    [Theory]
    [InlineData(MqttQos.AtLeastOnce, 0, 0)] // unsent
    [InlineData(MqttQos.AtLeastOnce, 1, 1)] // published
    [InlineData(MqttQos.ExactlyOnce, 513, 1)]
    [InlineData(MqttQos.ExactlyOnce, 65535, 2)] // released
    public void TryDecode_PacketIdAndPhase_AreGivenBack(MqttQos qos, int packetId, int phaseNumber)
    {
        var phase = (OutboundPhase)phaseNumber;
        var data = Encode("a/b", [1, 2, 3], qos, retain: false, (ushort)packetId, phase);

        StoredMessageCodec.TryDecode(9, data, out var message, out var error).Should().BeTrue(error);

        message!.PacketId.Should().Be((ushort)packetId);
        message.Phase.Should().Be(phase);
        message.Qos.Should().Be(qos);
        message.Topic.Should().Be("a/b");
        message.Payload.Should().Equal(1, 2, 3);
        data[4].Should().Be(3, "the format version written");
    }

    [Fact]
    public void TryDecode_Version1Bytes_ReadWithNoPacketIdAndUnsent()
    {
        StoredMessageCodec.TryDecode(5, Version1Message, out var message, out var error).Should().BeTrue(error);

        message!.Sequence.Should().Be(5);
        message.Topic.Should().Be("a/b");
        message.Payload.Should().Equal(1, 2, 3);
        message.Qos.Should().Be(MqttQos.ExactlyOnce);
        message.Retain.Should().BeTrue();
        message.PacketId.Should().Be(0);
        message.Phase.Should().Be(OutboundPhase.Unsent);
    }

    [Fact]
    public void TryDecode_Version1WithAFlippedBit_FailsTheChecksum()
    {
        var data = Version1Message.ToArray();
        data[^9] ^= 0x01;

        StoredMessageCodec.TryDecode(1, data, out _, out var error).Should().BeFalse();

        error.Should().Be("its checksum does not match");
    }

    [Fact]
    public void TryDecode_FlippedPacketIdBit_FailsTheChecksum()
    {
        var data = Encode("a/b", [1, 2, 3], MqttQos.AtLeastOnce, packetId: 7, phase: OutboundPhase.Published);
        data[16] ^= 0x01;

        StoredMessageCodec.TryDecode(1, data, out _, out var error).Should().BeFalse();

        error.Should().Be("its checksum does not match");
    }

    [Fact]
    public void TryDecode_ChangedPhase_FailsTheChecksum()
    {
        var data = Encode("a/b", [1, 2, 3], MqttQos.ExactlyOnce, packetId: 7, phase: OutboundPhase.Published);
        data[7] = (byte)OutboundPhase.Released;

        StoredMessageCodec.TryDecode(1, data, out _, out var error).Should().BeFalse();

        error.Should().Be("its checksum does not match");
    }

    [Theory]
    [InlineData(7, 3, MqttQos.ExactlyOnce)] // an unknown phase
    [InlineData(0, 1, MqttQos.AtLeastOnce)] // published without a packet identifier
    [InlineData(7, 2, MqttQos.AtLeastOnce)] // released, but QoS 1
    public void TryDecode_ImpossiblePhase_IsInconsistent(int packetId, int phase, MqttQos qos)
    {
        var data = Encode("a/b", [1, 2, 3], qos, packetId: 9, phase: OutboundPhase.Published);
        data[7] = (byte)phase;
        data[16] = (byte)packetId;

        StoredMessageCodec.TryDecode(1, data, out _, out var error).Should().BeFalse();

        error.Should().Be("its header is inconsistent");
    }

    [Fact]
    public void TryDecode_ReservedBytesSet_IsInconsistent()
    {
        var data = Encode("a/b", [1, 2, 3]);
        data[19] = 1;

        StoredMessageCodec.TryDecode(1, data, out _, out var error).Should().BeFalse();

        error.Should().Be("its header is inconsistent");
    }

    [Fact]
    public void TryDecode_Version3ShorterThanItsHeader_ExplainsWhy()
    {
        var data = Encode("a/b", [1, 2, 3]);

        StoredMessageCodec.TryDecode(1, data.AsSpan(0, 25), out _, out var error).Should().BeFalse();

        error.Should().Be("it is 25 bytes long, shorter than any message of version 3");
    }

    [Fact]
    public void TryDecode_UnknownVersion_ExplainsWhy()
    {
        var data = Encode("a/b", [1, 2, 3]);
        data[4] = 4;

        StoredMessageCodec.TryDecode(1, data, out _, out var error).Should().BeFalse();

        error.Should().Be("it does not start with the store's magic and version");
    }

    [Theory]
    [InlineData(MqttQos.AtLeastOnce, 0, 1, "A message of QoS 1 in phase Published with packet identifier 0 cannot be stored: a sent message needs a packet identifier, and only QoS 2 is released. (Parameter 'phase')")]
    [InlineData(MqttQos.ExactlyOnce, 0, 2, "A message of QoS 2 in phase Released with packet identifier 0 cannot be stored: a sent message needs a packet identifier, and only QoS 2 is released. (Parameter 'phase')")]
    [InlineData(MqttQos.AtLeastOnce, 4, 2, "A message of QoS 1 in phase Released with packet identifier 4 cannot be stored: a sent message needs a packet identifier, and only QoS 2 is released. (Parameter 'phase')")]
    public void Encode_ImpossiblePhase_IsRefused(MqttQos qos, int packetId, int phase, string message) =>
        FluentActions.Invoking(() => Encode("a/b", [1], qos, packetId: (ushort)packetId, phase: (OutboundPhase)phase))
            .Should().Throw<ArgumentException>().WithMessage(message);
}
