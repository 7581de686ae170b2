using System.Buffers;
using System.Globalization;
using Microsoft.Extensions.Logging;

namespace Octopus.Mqtt;

/// <summary>
/// The File store: one file per unacknowledged QoS 1 or 2 message under <c>directoryPrefix/&lt;uid&gt;</c>, named
/// after its sequence number, holding the message with its packet identifier and handshake phase, so that the next
/// client with the same UID resumes the persistent session with the original identifiers.
/// </summary>
/// <remarks>
/// <para>
/// Each save writes the whole file to a temporary name, flushes it to disk, renames it over the entry and then flushes
/// the directory, so an entry is either its old or its new content, also after a power loss. Removing an entry,
/// setting one aside as <c>*.corrupt</c> (with a warning) and removing a stale temporary file also flush the directory.
/// </para>
/// <para>
/// The store holds <c>.lock</c> in its directory open exclusively for its lifetime (an advisory <c>flock</c> on Unix,
/// released by the kernel when the process dies): a second store on the same directory, in this process or another,
/// is refused. The directory is private to the user (0700), files 0600.
/// </para>
/// </remarks>
internal sealed class FileMessageStore : IMessageStore
{
    public const string Extension = ".msg";
    public const string TemporaryExtension = ".tmp";
    public const string CorruptExtension = ".corrupt";
    public const string LockFileName = StoreDirectoryLock.FileName;
    private const UnixFileMode DirectoryMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    private const UnixFileMode FileMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    private readonly ILogger _logger;
    private readonly Action<string> _syncDirectory;
    private readonly StoreDirectoryLock _lock;

    /// <summary>Opens (creating if needed) the store of one DeviceLink and takes its lock.</summary>
    /// <param name="directoryPrefix">The <c>client.store.directoryPrefix</c> option.</param>
    /// <param name="uid">The DeviceLink's UID, which names the store's directory.</param>
    /// <param name="logger">Where warnings go.</param>
    /// <exception cref="ArgumentException">The prefix is empty or the UID is not a safe single path segment.</exception>
    /// <exception cref="MqttDeviceClientException">Another store (of this process or another) holds the directory's lock.</exception>
    public FileMessageStore(string directoryPrefix, string uid, ILogger logger)
        : this(directoryPrefix, uid, logger, DirectorySync.Flush)
    {
    }

    /// <summary>Opens (creating if needed) the store of one DeviceLink and takes its lock, flushing directories with <paramref name="syncDirectory"/>.</summary>
    /// <param name="directoryPrefix">The <c>client.store.directoryPrefix</c> option.</param>
    /// <param name="uid">The DeviceLink's UID, which names the store's directory.</param>
    /// <param name="logger">Where warnings go.</param>
    /// <param name="syncDirectory">Flushes a directory's entries to disk (<see cref="DirectorySync.Flush"/>; tests observe it).</param>
    /// <exception cref="ArgumentException">The prefix is empty or the UID is not a safe single path segment.</exception>
    /// <exception cref="MqttDeviceClientException">Another store (of this process or another) holds the directory's lock.</exception>
    public FileMessageStore(string directoryPrefix, string uid, ILogger logger, Action<string> syncDirectory)
    {
        _logger = logger;
        _syncDirectory = syncDirectory;
        DirectoryPath = GetDirectory(directoryPrefix, uid);
        var prefix = Path.GetFullPath(directoryPrefix);
        if (CreateDirectory(prefix, DirectoryPath))
        {
            _syncDirectory(prefix);
        }

        _lock = StoreDirectoryLock.Take(DirectoryPath);
    }

    /// <summary>Gets the store's directory.</summary>
    public string DirectoryPath { get; }

    /// <inheritdoc/>
    public string Location => DirectoryPath;

    /// <summary>Gets the store's directory for a prefix and a UID, refusing a UID that is not one safe path segment.</summary>
    /// <param name="directoryPrefix">The <c>client.store.directoryPrefix</c> option.</param>
    /// <param name="uid">The DeviceLink's UID.</param>
    /// <returns>The full path of the directory.</returns>
    /// <exception cref="ArgumentException">The prefix is empty or the UID is unsafe.</exception>
    public static string GetDirectory(string directoryPrefix, string uid)
    {
        if (string.IsNullOrWhiteSpace(directoryPrefix))
        {
            throw new ArgumentException("client.store.directoryPrefix is empty; it must name the directory under which the File store keeps one directory per DeviceLink UID.");
        }

        if (string.IsNullOrEmpty(uid))
        {
            throw new ArgumentException("client.store: the DeviceLink UID is empty; the File store needs it to name its directory.");
        }

        if (uid is "." or ".." || uid.AsSpan().IndexOfAny(UnsafeCharacters) >= 0)
        {
            throw new ArgumentException($"client.store: the DeviceLink UID \"{uid}\" cannot name the File store's directory: it must be a single path segment (not \".\" or \"..\", and without \"/\", \"\\\" or NUL).");
        }

        return Path.Combine(Path.GetFullPath(directoryPrefix), uid);
    }

