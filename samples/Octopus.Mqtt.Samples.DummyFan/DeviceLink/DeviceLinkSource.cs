namespace Octopus.Mqtt.Samples.DummyFan;

/// <summary>
/// The fan's DeviceLink file, read afresh on each <see cref="Load"/>, and watched for edits: in the sample, editing
/// the file plays the part of Kubernetes updating the DeviceLink.
/// </summary>
/// <param name="file">The DeviceLink file.</param>
/// <param name="server">Gives the broker address that replaces <c>client.server</c>, or <see langword="null"/> to keep the file's.</param>
internal sealed class DeviceLinkSource(string file, Func<string?> server)
{
    /// <summary>Gets the DeviceLink file.</summary>
    public string File { get; } = Path.GetFullPath(file);

    /// <summary>Reads the DeviceLink as it is now.</summary>
    /// <returns>The DeviceLink.</returns>
    /// <exception cref="DeviceLinkException">The file cannot be read, or the DeviceLink has problems.</exception>
    public FanDeviceLink Load() => FanDeviceLinkReader.Read(File, server());

    /// <summary>Calls <paramref name="changed"/> whenever the file is written, replaced or renamed into place.</summary>
    /// <param name="changed">What to do; one save may call it several times.</param>
    /// <returns>Stops watching when disposed.</returns>
    public IDisposable Watch(Action changed)
    {
        var watcher = new FileSystemWatcher(Path.GetDirectoryName(File)!, Path.GetFileName(File))
        {
            NotifyFilter = NotifyFilters.LastWrite | NotifyFilters.FileName | NotifyFilters.Size,
        };
        watcher.Changed += (_, _) => changed();
        watcher.Created += (_, _) => changed();
        watcher.Renamed += (_, _) => changed();
        watcher.EnableRaisingEvents = true;
        return watcher;
    }
}
