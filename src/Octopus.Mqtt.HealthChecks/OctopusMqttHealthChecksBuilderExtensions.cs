using Microsoft.Extensions.Diagnostics.HealthChecks;
using Octopus.Mqtt;
using Octopus.Mqtt.HealthChecks;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Adds the health check of the MQTT devices (see <see cref="IMqttDeviceLinks"/>, registered by <c>AddOctopusMqtt()</c>).</summary>
public static class OctopusMqttHealthChecksBuilderExtensions
{
    /// <summary>
    /// Adds a check that is healthy while every MQTT device is connected, degraded while one is not, and reports
    /// <paramref name="failureStatus"/> when one has not been connected for longer than
    /// <see cref="MqttHealthCheckOptions.UnhealthyAfter"/> (measured with the registered <see cref="TimeProvider"/>).
    /// </summary>
    /// <param name="builder">The health checks builder.</param>
    /// <param name="name">The check's name.</param>
    /// <param name="configure">Sets the threshold; the defaults when <see langword="null"/>.</param>
    /// <param name="failureStatus">The status past the threshold; <see cref="HealthStatus.Unhealthy"/> when <see langword="null"/>.</param>
    /// <param name="tags">Tags to filter checks by.</param>
    /// <returns>The builder.</returns>
    public static IHealthChecksBuilder AddOctopusMqtt(
        this IHealthChecksBuilder builder,
        string name = "octopus-mqtt",
        Action<MqttHealthCheckOptions>? configure = null,
        HealthStatus? failureStatus = null,
        IEnumerable<string>? tags = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrEmpty(name);
        var options = new MqttHealthCheckOptions();
        configure?.Invoke(options);
        if (options.UnhealthyAfter < TimeSpan.Zero)
        {
            throw new ArgumentException($"UnhealthyAfter: {options.UnhealthyAfter:c} is negative; allowed: zero or more.", nameof(configure));
        }

        return builder.Add(new HealthCheckRegistration(
            name,
            sp => new MqttDevicesHealthCheck(
                sp.GetRequiredService<IMqttDeviceLinks>(),
                options,
                sp.GetService<TimeProvider>() ?? TimeProvider.System),
            failureStatus,
            tags));
    }
}
