using MQTTnet.Exceptions;
using MQTTnet.Protocol;

namespace Octopus.Mqtt;

/// <summary>
/// Turns a publish call's <see cref="MqttPublishOptions"/> and the client's defaults into a message's
/// <see cref="MessageProperties"/>: refuses an MQTT 5 property on an MQTT 3.1 or 3.1.1 client, applies the default
/// expiry and content types, and starts the expiry's countdown.
/// </summary>
internal sealed class MessagePropertiesPolicy
{
    private readonly int _protocolVersion;
    private readonly TimeSpan? _defaultExpiry;
    private readonly string? _jsonContentType;
    private readonly string? _defaultContentType;
    private readonly TimeProvider _time;
    private readonly MessageProperties? _jsonDefault;

    /// <summary>Initializes a new instance of the <see cref="MessagePropertiesPolicy"/> class.</summary>
    /// <param name="protocolVersion">The <c>client.protocolVersion</c> option (5 for MQTT 5).</param>
    /// <param name="defaultExpiry">The expiry of a publish that gives none, or <see langword="null"/>.</param>
    /// <param name="jsonContentType">The content type of a value published as JSON (MQTT 5), or <see langword="null"/>.</param>
    /// <param name="defaultContentType">The content type of bytes published as they are (MQTT 5), or <see langword="null"/>.</param>
    /// <param name="time">The clock expiry is counted on.</param>
    public MessagePropertiesPolicy(int protocolVersion, TimeSpan? defaultExpiry, string? jsonContentType, string? defaultContentType, TimeProvider time)
    {
        _protocolVersion = protocolVersion;
        _defaultExpiry = defaultExpiry is { Ticks: > 0 } expiry ? expiry : null;
        _jsonContentType = string.IsNullOrEmpty(jsonContentType) ? null : jsonContentType;
        _defaultContentType = string.IsNullOrEmpty(defaultContentType) ? null : defaultContentType;
        _time = time;
        _jsonDefault = _jsonContentType is null ? null : new MessageProperties { ContentType = _jsonContentType, PayloadFormat = MqttPayloadFormat.Utf8 };
    }

    /// <summary>Gets a value indicating whether the client speaks MQTT 5.</summary>
    public bool IsMqtt5 => _protocolVersion == 5;

    /// <summary>Gets the properties of one publish.</summary>
    /// <param name="options">The call's options, or <see langword="null"/>.</param>
    /// <param name="json">Whether the payload is a value serialised as JSON (not bytes sent as they are).</param>
    /// <returns>The properties, or <see langword="null"/> when the message has none.</returns>
    /// <exception cref="ArgumentException">A property cannot be sent with this protocol version, or is not valid.</exception>
    public MessageProperties? Create(MqttPublishOptions? options, bool json)
    {
        var expiry = options?.MessageExpiryInterval ?? _defaultExpiry;
        if (expiry is { } interval && (interval <= TimeSpan.Zero || interval.TotalSeconds > uint.MaxValue))
        {
            throw new ArgumentException($"MqttPublishOptions.MessageExpiryInterval {interval} is not between 1 tick and {uint.MaxValue} seconds.", nameof(options));
        }

        if (!IsMqtt5)
        {
            RefuseMqtt5Properties(options);
            return expiry is null ? null : new MessageProperties { ExpiresAt = _time.GetUtcNow() + expiry.Value, Clock = _time };
        }

        if (options is null && expiry is null && json)
        {
            // The common case: one shared, never changed instance, no allocation per publish.
            return _jsonDefault;
        }

        var contentType = options?.ContentType ?? (json ? _jsonContentType : _defaultContentType);
        var format = options?.PayloadFormat ?? (json && contentType is not null && options?.ContentType is null ? MqttPayloadFormat.Utf8 : MqttPayloadFormat.Unspecified);
        var responseTopic = options?.ResponseTopic;
        if (responseTopic is not null)
        {
            ValidateResponseTopic(responseTopic);
        }

        var correlation = options is { CorrelationData.IsEmpty: false } ? options.CorrelationData.ToArray() : null;
        var userProperties = CopyUserProperties(options?.UserProperties);
        if (contentType is null && format == MqttPayloadFormat.Unspecified && responseTopic is null && correlation is null && userProperties is null && expiry is null)
        {
            return null;
        }

        return new MessageProperties
        {
            ContentType = contentType,
            PayloadFormat = format,
            ResponseTopic = responseTopic,
            CorrelationData = correlation,
            UserProperties = userProperties,
            ExpiresAt = expiry is null ? null : _time.GetUtcNow() + expiry.Value,
            Clock = expiry is null ? null : _time,
        };
    }

    private void RefuseMqtt5Properties(MqttPublishOptions? options)
    {
        if (options is null)
        {
            return;
        }

        var name = options.UserProperties is { Count: > 0 } ? nameof(MqttPublishOptions.UserProperties)
            : options.ContentType is not null ? nameof(MqttPublishOptions.ContentType)
            : options.PayloadFormat is not null ? nameof(MqttPublishOptions.PayloadFormat)
            : options.ResponseTopic is not null ? nameof(MqttPublishOptions.ResponseTopic)
            : !options.CorrelationData.IsEmpty ? nameof(MqttPublishOptions.CorrelationData)
            : null;
        if (name is not null)
        {
            var version = _protocolVersion == 3 ? "3.1" : "3.1.1";
            throw new ArgumentException(
                $"MqttPublishOptions.{name} is an MQTT 5 property and cannot be sent over MQTT {version} (client.protocolVersion {_protocolVersion}); set client.protocolVersion to 5, or leave it unset.",
                nameof(options));
        }
    }

    private static void ValidateResponseTopic(string topic)
    {
        try
        {
            MqttTopicValidator.ThrowIfInvalid(topic);
        }
        catch (MqttProtocolViolationException exception)
        {
            throw new ArgumentException($"MqttPublishOptions.ResponseTopic \"{topic}\" is not a valid MQTT topic: {exception.Message}", exception);
        }
    }

    private static UserProperty[]? CopyUserProperties(IReadOnlyList<UserProperty>? properties)
    {
        if (properties is not { Count: > 0 })
        {
            return null;
        }

        var copy = new UserProperty[properties.Count];
        for (var i = 0; i < copy.Length; i++)
        {
            var property = properties[i];
            if (property.Name is null || property.Value is null)
            {
                throw new ArgumentException($"MqttPublishOptions.UserProperties[{i}] has a null name or value.");
            }

            copy[i] = property;
        }

        return copy;
    }
}
