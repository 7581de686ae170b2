using Microsoft.Extensions.Logging;

namespace Octopus.Mqtt;

/// <summary>The device client factory's log messages (event ids 1300-1399).</summary>
internal static partial class Log
{
    [LoggerMessage(1300, LogLevel.Warning, "client.tlsConfig.insecureSkipVerify is true: {ClientId} accepts any certificate from the broker, so the connection can be intercepted.")]
    public static partial void InsecureSkipVerify(ILogger logger, string clientId);

    [LoggerMessage(1301, LogLevel.Warning, "MQTT options of {Device}: {Warning}")]
    public static partial void OptionsWarning(ILogger logger, DeviceIdentity device, string warning);

    [LoggerMessage(1302, LogLevel.Debug, "Resolving the credentials of {ClientId} for a connection attempt.")]
    public static partial void ResolvingCredentials(ILogger logger, string clientId);
}
