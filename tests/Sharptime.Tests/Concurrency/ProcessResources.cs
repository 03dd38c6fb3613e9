using System.Runtime.InteropServices;

namespace Sharptime.Tests.Concurrency;

/// <summary>What the process holds, read from /proc and glibc: memory mappings, open file descriptors, malloc'd bytes.</summary>
internal readonly record struct ProcessResources(int Mappings, long MappedBytes, int FileDescriptors, long MallocBytes)
{
    public static bool Available => OperatingSystem.IsLinux() && File.Exists("/proc/self/maps");

    /// <summary>Collects garbage (so finalizers release what they own), then reads the counts.</summary>
    public static ProcessResources Measure()
    {
        for (int i = 0; i < 3; i++)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
        }
        // Read into memory first: the descriptor that reads the file must not be open while the fds are counted.
        var maps = File.ReadAllLines("/proc/self/maps");
        long bytes = 0;
        foreach (var line in maps)
        {
            // "start-end perms ...": adjacent mappings with equal permissions merge into one line, so the line count
            // alone can miss a leak; the total size cannot.
            int dash = line.IndexOf('-');
            int space = line.IndexOf(' ');
            bytes += (long)(Convert.ToUInt64(line[(dash + 1)..space], 16) - Convert.ToUInt64(line[..dash], 16));
        }
        int fds = Directory.GetFileSystemEntries("/proc/self/fd").Length;
        return new ProcessResources(maps.Length, bytes, fds, MallocInUse());
    }

    private static long MallocInUse()
    {
        try
        {
            return (long)mallinfo2().uordblks;
        }
        catch (EntryPointNotFoundException)
        {
            return 0;   // not glibc 2.33+: native heap growth is not measured
        }
        catch (DllNotFoundException)
        {
            return 0;
        }
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct MallInfo2
    {
        public nuint arena, ordblks, smblks, hblks, hblkhd, usmblks, fsmblks, uordblks, fordblks, keepcost;
    }

    [DllImport("libc", EntryPoint = "mallinfo2")]
    private static extern MallInfo2 mallinfo2();

    public override string ToString() => $"{Mappings} mappings of {MappedBytes} bytes, {FileDescriptors} fds, {MallocBytes} malloc'd bytes";
}

/// <summary>A fact skipped, with the reason shown, where /proc/self (Linux) or, when asked, guard pages are missing.</summary>
internal sealed class ProcFactAttribute : FactAttribute
{
    public ProcFactAttribute()
    {
        if (!ProcessResources.Available) Skip = "needs /proc/self/maps and /proc/self/fd (Linux)";
    }

    /// <summary>Also skip where guard-page memories are unsupported (anything but Linux x86-64).</summary>
    public bool GuardPages
    {
        get => false;
        init
        {
            if (value && Skip is null && !Config.GuardPagesSupported) Skip = "guard-page memories need Linux x86-64";
        }
    }
}

/// <summary>
/// Tests that measure the whole process (mappings, descriptors, native heap) run alone, after the parallel tests,
/// so other tests' allocations do not show up in their counts.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ProcessWideMeasurements
{
    /// <summary>The collection name.</summary>
    public const string Name = "process-wide measurements";
}
