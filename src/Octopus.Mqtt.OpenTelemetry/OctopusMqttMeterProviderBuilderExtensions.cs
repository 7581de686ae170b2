using Octopus.Mqtt;

namespace OpenTelemetry.Metrics;

/// <summary>Registers Octopus.Mqtt's metrics with an OpenTelemetry <see cref="MeterProviderBuilder"/>.</summary>
public static class OctopusMqttMeterProviderBuilderExtensions
{
    /// <summary>
    /// Collects the metrics of the Octopus.Mqtt device clients: the meter <see cref="OctopusMqttTelemetry.MeterName"/>,
    /// with <c>messaging.client.sent.messages</c> and <c>messaging.client.operation.duration</c> of the OpenTelemetry
    /// messaging semantic conventions (see <see cref="OctopusMqttTelemetry"/> for every instrument).
    /// </summary>
    /// <param name="builder">The meter provider builder.</param>
    /// <returns>The same builder, for chaining.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> is <see langword="null"/>.</exception>
    public static MeterProviderBuilder AddOctopusMqttInstrumentation(this MeterProviderBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.AddMeter(OctopusMqttTelemetry.MeterName);
    }
}
