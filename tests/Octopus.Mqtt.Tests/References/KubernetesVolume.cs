using System.Runtime.InteropServices;
using System.Text;

namespace Octopus.Mqtt.Tests.References;

/// <summary>
/// Lays out one Secret or ConfigMap volume the way the kubelet does, in a real directory:
/// <c>..&lt;timestamp&gt;/&lt;item&gt;</c> files, a <c>..data</c> symlink to the current timestamped directory,
/// and <c>&lt;item&gt; → ..data/&lt;item&gt;</c> symlinks; <see cref="Update"/> swaps <c>..data</c> atomically.
/// </summary>
internal sealed class KubernetesVolume
{
    private readonly string _directory;
    private int _version;
    private string? _current;

    public KubernetesVolume(string directory, IReadOnlyDictionary<string, string> items)
    {
        _directory = directory;
        Directory.CreateDirectory(directory);
        Update(items);
    }

    /// <summary>Writes a new version, then renames a fresh <c>..data_tmp</c> symlink over <c>..data</c>, as the kubelet's atomic writer does.</summary>
    public void Update(IReadOnlyDictionary<string, string> items)
    {
        var version = $"..2026_01_02_03_04_05.{++_version:D9}";
        var versionDirectory = Path.Combine(_directory, version);
        Directory.CreateDirectory(versionDirectory);
        foreach (var (item, value) in items)
        {
            File.WriteAllText(Path.Combine(versionDirectory, item), value);
        }

        var temporary = Path.Combine(_directory, "..data_tmp");
        File.CreateSymbolicLink(temporary, version);
        if (rename(temporary, Path.Combine(_directory, "..data")) != 0)
        {
            throw new IOException($"rename failed with errno {Marshal.GetLastPInvokeError()}");
        }

        foreach (var item in items.Keys)
        {
            var link = Path.Combine(_directory, item);
            if (new FileInfo(link).LinkTarget is null)
            {
                File.CreateSymbolicLink(link, Path.Combine("..data", item));
            }
        }

        foreach (var link in Directory.EnumerateFileSystemEntries(_directory))
        {
            var name = Path.GetFileName(link);
            if (!name.StartsWith("..", StringComparison.Ordinal) && !items.ContainsKey(name))
            {
                File.Delete(link);
            }
        }

        if (_current is not null)
        {
            Directory.Delete(Path.Combine(_directory, _current), recursive: true);
        }

        _current = version;
    }

    // File.Move follows the link and refuses a link to a directory; rename(2) swaps the link itself, atomically.
    [DllImport("libc", SetLastError = true)]
    private static extern int rename(byte[] oldPath, byte[] newPath);

    private static int rename(string oldPath, string newPath) => rename(NullTerminated(oldPath), NullTerminated(newPath));

    private static byte[] NullTerminated(string path) => Encoding.UTF8.GetBytes(path + "\0");
}
