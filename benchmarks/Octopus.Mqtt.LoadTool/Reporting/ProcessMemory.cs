using System.Globalization;

namespace Octopus.Mqtt.LoadTool.Reporting;

/// <summary>
/// The process's resident memory: its peak (VmHWM), which Linux lets a process reset (<c>5</c> into
/// <c>/proc/self/clear_refs</c>) so each case reports its own peak, and the managed heap after a full collection.
/// </summary>
internal static class ProcessMemory
{
    /// <summary>Resets the peak resident set; returns false where the kernel does not allow it (the peak is then the run's).</summary>
    public static bool TryResetPeak()
    {
        try
        {
            File.WriteAllText("/proc/self/clear_refs", "5");
            return true;
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    /// <summary>Gets the peak resident set size in bytes, or the current working set where /proc is missing.</summary>
    public static long PeakResidentBytes()
    {
        try
        {
            foreach (var line in File.ReadLines("/proc/self/status"))
            {
                if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
                {
                    var kb = line["VmHWM:".Length..].Trim().Split(' ')[0];
                    return long.Parse(kb, CultureInfo.InvariantCulture) * 1024;
                }
            }
        }
        catch (IOException)
        {
        }

        return Environment.WorkingSet;
    }

    /// <summary>Gets the managed heap after a full, compacting collection.</summary>
    public static long CollectedHeapBytes()
    {
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        return GC.GetTotalMemory(forceFullCollection: false);
    }
}
