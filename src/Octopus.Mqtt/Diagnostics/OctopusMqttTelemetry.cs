namespace Octopus.Mqtt;

/// <summary>
/// The names under which the device clients report metrics and traces, to enable them in an OpenTelemetry setup
/// (<c>.AddMeter(OctopusMqttTelemetry.MeterName)</c>, <c>.AddSource(OctopusMqttTelemetry.ActivitySourceName)</c>, or
/// <c>AddOctopusMqttInstrumentation()</c> of the Octopus.Mqtt.OpenTelemetry package).
/// </summary>
/// <remarks>
/// <para>
/// Metrics, named after the OpenTelemetry messaging semantic conventions where they have a name, each tagged
/// <c>messaging.system</c> = <c>mqtt</c> and <c>messaging.destination.name</c> = the topic template (never the rendered
/// topic, which would make one time series per device):
/// </para>
/// <list type="bullet">
/// <item><c>messaging.client.sent.messages</c> (counter, with <c>messaging.operation.name</c> = <c>publish</c> and
/// <c>messaging.operation.type</c> = <c>send</c>): send attempts; acknowledged by the broker (QoS 0: written) without
/// <c>error.type</c>; not acknowledged with <c>error.type</c> <c>timeout</c> or <c>connection_lost</c> (the message is sent
/// again after reconnecting), or refused with <c>refused_by_broker</c> (the message is dropped).</item>
/// <item><c>messaging.client.operation.duration</c> (histogram, seconds, same operation tags): from the publish call to
/// its outcome, queueing and resends included; with <c>error.type</c> when the message was dropped.</item>
/// <item><c>octopus.mqtt.client.dropped.messages</c> (counter, <c>error.type</c> <c>queue_overflow</c>, <c>refused_by_broker</c>, <c>invalid</c>, <c>disposed</c> or <c>store_failed</c>): messages given up.</item>
/// <item><c>octopus.mqtt.client.queued.messages</c> (observable up-down counter): messages waiting to be sent.</item>
/// <item><c>octopus.mqtt.client.connections</c> (observable up-down counter): clients connected now.</item>
/// <item><c>octopus.mqtt.client.reconnects</c> (counter): reconnection attempts.</item>
/// <item><c>octopus.mqtt.client.sessions.lost</c> (counter): connections on which the broker had no session though <c>cleanSession</c> is false.</item>
/// </list>
/// <para>
/// Traces: one <see cref="System.Diagnostics.ActivityKind.Producer"/> span per publish, named <c>publish &lt;template&gt;</c>,
/// from the publish call to the message's outcome, with <c>messaging.system</c>, <c>messaging.operation.name</c>,
/// <c>messaging.operation.type</c>, <c>messaging.destination.template</c>, <c>messaging.client.id</c>,
/// <c>messaging.message.body.size</c>, <c>octopus.mqtt.publish.status</c> and, when dropped, <c>error.type</c>.
/// Nothing is allocated while nobody listens.
/// </para>
/// </remarks>
public static class OctopusMqttTelemetry
{
    /// <summary>The name of the <see cref="System.Diagnostics.Metrics.Meter"/>.</summary>
    public const string MeterName = "Octopus.Mqtt";

    /// <summary>The name of the <see cref="System.Diagnostics.ActivitySource"/>.</summary>
    public const string ActivitySourceName = "Octopus.Mqtt";
}
