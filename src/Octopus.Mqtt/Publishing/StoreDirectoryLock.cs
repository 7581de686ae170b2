namespace Octopus.Mqtt;

/// <summary>
/// The File store directory's lock: <c>.lock</c> in it, held open exclusively. On Unix .NET takes an advisory
/// <c>flock</c> for that, which conflicts across processes as well as within one, and which the kernel releases when
/// the process dies; on Windows the open itself is exclusive.
/// </summary>
internal sealed class StoreDirectoryLock : IDisposable
{
    /// <summary>The lock file's name in the store's directory.</summary>
    public const string FileName = ".lock";

    private readonly FileStream _file;

    private StoreDirectoryLock(FileStream file) => _file = file;

    /// <summary>Takes the lock of a store's directory, creating the lock file (0600) if needed.</summary>
    /// <param name="directory">The store's directory.</param>
    /// <returns>The lock, held until disposed.</returns>
    /// <exception cref="MqttDeviceClientException">Another store, of this process or another, holds it.</exception>
    public static StoreDirectoryLock Take(string directory)
    {
        var path = Path.Combine(directory, FileName);
        var options = new FileStreamOptions { Mode = FileMode.OpenOrCreate, Access = FileAccess.ReadWrite, Share = FileShare.None };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        try
        {
            return new StoreDirectoryLock(new FileStream(path, options));
        }
        catch (IOException exception) when (IsHeldByAnother(exception))
        {
            throw new MqttDeviceClientException(
                $"client.store: the File store directory \"{directory}\" is in use by another client (its lock file \"{path}\" is held); two clients must not share one DeviceLink UID and client.store.directoryPrefix.",
                exception);
        }
    }

    /// <summary>Releases the lock; the lock file stays (removing it would let a third store lock a new file while a second still holds the old one).</summary>
    public void Dispose() => _file.Dispose();

    /// <summary>Whether opening the lock file failed because another handle holds it (and not for any other reason).</summary>
    private static bool IsHeldByAnother(IOException exception)
    {
        if (exception.GetType() != typeof(IOException))
        {
            return false;
        }

        if (OperatingSystem.IsWindows())
        {
            const int SharingViolation = unchecked((int)0x80070020);
            const int LockViolation = unchecked((int)0x80070021);
            return exception.HResult is SharingViolation or LockViolation;
        }

        // .NET reports flock's EWOULDBLOCK with the errno as the HResult: 11 on Linux, 35 on macOS and the BSDs.
        var wouldBlock = OperatingSystem.IsLinux() ? 11 : 35;
        return exception.HResult == wouldBlock;
    }
}
