using Octopus.Mqtt;

namespace OpenTelemetry.Trace;

/// <summary>Registers Octopus.Mqtt's traces with an OpenTelemetry <see cref="TracerProviderBuilder"/>.</summary>
public static class OctopusMqttTracerProviderBuilderExtensions
{
    /// <summary>
    /// Collects the spans of the Octopus.Mqtt device clients: the activity source
    /// <see cref="OctopusMqttTelemetry.ActivitySourceName"/>, one producer span per publish, from the publish call to its
    /// outcome.
    /// </summary>
    /// <param name="builder">The tracer provider builder.</param>
    /// <returns>The same builder, for chaining.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> is <see langword="null"/>.</exception>
    public static TracerProviderBuilder AddOctopusMqttInstrumentation(this TracerProviderBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.AddSource(OctopusMqttTelemetry.ActivitySourceName);
    }
}
