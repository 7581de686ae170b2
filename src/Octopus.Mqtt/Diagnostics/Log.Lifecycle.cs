using Microsoft.Extensions.Logging;

namespace Octopus.Mqtt;

/// <summary>The device links' log messages (event ids 1400-1429).</summary>
internal static partial class Log
{
    [LoggerMessage(1400, LogLevel.Information, "Created the MQTT client {ClientId} of {Namespace}/{Name}.")]
    public static partial void DeviceClientCreated(ILogger logger, string @namespace, string name, string clientId);

    [LoggerMessage(1401, LogLevel.Debug, "The MQTT options of {Namespace}/{Name} and the references they use did not change; the connection is kept.")]
    public static partial void DeviceUnchanged(ILogger logger, string @namespace, string name);

    [LoggerMessage(1402, LogLevel.Information, "The MQTT {Changed} of {Namespace}/{Name} changed; replacing the connection ({Count} unsent message(s) carried over).")]
    public static partial void DeviceReplaced(ILogger logger, string @namespace, string name, string changed, int count);

    [LoggerMessage(1403, LogLevel.Information, "Removed the MQTT client of {Namespace}/{Name}.")]
    public static partial void DeviceRemoved(ILogger logger, string @namespace, string name);

    [LoggerMessage(1404, LogLevel.Warning, "{Count} unsent message(s) of {Namespace}/{Name} could not be carried over to its new MQTT client and are dropped.")]
    public static partial void MessagesNotCarried(ILogger logger, int count, string @namespace, string name);

    [LoggerMessage(1405, LogLevel.Information, "The MQTT client of {Namespace}/{Name} is disconnected; connecting it again.")]
    public static partial void DeviceReconnecting(ILogger logger, string @namespace, string name);
}
