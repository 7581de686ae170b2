using System.Globalization;
using Microsoft.Extensions.Logging;
using MQTTnet.Diagnostics.Logger;

namespace Octopus.Mqtt;

/// <summary>
/// Passes MQTTnet's own log messages on to an <see cref="ILogger"/> (category <c>Octopus.Mqtt.MQTTnet</c>), with the
/// client ID, one level lower than MQTTnet gives them: the client logs what matters to an adaptor at its true level
/// (e.g. event 1004 for a lost connection), MQTTnet's messages are the detail behind it. Verbose is Trace, Info is
/// Debug, Warning is Information and Error is Warning.
/// </summary>
internal sealed class MqttNetLogBridge(ILogger logger, string clientId) : IMqttNetLogger
{
    public bool IsEnabled => logger.IsEnabled(LogLevel.Trace) || logger.IsEnabled(LogLevel.Warning);

    /// <summary>Gets a value indicating whether MQTTnet's verbose messages (each packet sent and received) reach the logger.</summary>
    public bool IsVerboseEnabled => logger.IsEnabled(LogLevel.Trace);

    public static LogLevel GetLevel(MqttNetLogLevel level) => level switch
    {
        MqttNetLogLevel.Verbose => LogLevel.Trace,
        MqttNetLogLevel.Info => LogLevel.Debug,
        MqttNetLogLevel.Warning => LogLevel.Information,
        _ => LogLevel.Warning,
    };

    public void Publish(MqttNetLogLevel logLevel, string source, string message, object[] parameters, Exception exception)
    {
        var level = GetLevel(logLevel);
        if (!logger.IsEnabled(level))
        {
            return;
        }

        var text = message ?? string.Empty;
        if (parameters is { Length: > 0 })
        {
            try
            {
                text = string.Format(CultureInfo.InvariantCulture, text, parameters);
            }
            catch (FormatException)
            {
                // Keep MQTTnet's template as it is rather than lose the message.
            }
        }

        Log.MqttNetMessage(logger, level, exception, clientId, source ?? string.Empty, text);
    }
}
