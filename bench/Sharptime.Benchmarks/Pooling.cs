using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;

namespace Sharptime.Benchmarks;

/// <summary>
/// The pooling instance allocator against on-demand allocation, for a module whose memory starts with a 1 MiB data
/// image (<c>(memory 17) (data (i32.const 0) &lt;1 MiB&gt;)</c>), in both bounds-check modes:
/// <list type="number">
/// <item>Instantiation time: one <c>Linker.Instantiate</c> in a fresh store (store creation and disposal outside the
/// timing), from the in-memory module and from a .cwasm file; and the whole cycle (create store, instantiate, dispose).</item>
/// <item>1,000 live instances (each in its own store, one page written per memory): peak RSS, RSS and mapping count,
/// each configuration in a fresh child process so the peaks do not mix.</item>
/// </list>
/// </summary>
internal static class Pooling
{
    private const int DataBytes = 1 << 20;

    public static int Run(int rounds, int samples, int liveRuns)
    {
        Console.WriteLine($"machine: {Environment.ProcessorCount} cores, {RuntimeInformation.OSDescription}, {RuntimeInformation.FrameworkDescription}, page {Environment.SystemPageSize} B");
        Console.WriteLine($"load average at start: {LoadAverage()}");
        Console.WriteLine();
        Console.WriteLine($"Instantiation, 1 MiB data image: median of {rounds} rounds, each the median of {samples} samples (min-max of the round medians in brackets)");
        Console.WriteLine();
        Console.WriteLine("| bounds checks | source | on demand | pooled | on demand / pooled | cycle on demand (store + instantiate + dispose) | cycle pooled | cycle ratio | pooled, two modules alternating |");
        Console.WriteLine("|---|---|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var mode in new[] { BoundsChecks.GuardPages, BoundsChecks.Explicit })
        {
            using var onDemand = new Engine(new Config { BoundsChecks = mode });
            using var pooled = new Engine(PooledConfig(mode));
            var wasm = InstantiateImage.DataModule(DataBytes / 65536 + 1, InstantiateImage.Pattern(DataBytes));
            foreach (bool fromFile in new[] { false, true })
            {
                var a = Load(onDemand, wasm, fromFile);
                var b = Load(pooled, wasm, fromFile);
                // Another module (one more page) with its own image: alternating with it, no slot keeps the wanted image.
                var other = Load(pooled, InstantiateImage.DataModule(DataBytes / 65536 + 2, InstantiateImage.Pattern(DataBytes)), fromFile);
                var cells = new List<double>[5];
                for (int c = 0; c < cells.Length; c++) cells[c] = [];
                for (int round = 0; round < rounds; round++)
                {
                    // Interleaved, so a noisy moment hits both allocators alike.
                    cells[0].Add(MedianInstantiate(a, samples));
                    cells[1].Add(MedianInstantiate(b, samples));
                    cells[2].Add(MedianCycle(a, samples));
                    cells[3].Add(MedianCycle(b, samples));
                    cells[4].Add(MedianInstantiate(b, samples, other));
                }
                double d = Median(cells[0]), p = Median(cells[1]), dc = Median(cells[2]), pc = Median(cells[3]);
                Console.WriteLine(F($"| {mode} | {(fromFile ? ".cwasm file" : "in-memory module")} | {Us(d)} {Range(cells[0])} | {Us(p)} {Range(cells[1])} | {d / p:F2}x | {Us(dc)} {Range(cells[2])} | {Us(pc)} {Range(cells[3])} | {dc / pc:F2}x | {Us(Median(cells[4]))} {Range(cells[4])} |"));
            }
        }
        Console.WriteLine();
        Console.WriteLine($"load average after instantiation: {LoadAverage()}");
        Console.WriteLine();
        Console.WriteLine($"1,000 live instances (one store each, one 4 KiB page written per memory), each configuration in a fresh process, median of {liveRuns} processes:");
        Console.WriteLine();
        Console.WriteLine("| bounds checks | allocation | peak RSS (VmHWM) | RSS with 1,000 live | RSS added by the 1,000 | mappings with 1,000 live | mappings added | address space (VmSize) | create 1,000 | dispose 1,000 |");
        Console.WriteLine("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var mode in new[] { BoundsChecks.GuardPages, BoundsChecks.Explicit })
        {
            foreach (bool pooling in new[] { false, true })
            {
                var runs = new List<long[]>();
                for (int i = 0; i < liveRuns; i++) runs.Add(RunChild(mode, pooling));
                long Med(int k) => (long)Median(runs.Select(r => (double)r[k]).ToList());
                Console.WriteLine(F($"| {mode} | {(pooling ? "pooled" : "on demand")} | {Mib(Med(0))} | {Mib(Med(1))} | {Mib(Med(1) - Med(2))} | {Med(3)} | {Med(3) - Med(4)} | {Med(7) / (1024.0 * 1024 * 1024):F2} TiB | {Med(5) / 1000.0:F1} ms | {Med(6) / 1000.0:F1} ms |"));
            }
        }
        Console.WriteLine();
        Console.WriteLine($"load average at end: {LoadAverage()}");
        return 0;
    }

    private static Config PooledConfig(BoundsChecks mode) => new Config { BoundsChecks = mode }.PoolingAllocation(new PoolingAllocationConfig
    {
        TotalCoreInstances = 1100,
        TotalMemories = 1100,
        TotalTables = 1100,
    });

    private static Module Load(Engine engine, byte[] wasm, bool fromFile)
    {
        if (!fromFile)
        {
            var module = Module.FromBytes(engine, wasm);
            _ = module.MemoryImages; // plan and write the memfd once, outside the timing
            return module;
        }
        var path = Path.Combine(Path.GetTempPath(), $"sharptime-bench-pooling-{Environment.ProcessId}-{Guid.NewGuid():N}.cwasm");
        File.WriteAllBytes(path, engine.PrecompileModule(wasm));
        try
        {
            return Module.DeserializeFile(engine, path);
        }
        finally
        {
            File.Delete(path); // the mapping keeps the file's pages
        }
    }

    /// <summary>
    /// Median microseconds of <c>Linker.Instantiate</c> alone, in a store created before and disposed after the timing;
    /// with <paramref name="alternate"/>, every other sample instantiates that module instead.
    /// </summary>
    private static double MedianInstantiate(Module module, int samples, Module? alternate = null)
    {
        var linker = new Linker<int>(module.Engine);
        var times = new List<double>(samples);
        for (int i = -3; i < samples; i++)
        {
            var store = new Store<int>(module.Engine, 0);
            long start = Stopwatch.GetTimestamp();
            linker.Instantiate(store, alternate is not null && (i & 1) != 0 ? alternate : module);
            double us = Stopwatch.GetElapsedTime(start).TotalMicroseconds;
            store.Dispose();
            if (i >= 0) times.Add(us);
        }
        return Median(times);
    }

    /// <summary>Median microseconds of a whole store lifetime: create, instantiate, dispose (where pooling pays its page discard).</summary>
    private static double MedianCycle(Module module, int samples)
    {
        var linker = new Linker<int>(module.Engine);
        var times = new List<double>(samples);
        for (int i = -3; i < samples; i++)
        {
            long start = Stopwatch.GetTimestamp();
            var store = new Store<int>(module.Engine, 0);
            linker.Instantiate(store, module);
            store.Dispose();
            double us = Stopwatch.GetElapsedTime(start).TotalMicroseconds;
            if (i >= 0) times.Add(us);
        }
        return Median(times);
    }

    /// <summary>Starts this program as <c>pooling-live</c> and reads its numbers.</summary>
    private static long[] RunChild(BoundsChecks mode, bool pooling)
    {
        var start = new ProcessStartInfo(Environment.ProcessPath!) { RedirectStandardOutput = true, UseShellExecute = false };
        // Under `dotnet run` / `dotnet x.dll` the process is the host: pass the assembly first.
        if (Path.GetFileNameWithoutExtension(Environment.ProcessPath!) == "dotnet") start.ArgumentList.Add(typeof(Pooling).Assembly.Location);
        start.ArgumentList.Add("pooling-live");
        start.ArgumentList.Add(mode == BoundsChecks.GuardPages ? "guard" : "explicit");
        start.ArgumentList.Add(pooling ? "pooled" : "on-demand");
        using var child = Process.Start(start)!;
        string output = child.StandardOutput.ReadToEnd();
        child.WaitForExit();
        if (child.ExitCode != 0) throw new InvalidOperationException($"pooling-live exited with {child.ExitCode}: {output}");
        var line = output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Last(l => l.StartsWith("live ", StringComparison.Ordinal));
        return line[5..].Split(' ').Select(long.Parse).ToArray();
    }

    /// <summary>
    /// The child: 1,000 live instances of the 1 MiB-image module; prints
    /// <c>live peakKiB rssKiB baselineRssKiB maps baselineMaps createUs disposeUs vmSizeKiB</c>.
    /// </summary>
    public static int Live(string mode, string allocation)
    {
        const int Count = 1000;
        var bounds = mode == "explicit" ? BoundsChecks.Explicit : BoundsChecks.GuardPages;
        using var engine = new Engine(allocation == "pooled" ? PooledConfig(bounds) : new Config { BoundsChecks = bounds });
        var module = Module.FromBytes(engine, InstantiateImage.DataModule(DataBytes / 65536 + 1, InstantiateImage.Pattern(DataBytes)));
        var linker = new Linker<int>(engine);
        // Warm up (JIT, the memfd, the pool's reservation) so the baseline holds everything but the live instances.
        using (var warm = new Store<int>(engine, 0)) linker.Instantiate(warm, module).GetMemory("mem")!.WriteInt32(DataBytes + 64, 1);
        GC.Collect();
        long baseRss = Status("VmRSS:"), baseMaps = Maps();

        var stores = new Store<int>[Count];
        long start = Stopwatch.GetTimestamp();
        for (int i = 0; i < Count; i++)
        {
            stores[i] = new Store<int>(engine, i);
            linker.Instantiate(stores[i], module).GetMemory("mem")!.WriteInt32(DataBytes + 64, i);
        }
        long createUs = (long)Stopwatch.GetElapsedTime(start).TotalMicroseconds;
        long rss = Status("VmRSS:"), maps = Maps(), peak = Status("VmHWM:"), size = Status("VmSize:");
        start = Stopwatch.GetTimestamp();
        foreach (var store in stores) store.Dispose();
        long disposeUs = (long)Stopwatch.GetElapsedTime(start).TotalMicroseconds;
        Console.WriteLine(F($"live {peak} {rss} {baseRss} {maps} {baseMaps} {createUs} {disposeUs} {size}"));
        return 0;
    }

    private static long Status(string field)
    {
        foreach (var line in File.ReadLines("/proc/self/status"))
            if (line.StartsWith(field, StringComparison.Ordinal))
                return long.Parse(line[field.Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
        throw new InvalidOperationException($"{field} missing from /proc/self/status");
    }

    private static long Maps() => File.ReadLines("/proc/self/maps").LongCount();

    private static string LoadAverage() => File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "unknown";

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToArray();
        int n = sorted.Length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    private static string Range(List<double> values) => F($"[{values.Min():F1}-{values.Max():F1}]");

    private static string Mib(long kib) => F($"{kib / 1024.0:F1} MiB");

    private static string Us(double us) => us >= 1000 ? F($"{us / 1000:F2} ms") : F($"{us:F2} µs");

    private static string F(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
