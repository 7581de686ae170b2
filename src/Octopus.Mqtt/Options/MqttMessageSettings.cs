using System.Globalization;
using System.Text.Json.Serialization;

namespace Octopus.Mqtt;

/// <summary>The <c>message</c> section of the MQTT options: topic template, QoS, retain flag and will.</summary>
public sealed class MqttMessageSettings
{
    /// <summary>Gets or sets the topic template, e.g. <c>cattle.io/octopus/:namespace/:name</c>.</summary>
    /// <value>The default value is an empty string; the field is required.</value>
    public string Topic { get; set; } = string.Empty;

    /// <summary>Gets or sets the will message, published by the broker when the connection is lost abruptly.</summary>
    /// <value>The default value is <see langword="null"/>: no will.</value>
    public MqttWillSettings? Will { get; set; }

    /// <summary>Gets or sets the default QoS of every publish and subscribe.</summary>
    /// <value>The default value is <see cref="MqttQos.AtLeastOnce"/>.</value>
    public MqttQos Qos { get; set; } = MqttQos.AtLeastOnce;

    /// <summary>Gets or sets the default retain flag of every publish.</summary>
    /// <value>The default value is <see langword="true"/>.</value>
    public bool Retained { get; set; } = true;

    /// <summary>Gets or sets the value of the <c>:path</c> keyword.</summary>
    /// <value>The default value is an empty string.</value>
    public string Path { get; set; } = string.Empty;

    /// <summary>Gets or sets the values of the <c>:operator</c> keyword when subscribing (read) and publishing (write).</summary>
    /// <value>The default value is <see langword="null"/>: <c>:operator</c> renders empty.</value>
    public MqttTopicOperator? Operator { get; set; }

    /// <summary>
    /// Gets or sets how long a published message stays worth delivering (an addition of this library, not an Octopus
    /// option): a message still unsent when it expires, in the queue or in the File store, is dropped as
    /// <see cref="MqttDropReason.Expired"/>; on MQTT 5 the interval that remains is sent as the message's expiry.
    /// </summary>
    /// <value>The default value is zero: messages do not expire (unless <see cref="MqttDeviceClientOptions.MessageExpiryInterval"/> is set).</value>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public GoDuration Expiry { get; set; }

    /// <summary>
    /// Gets or sets whether a retained publish replaces a retained message on the same topic that waits unsent in the
    /// queue (an addition of this library, not an Octopus option): after an outage only the newest status per topic is
    /// sent, and the replaced message completes as dropped with <see cref="MqttDropReason.Superseded"/>.
    /// </summary>
    /// <value>The default value is <see langword="false"/>.</value>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public bool CoalesceRetained { get; set; }

    /// <summary>Describes the settings for logs and messages; the will's content is given by its length only, and this library's additions only when set.</summary>
    /// <returns>The description.</returns>
    public override string ToString() =>
        $"topic={Topic}, qos={((int)Qos).ToString(CultureInfo.InvariantCulture)}, retained={(Retained ? "true" : "false")}, path={Path}, "
        + $"operator={(Operator is null ? "(none)" : $"read:{Operator.Read},write:{Operator.Write}")}, "
        + $"will={(Will is null ? "(none)" : $"{{{Will}}}")}"
        + (Expiry == GoDuration.Zero ? string.Empty : $", expiry={Expiry}")
        + (CoalesceRetained ? ", coalesceRetained=true" : string.Empty);
}
