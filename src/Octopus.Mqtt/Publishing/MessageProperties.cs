using MQTTnet.Packets;
using MQTTnet.Protocol;

namespace Octopus.Mqtt;

/// <summary>
/// The MQTT 5 properties of one outbound message and its expiry deadline; kept with the message in the queue, in the
/// File store and across a hand-over. Never changed once made (instances are shared by messages): a variant is a copy
/// made with <c>with</c>.
/// </summary>
internal sealed record MessageProperties
{
    private readonly UserProperty[]? _userProperties;

    // The user properties as MQTTnet's packet carries them, made once (not at every send or resend of the PUBLISH).
    private readonly List<MqttUserProperty>? _packetUserProperties;

    /// <summary>Gets the content type, or <see langword="null"/>.</summary>
    public string? ContentType { get; init; }

    /// <summary>Gets the payload format indicator.</summary>
    public MqttPayloadFormat PayloadFormat { get; init; }

    /// <summary>Gets the response topic, or <see langword="null"/>.</summary>
    public string? ResponseTopic { get; init; }

    /// <summary>Gets the correlation data, or <see langword="null"/>.</summary>
    public byte[]? CorrelationData { get; init; }

    /// <summary>Gets the user properties, or <see langword="null"/>.</summary>
    public UserProperty[]? UserProperties
    {
        get => _userProperties;
        init
        {
            _userProperties = value;
            _packetUserProperties = value is { Length: > 0 }
                ? [.. value.Select(property => new MqttUserProperty(property.Name, System.Text.Encoding.UTF8.GetBytes(property.Value)))]
                : null;
        }
    }

    /// <summary>Gets when the message expires (wall clock, by the client's <see cref="TimeProvider"/>), or <see langword="null"/>.</summary>
    public DateTimeOffset? ExpiresAt { get; init; }

    /// <summary>Gets the clock <see cref="ExpiresAt"/> is counted on; set whenever it is.</summary>
    public TimeProvider? Clock { get; init; }

    /// <summary>Gets a value indicating whether the message has expired.</summary>
    /// <param name="now">The current time.</param>
    /// <returns><see langword="true"/> when its deadline has passed.</returns>
    public bool IsExpired(DateTimeOffset now) => ExpiresAt is { } deadline && now >= deadline;

    /// <summary>Gets the expiry interval that remains, in whole seconds rounded up (at least 1), or 0 without expiry.</summary>
    /// <param name="now">The current time.</param>
    /// <returns>The interval for the PUBLISH's Message Expiry Interval.</returns>
    public uint GetRemainingSeconds(DateTimeOffset now)
    {
        if (ExpiresAt is not { } deadline)
        {
            return 0;
        }

        var remaining = Math.Ceiling((deadline - now).TotalSeconds);
        return remaining < 1 ? 1 : remaining > uint.MaxValue ? uint.MaxValue : (uint)remaining;
    }

    /// <summary>Writes the properties into a PUBLISH (an MQTT 3.1.1 codec ignores them).</summary>
    /// <param name="packet">The packet.</param>
    public void Apply(MqttPublishPacket packet)
    {
        packet.ContentType = ContentType;
        packet.PayloadFormatIndicator = (MqttPayloadFormatIndicator)PayloadFormat;
        packet.ResponseTopic = ResponseTopic;
        packet.CorrelationData = CorrelationData;
        if (ExpiresAt is not null)
        {
            packet.MessageExpiryInterval = GetRemainingSeconds((Clock ?? TimeProvider.System).GetUtcNow());
        }

        packet.UserProperties = _packetUserProperties;
    }
}
