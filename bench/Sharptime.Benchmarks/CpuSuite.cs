using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;

namespace Sharptime.Benchmarks;

/// <summary>
/// The CPU suite: each C program of bench/cpu built to wasm (run by Sharptime) and natively (clang -O2), timed in
/// the same run, median of K calls after one warm-up, reported as the ratio to native with the geometric mean.
/// </summary>
internal static class CpuSuite
{
    public static int Run(string cpuDirectory, int runs, string? boundsChecks = null)
    {
        if (LoadPrograms(cpuDirectory) is not { } programs) return 1;
        PrintMachine();
        Console.WriteLine($"median of {runs} calls after one warm-up call, each side; ratio = Sharptime / native (lower is better)");
        Console.WriteLine();
        Console.WriteLine("| program | n | native ms | Sharptime ms | ratio |");
        Console.WriteLine("|---|---:|---:|---:|---:|");
        double logSum = 0;
        int count = 0;
        using var engine = new Engine(ConfigFor(boundsChecks));
        Console.WriteLine($"bounds checks: {engine.Config.BoundsChecks}");
        foreach (var (name, n, expected, wasm, nativePath) in programs)
        {
            double native = Native(nativePath, n, runs, expected);
            double ours = Sharptime(engine, wasm, n, runs, expected);
            double ratio = ours / native;
            logSum += Math.Log(ratio);
            count++;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {name} | {n} | {native:F1} | {ours:F1} | {ratio:F2}x |"));
        }
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| **geometric mean** | | | | **{Math.Exp(logSum / count):F2}x** |"));
        return 0;
    }

    /// <summary>One line of programs.txt: the program, its input, its expected result, and its two builds.</summary>
    private sealed record CpuProgram(string Name, int N, int Expected, string Wasm, string Native);

    /// <summary>The programs of bench/cpu, or null (after saying how to build them) when they are not built.</summary>
    private static List<CpuProgram>? LoadPrograms(string cpuDirectory)
    {
        var list = Path.Combine(cpuDirectory, "programs.txt");
        var outDir = Path.Combine(cpuDirectory, "out");
        if (!File.Exists(list) || !Directory.Exists(outDir))
        {
            Console.Error.WriteLine($"error: build the programs first: {Path.Combine(cpuDirectory, "build.sh")} (needs clang and lld)");
            return null;
        }
        var programs = new List<CpuProgram>();
        foreach (var line in File.ReadLines(list))
        {
            if (line.Length == 0 || line[0] == '#') continue;
            var parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            programs.Add(new CpuProgram(parts[0], int.Parse(parts[1], CultureInfo.InvariantCulture), int.Parse(parts[2], CultureInfo.InvariantCulture),
                Path.Combine(outDir, parts[0] + ".wasm"), Path.Combine(outDir, "native", parts[0])));
        }
        return programs;
    }

    private static void PrintMachine() =>
        Console.WriteLine($"machine: {Environment.ProcessorCount} cores, {CpuName()}, {RuntimeInformation.OSDescription}, {RuntimeInformation.FrameworkDescription}");

    private static Config ConfigFor(string? boundsChecks) => boundsChecks switch
    {
        null => new Config(),
        "explicit" => new Config { BoundsChecks = BoundsChecks.Explicit },
        "guard" => new Config { BoundsChecks = BoundsChecks.GuardPages },
        _ => throw new ArgumentException($"bounds checks: expected explicit, guard or both, got '{boundsChecks}'"),
    };