    /// <inheritdoc/>
    public IReadOnlyList<StoredMessage> Load()
    {
        var messages = new List<StoredMessage>();
        var changed = false;
        foreach (var path in Directory.EnumerateFiles(DirectoryPath))
        {
            var name = Path.GetFileName(path);
            if (name == LockFileName)
            {
                continue;
            }

            if (name.EndsWith(TemporaryExtension, StringComparison.Ordinal))
            {
                // A write that never reached its rename: the publish was never accepted, or the entry keeps its
                // previous content.
                TryDelete(path);
                changed = true;
                continue;
            }

            if (!name.EndsWith(Extension, StringComparison.Ordinal))
            {
                continue;
            }

            if (!long.TryParse(name.AsSpan(0, name.Length - Extension.Length), NumberStyles.None, CultureInfo.InvariantCulture, out var sequence))
            {
                SetAside(path, "its name is not a sequence number");
                changed = true;
                continue;
            }

            byte[] data;
            try
            {
                data = File.ReadAllBytes(path);
            }
            catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
            {
                SetAside(path, exception.Message);
                changed = true;
                continue;
            }

            if (StoredMessageCodec.TryDecode(sequence, data, out var message, out var error))
            {
                messages.Add(message!);
            }
            else
            {
                SetAside(path, error!);
                changed = true;
            }
        }

        if (changed)
        {
            TrySyncDirectory();
        }

        messages.Sort(static (a, b) => a.Sequence.CompareTo(b.Sequence));
        return messages;
    }

    /// <inheritdoc/>
    public void Save(OutboundMessage message)
    {
        var payload = message.Payload.Span;
        var properties = message.Properties;
        var length = StoredMessageCodec.GetLength(message.Topic, payload.Length, properties);
        var buffer = ArrayPool<byte>.Shared.Rent(length);
        try
        {
            StoredMessageCodec.Encode(buffer.AsSpan(0, length), message.Topic, payload, message.Qos, message.Retain, message.PacketId, message.Phase, properties);
            var path = GetPath(message.Sequence);
            var temporary = path + TemporaryExtension;
            try
            {
                Write(temporary, buffer.AsSpan(0, length));
                File.Move(temporary, path, overwrite: true);
            }
            catch
            {
                // Disk full, permission denied: the caller sees the error itself; no partial file stays behind.
                TryDelete(temporary);
                throw;
            }

            _syncDirectory(DirectoryPath);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <inheritdoc/>
    public void Delete(long sequence)
    {
        TryDelete(GetPath(sequence));
        TrySyncDirectory();
    }

    /// <summary>Releases the directory's lock; the entries stay for the next client.</summary>
    public void Dispose() => _lock.Dispose();

    /// <summary>Gets the file of a message.</summary>
    /// <param name="sequence">The message's sequence number.</param>
    /// <returns>The path.</returns>
    public string GetPath(long sequence) =>
        Path.Combine(DirectoryPath, sequence.ToString("D19", CultureInfo.InvariantCulture) + Extension);

    private static readonly char[] UnsafeCharacters = ['/', '\\', '\0'];

    /// <summary>Creates the store's directory if needed, private to the user.</summary>
    /// <returns><see langword="true"/> when it did not exist.</returns>
    private static bool CreateDirectory(string prefix, string directory)
    {
        Directory.CreateDirectory(prefix);
        var created = !Directory.Exists(directory);
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(directory);
            return created;
        }

        Directory.CreateDirectory(directory, DirectoryMode);
        if (File.GetUnixFileMode(directory) != DirectoryMode)
        {
            File.SetUnixFileMode(directory, DirectoryMode);
        }

        return created;
    }

    private static void Write(string path, ReadOnlySpan<byte> data)
    {
        var options = new FileStreamOptions { Mode = System.IO.FileMode.Create, Access = FileAccess.Write, Share = FileShare.None };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = FileMode;
        }

        using var stream = new FileStream(path, options);
        stream.Write(data);
        stream.Flush(flushToDisk: true);
    }

    private void TrySyncDirectory()
    {
        try
        {
            _syncDirectory(DirectoryPath);
        }
        catch (IOException exception)
        {
            // A removal or a set-aside a power loss may undo is done again, or the message sent again: at least once.
            Log.StoreDirectorySyncFailed(_logger, exception, DirectoryPath);
        }
    }

    private void SetAside(string path, string reason)
    {
        var target = path + CorruptExtension;
        try
        {
            File.Move(path, target, overwrite: true);
            Log.StoreEntrySetAside(_logger, path, reason, target);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            Log.StoreEntryNotSetAside(_logger, exception, path, reason);
        }
    }

    private void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            Log.StoreDeleteFailed(_logger, exception, path);
        }
    }
}
