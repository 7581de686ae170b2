using System.Globalization;
using System.Runtime.InteropServices;

namespace Octopus.Mqtt.LoadTool.Brokers;

/// <summary>
/// The open-file limit (<c>ulimit -n</c>, RLIMIT_NOFILE), which is per process: the tool raises its own soft limit
/// to the hard limit when a fleet needs more sockets, and reads the broker's from <c>/proc/PID/limits</c>.
/// </summary>
internal static partial class ProcessLimits
{
    private const int RlimitNofile = 7;

    /// <summary>Reads a process's soft open-file limit from <c>/proc/PID/limits</c>.</summary>
    public static long? ReadOpenFileLimit(int pid)
    {
        try
        {
            foreach (var line in File.ReadLines($"/proc/{pid}/limits"))
            {
                if (line.StartsWith("Max open files", StringComparison.Ordinal))
                {
                    var fields = line["Max open files".Length..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
                    return fields[0] == "unlimited" ? long.MaxValue : long.Parse(fields[0], CultureInfo.InvariantCulture);
                }
            }
        }
        catch (IOException)
        {
        }

        return null;
    }

    /// <summary>Raises this process's soft open-file limit to at least <paramref name="needed"/> (up to the hard limit).</summary>
    /// <returns>The soft limit now in force, or null where it cannot be read.</returns>
    public static long? EnsureOpenFiles(long needed)
    {
        if (!OperatingSystem.IsLinux())
        {
            return null;
        }

        var limit = default(RLimit);
        if (GetRLimit(RlimitNofile, ref limit) != 0)
        {
            return null;
        }

        if ((long)limit.Current < needed && limit.Current < limit.Maximum)
        {
            var raised = new RLimit { Current = Math.Min(limit.Maximum, (ulong)needed), Maximum = limit.Maximum };
            if (SetRLimit(RlimitNofile, ref raised) == 0)
            {
                limit = raised;
            }
        }

        return (long)Math.Min(limit.Current, long.MaxValue);
    }

    [LibraryImport("libc", EntryPoint = "getrlimit", SetLastError = true)]
    private static partial int GetRLimit(int resource, ref RLimit limit);

    [LibraryImport("libc", EntryPoint = "setrlimit", SetLastError = true)]
    private static partial int SetRLimit(int resource, ref RLimit limit);

    [StructLayout(LayoutKind.Sequential)]
    private struct RLimit
    {
        public ulong Current;
        public ulong Maximum;
    }
}