    /// <summary>
    /// Each program under explicit bounds checks and under guard pages, interleaved per program so both modes see
    /// the same machine load: medians, each mode's ratio to native, and guard / explicit.
    /// </summary>
    public static int RunBothBoundsChecks(string cpuDirectory, int runs)
    {
        if (LoadPrograms(cpuDirectory) is not { } programs) return 1;
        PrintMachine();
        Console.WriteLine($"median of {runs} calls after one warm-up call, each side; ratios to native and guard / explicit (lower is better)");
        Console.WriteLine();
        Console.WriteLine("| program | n | native ms | explicit ms | guard ms | explicit / native | guard / native | guard / explicit |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|---:|");
        double logExplicit = 0, logGuard = 0, logSpeed = 0;
        int count = 0;
        using var explicitEngine = new Engine(ConfigFor("explicit"));
        using var guardEngine = new Engine(ConfigFor("guard"));
        foreach (var (name, n, expected, wasm, nativePath) in programs)
        {
            double native = Native(nativePath, n, runs, expected);
            double ex = Sharptime(explicitEngine, wasm, n, runs, expected);
            double guard = Sharptime(guardEngine, wasm, n, runs, expected);
            logExplicit += Math.Log(ex / native);
            logGuard += Math.Log(guard / native);
            logSpeed += Math.Log(guard / ex);
            count++;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {name} | {n} | {native:F1} | {ex:F1} | {guard:F1} | {ex / native:F2}x | {guard / native:F2}x | {guard / ex:F2}x |"));
        }
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"| **geometric mean** | | | | | **{Math.Exp(logExplicit / count):F2}x** | **{Math.Exp(logGuard / count):F2}x** | **{Math.Exp(logSpeed / count):F2}x** |"));
        return 0;
    }

    /// <summary>
    /// Each program with interruption off, with epoch checks, with fuel counting, and with both (engine default bounds
    /// checks), interleaved per program so all four see the same machine load: medians and the ratios to "off".
    /// </summary>
    public static int RunInterruption(string cpuDirectory, int runs)
    {
        if (LoadPrograms(cpuDirectory) is not { } programs) return 1;
        PrintMachine();
        Console.WriteLine($"median of {runs} calls after one warm-up call, each configuration; ratios to off (lower is better)");
        using var off = new Engine(new Config());
        using var epochs = new Engine(new Config { EpochInterruption = true });
        using var fuel = new Engine(new Config { ConsumeFuel = true });
        using var bothEngine = new Engine(new Config { EpochInterruption = true, ConsumeFuel = true });
        Console.WriteLine($"bounds checks: {off.Config.BoundsChecks}");
        Console.WriteLine();
        Console.WriteLine("| program | n | off ms | epochs ms | fuel ms | both ms | epochs / off | fuel / off | both / off |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|");
        double logEpochs = 0, logFuel = 0, logBoth = 0;
        int count = 0;
        foreach (var (name, n, expected, wasm, _) in programs)
        {
            double o = Sharptime(off, wasm, n, runs, expected);
            double e = Sharptime(epochs, wasm, n, runs, expected);
            double f = Sharptime(fuel, wasm, n, runs, expected);
            double b = Sharptime(bothEngine, wasm, n, runs, expected);
            logEpochs += Math.Log(e / o);
            logFuel += Math.Log(f / o);
            logBoth += Math.Log(b / o);
            count++;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {name} | {n} | {o:F1} | {e:F1} | {f:F1} | {b:F1} | {e / o:F2}x | {f / o:F2}x | {b / o:F2}x |"));
        }
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"| **geometric mean** | | | | | | **{Math.Exp(logEpochs / count):F2}x** | **{Math.Exp(logFuel / count):F2}x** | **{Math.Exp(logBoth / count):F2}x** |"));
        return 0;
    }

    private static double Sharptime(Engine engine, string wasm, int n, int runs, int expected)
    {
        var module = Module.FromFile(engine, wasm);
        using var store = new Store<object?>(engine, null);
        // Interruption compiled in but never triggered: the cost of the checks and the counting alone.
        if (engine.Config.ConsumeFuel) store.SetFuel(ulong.MaxValue);
        if (engine.Config.EpochInterruption) store.SetEpochDeadline(ulong.MaxValue);
        var instance = new Linker<object?>(engine).Instantiate(store, module);
        var run = instance.GetFunction("run")?.Typed<int, int>()
            ?? throw new InvalidOperationException($"{wasm} exports no `run`");
        Check(run.Call(n), expected, wasm);
        var times = new double[runs];
        for (int i = 0; i < runs; i++)
        {
            var sw = Stopwatch.StartNew();
            int result = run.Call(n);
            times[i] = sw.Elapsed.TotalMilliseconds;
            Check(result, expected, wasm);
        }
        return CompileThroughput.Median(times);
    }

    private static double Native(string exe, int n, int runs, int expected)
    {
        var start = new ProcessStartInfo(exe) { RedirectStandardOutput = true, UseShellExecute = false };
        start.ArgumentList.Add(n.ToString(CultureInfo.InvariantCulture));
        start.ArgumentList.Add(runs.ToString(CultureInfo.InvariantCulture));
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEnd().Split(' ', StringSplitOptions.RemoveEmptyEntries);
        process.WaitForExit();
        Check(int.Parse(output[1], CultureInfo.InvariantCulture), expected, exe);
        return double.Parse(output[2], CultureInfo.InvariantCulture) / 1e6;
    }

    private static void Check(int actual, int expected, string what)
    {
        if (actual != expected) throw new InvalidOperationException($"{what}: checksum {actual}, expected {expected}");
    }

    private static string CpuName()
    {
        try
        {
            foreach (var line in File.ReadLines("/proc/cpuinfo"))
                if (line.StartsWith("model name", StringComparison.Ordinal)) return line[(line.IndexOf(':') + 1)..].Trim();
        }
        catch (IOException) { }
        return "unknown CPU";
    }
}
