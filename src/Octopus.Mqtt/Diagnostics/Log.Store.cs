using Microsoft.Extensions.Logging;

namespace Octopus.Mqtt;

/// <summary>The File store's log messages (event ids 1200-1299).</summary>
internal static partial class Log
{
    [LoggerMessage(1200, LogLevel.Warning, "The File store entry {Path} cannot be read ({Reason}); it was set aside as {Target} and its message will not be sent.")]
    public static partial void StoreEntrySetAside(ILogger logger, string path, string reason, string target);

    [LoggerMessage(1201, LogLevel.Warning, "The File store entry {Path} cannot be read ({Reason}) nor set aside; it is ignored.")]
    public static partial void StoreEntryNotSetAside(ILogger logger, Exception exception, string path, string reason);

    [LoggerMessage(1202, LogLevel.Warning, "Removing {Path} from the File store failed.")]
    public static partial void StoreDeleteFailed(ILogger logger, Exception exception, string path);

    [LoggerMessage(1203, LogLevel.Information, "Recovered {Count} unacknowledged message(s) of {ClientId} from the File store {Directory}; they are sent first.")]
    public static partial void StoreRecovered(ILogger logger, int count, string clientId, string directory);

    [LoggerMessage(1204, LogLevel.Warning, "Syncing the File store directory {Directory} to disk failed; a removal or a set-aside there may be undone by a power loss.")]
    public static partial void StoreDirectorySyncFailed(ILogger logger, Exception exception, string directory);
}
