using Microsoft.Extensions.Logging;

namespace Octopus.Mqtt;

/// <summary>The host integration's log messages (event ids 1430-1449).</summary>
internal static partial class Log
{
    [LoggerMessage(1430, LogLevel.Information, "Starting {Count} MQTT device(s) with the host.")]
    public static partial void StartingDevices(ILogger logger, int count);

    [LoggerMessage(1431, LogLevel.Information, "Stopping {Count} MQTT device(s) with the host.")]
    public static partial void StoppingDevices(ILogger logger, int count);

    [LoggerMessage(1432, LogLevel.Warning, "Stopping the MQTT devices did not finish within the host's shutdown timeout; the rest are left to finish on their own.")]
    public static partial void StopTimedOut(ILogger logger);

    [LoggerMessage(1433, LogLevel.Warning, "MQTT options {OptionsName}: {Warning}")]
    public static partial void ConfiguredOptionsWarning(ILogger logger, string optionsName, string warning);
}
