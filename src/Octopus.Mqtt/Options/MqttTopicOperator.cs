namespace Octopus.Mqtt;

/// <summary>The <c>message.operator</c> section: values of the <c>:operator</c> keyword. The literal value "null" means empty.</summary>
public sealed class MqttTopicOperator
{
    /// <summary>Gets or sets the value of <c>:operator</c> when subscribing.</summary>
    /// <value>The default value is <see langword="null"/>.</value>
    public string? Read { get; set; }

    /// <summary>Gets or sets the value of <c>:operator</c> when publishing.</summary>
    /// <value>The default value is <see langword="null"/>.</value>
    public string? Write { get; set; }
}
