using Microsoft.Extensions.Logging;

namespace Octopus.Mqtt;

/// <summary>MQTTnet's own messages passed on (event id 1450).</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 1450, Message = "MQTTnet ({ClientId}, {Source}): {Message}")]
    public static partial void MqttNetMessage(ILogger logger, LogLevel level, Exception? exception, string clientId, string source, string message);
}
