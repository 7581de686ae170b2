namespace Octopus.Mqtt.HealthChecks;

/// <summary>When the MQTT devices' health check reports a failure.</summary>
public sealed class MqttHealthCheckOptions
{
    /// <summary>
    /// Gets or sets how long a device may stay without a connection (connecting, reconnecting or disconnected) before
    /// the check reports a failure; until then it reports degraded.
    /// </summary>
    /// <value>The default value is 1 minute.</value>
    public TimeSpan UnhealthyAfter { get; set; } = TimeSpan.FromMinutes(1);
}
