using System.Runtime.InteropServices;

namespace Octopus.Mqtt;

/// <summary>
/// Flushes a directory's entries (creations, renames, removals) to disk, so that they survive a power loss and not only
/// the process being killed. .NET cannot open a directory as a stream on Unix, so this calls the C library's
/// <c>open</c>, <c>fsync</c> and <c>close</c>; on Windows, where NTFS journals its directory entries, it does nothing.
/// </summary>
internal static partial class DirectorySync
{
    private const int ReadOnly = 0;
    private const int Interrupted = 4; // EINTR, the same on Linux and macOS

    /// <summary>Flushes the entries of <paramref name="directory"/> to disk.</summary>
    /// <param name="directory">The directory.</param>
    /// <exception cref="IOException">The directory could not be opened or flushed; the message names it.</exception>
    public static void Flush(string directory)
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        int descriptor;
        do
        {
            descriptor = Open(directory, OpenFlags());
        }
        while (descriptor < 0 && Marshal.GetLastPInvokeError() == Interrupted);

        if (descriptor < 0)
        {
            throw Failure(directory, "open", Marshal.GetLastPInvokeError());
        }

        try
        {
            int result;
            do
            {
                result = Fsync(descriptor);
            }
            while (result < 0 && Marshal.GetLastPInvokeError() == Interrupted);

            if (result < 0)
            {
                throw Failure(directory, "fsync", Marshal.GetLastPInvokeError());
            }
        }
        finally
        {
            _ = Close(descriptor);
        }
    }

    /// <summary>
    /// <c>O_RDONLY</c>, with <c>O_DIRECTORY | O_CLOEXEC</c> on Linux, where their values are known for each
    /// architecture (O_DIRECTORY is 0x4000 on ARM, where 0x10000 means O_DIRECT). Elsewhere a plain read-only open,
    /// which opens a directory as well.
    /// </summary>
    private static int OpenFlags()
    {
        if (!OperatingSystem.IsLinux())
        {
            return ReadOnly;
        }

        const int CloseOnExec = 0x80000;
        return RuntimeInformation.ProcessArchitecture switch
        {
            Architecture.X64 or Architecture.X86 => ReadOnly | 0x10000 | CloseOnExec,
            Architecture.Arm64 or Architecture.Arm => ReadOnly | 0x4000 | CloseOnExec,
            _ => ReadOnly,
        };
    }

    private static IOException Failure(string directory, string call, int errno) =>
        new($"The File store directory \"{directory}\" could not be synced to disk ({call} failed): {Marshal.GetPInvokeErrorMessage(errno)} (errno {errno}).", errno);

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "fsync", SetLastError = true)]
    private static partial int Fsync(int descriptor);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    private static partial int Close(int descriptor);
}
