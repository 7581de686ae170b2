using System.Globalization;

namespace Octopus.Mqtt;

/// <summary>The <c>message.will</c> section: the last-will message the broker publishes when the client is lost abruptly.</summary>
public sealed class MqttWillSettings
{
    /// <summary>Gets or sets the will topic template.</summary>
    /// <value>The default value is <see langword="null"/>: the message topic template followed by <c>/$will</c>.</value>
    public string? Topic { get; set; }

    /// <summary>Gets or sets the will payload. In JSON and configuration it is base64 (standard or URL-safe, padded or not).</summary>
    /// <value>The default value is an empty array.</value>
    public byte[] Content { get; set; } = [];

    /// <summary>Gets or sets the QoS of the will (an addition to the Octopus contract).</summary>
    /// <value>The default value is <see cref="MqttQos.AtLeastOnce"/>, as Octopus hard-codes.</value>
    public MqttQos Qos { get; set; } = MqttQos.AtLeastOnce;

    /// <summary>Gets or sets the retain flag of the will (an addition to the Octopus contract).</summary>
    /// <value>The default value is <see langword="true"/>, as Octopus hard-codes.</value>
    public bool Retained { get; set; } = true;

    /// <summary>Describes the will for logs and messages; the content is given by its length only.</summary>
    /// <returns>The description.</returns>
    public override string ToString() =>
        $"topic={(string.IsNullOrEmpty(Topic) ? "(message topic)/$will" : Topic)}, content={(Content?.Length ?? 0).ToString(CultureInfo.InvariantCulture)} bytes, "
        + $"qos={((int)Qos).ToString(CultureInfo.InvariantCulture)}, retained={(Retained ? "true" : "false")}";
}
