using System.Buffers;
using System.Globalization;
using Microsoft.Extensions.Logging;

namespace Octopus.Mqtt;

/// <summary>
/// The File store: one file per unacknowledged QoS 1 or 2 message under <c>directoryPrefix/&lt;uid&gt;</c>, named
/// after its sequence number, so messages survive the process being killed and are sent by the next client with the
/// same UID. Each file is written whole to a temporary name, flushed to disk and renamed; a file that cannot be read
/// back is renamed <c>*.corrupt</c> with a warning. The directory is private to the user (0700), files 0600.
/// </summary>
internal sealed class FileMessageStore : IMessageStore
{
    public const string Extension = ".msg";
    public const string TemporaryExtension = ".tmp";
    public const string CorruptExtension = ".corrupt";
    private const UnixFileMode DirectoryMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    private const UnixFileMode FileMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    private readonly ILogger _logger;

    /// <summary>Opens (creating if needed) the store of one DeviceLink.</summary>
    /// <param name="directoryPrefix">The <c>client.store.directoryPrefix</c> option.</param>
    /// <param name="uid">The DeviceLink's UID, which names the store's directory.</param>
    /// <param name="logger">Where warnings go.</param>
    /// <exception cref="ArgumentException">The prefix is empty or the UID is not a safe single path segment.</exception>
    public FileMessageStore(string directoryPrefix, string uid, ILogger logger)
    {
        _logger = logger;
        DirectoryPath = GetDirectory(directoryPrefix, uid);
        CreateDirectory(Path.GetFullPath(directoryPrefix), DirectoryPath);
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
        foreach (var path in Directory.EnumerateFiles(DirectoryPath))
        {
            var name = Path.GetFileName(path);
            if (name.EndsWith(TemporaryExtension, StringComparison.Ordinal))
            {
                // A write that never reached its rename: the publish was never accepted.
                TryDelete(path);
                continue;
            }

            if (!name.EndsWith(Extension, StringComparison.Ordinal))
            {
                continue;
            }

            if (!long.TryParse(name.AsSpan(0, name.Length - Extension.Length), NumberStyles.None, CultureInfo.InvariantCulture, out var sequence))
            {
                SetAside(path, "its name is not a sequence number");
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
                continue;
            }

            if (StoredMessageCodec.TryDecode(sequence, data, out var message, out var error))
            {
                messages.Add(message!);
            }
            else
            {
                SetAside(path, error!);
            }
        }

        messages.Sort(static (a, b) => a.Sequence.CompareTo(b.Sequence));
        return messages;
    }

    /// <inheritdoc/>
    public void Save(OutboundMessage message)
    {
        var payload = message.Payload.Span;
        var length = StoredMessageCodec.GetLength(message.Topic, payload.Length);
        var buffer = ArrayPool<byte>.Shared.Rent(length);
        try
        {
            StoredMessageCodec.Encode(buffer.AsSpan(0, length), message.Topic, payload, message.Qos, message.Retain);
            var path = GetPath(message.Sequence);
            var temporary = path + TemporaryExtension;
            var options = new FileStreamOptions { Mode = System.IO.FileMode.Create, Access = FileAccess.Write, Share = FileShare.None };
            if (!OperatingSystem.IsWindows())
            {
                options.UnixCreateMode = FileMode;
            }

            using (var stream = new FileStream(temporary, options))
            {
                stream.Write(buffer, 0, length);
                stream.Flush(flushToDisk: true);
            }

            File.Move(temporary, path, overwrite: true);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <inheritdoc/>
    public void Delete(long sequence) => TryDelete(GetPath(sequence));

    /// <inheritdoc/>
    public void Dispose()
    {
        // Nothing is held open between calls.
    }

    /// <summary>Gets the file of a message.</summary>
    /// <param name="sequence">The message's sequence number.</param>
    /// <returns>The path.</returns>
    public string GetPath(long sequence) =>
        Path.Combine(DirectoryPath, sequence.ToString("D19", CultureInfo.InvariantCulture) + Extension);

    private static readonly char[] UnsafeCharacters = ['/', '\\', '\0'];

    private static void CreateDirectory(string prefix, string directory)
    {
        Directory.CreateDirectory(prefix);
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(directory);
            return;
        }

        Directory.CreateDirectory(directory, DirectoryMode);
        if (File.GetUnixFileMode(directory) != DirectoryMode)
        {
            File.SetUnixFileMode(directory, DirectoryMode);
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
