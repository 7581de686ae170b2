using System.Globalization;
using System.Text;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Octopus.Mqtt.HealthChecks;

/// <summary>
/// Reports the MQTT devices of <see cref="IMqttDeviceLinks"/>: healthy when every device is connected (or there is
/// none), degraded while some are not connected, the registration's failure status when one has not been connected for
/// longer than <see cref="MqttHealthCheckOptions.UnhealthyAfter"/> or has a <see cref="MqttDeviceLinkStatus.Problem"/>
/// (its File store cannot write). The data holds each device's state by
/// <c>namespace/name</c>.
/// </summary>
internal sealed class MqttDevicesHealthCheck(IMqttDeviceLinks links, MqttHealthCheckOptions options, TimeProvider time) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        var now = time.GetUtcNow();
        var statuses = links.GetStatus().OrderBy(s => s.Device.Namespace, StringComparer.Ordinal).ThenBy(s => s.Device.Name, StringComparer.Ordinal).ToList();
        var data = new Dictionary<string, object>(StringComparer.Ordinal);
        var down = new StringBuilder();
        var late = new StringBuilder();
        var downCount = 0;
        var lateCount = 0;
        var problems = new StringBuilder();
        var problemCount = 0;
        foreach (var status in statuses)
        {
            var key = $"{status.Device.Namespace}/{status.Device.Name}";
            data[key] = status.State.ToString();
            if (status.Problem is { } problem)
            {
                // Connected or not, a device that cannot keep its messages is failing now.
                problemCount++;
                Append(problems, key + ": " + problem);
            }

            if (status.State == MqttConnectionState.Connected)
            {
                continue;
            }

            var duration = status.DisconnectedSince is { } since ? now - since : TimeSpan.Zero;
            var line = string.Create(CultureInfo.InvariantCulture, $"{key} {status.State} for {duration:c}");
            downCount++;
            Append(down, line);
            if (duration > options.UnhealthyAfter)
            {
                lateCount++;
                Append(late, line);
            }
        }

        HealthCheckResult result;
        if (problemCount > 0)
        {
            result = new HealthCheckResult(
                context.Registration.FailureStatus,
                string.Create(CultureInfo.InvariantCulture, $"{problemCount} of {statuses.Count} MQTT device(s) failing: {problems}."),
                data: data);
        }
        else if (lateCount > 0)
        {
            result = new HealthCheckResult(
                context.Registration.FailureStatus,
                string.Create(CultureInfo.InvariantCulture, $"{lateCount} of {statuses.Count} MQTT device(s) not connected for longer than {options.UnhealthyAfter:c}: {late}."),
                data: data);
        }
        else if (downCount > 0)
        {
            result = HealthCheckResult.Degraded(string.Create(CultureInfo.InvariantCulture, $"{downCount} of {statuses.Count} MQTT device(s) not connected: {down}."), data: data);
        }
        else
        {
            result = HealthCheckResult.Healthy(string.Create(CultureInfo.InvariantCulture, $"{statuses.Count} MQTT device(s) connected."), data);
        }

        return Task.FromResult(result);
    }

    private static void Append(StringBuilder text, string line)
    {
        if (text.Length > 0)
        {
            _ = text.Append(", ");
        }

        _ = text.Append(line);
    }
}
