namespace Octopus.Mqtt;

/// <summary>Where a QoS 1 or 2 message stands in its handshake with the broker; kept by the File store.</summary>
internal enum OutboundPhase : byte
{
    /// <summary>Not sent yet on this session: no packet identifier is bound to it.</summary>
    Unsent = 0,

    /// <summary>PUBLISH sent with <see cref="OutboundMessage.PacketId"/>: PUBACK (QoS 1) or PUBREC (QoS 2) awaited.</summary>
    Published = 1,

    /// <summary>QoS 2 only: PUBREC received and PUBREL sent; PUBCOMP awaited. The PUBLISH is never sent again.</summary>
    Released = 2,
}
