using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using Sharptime.Wasi;

namespace Sharptime.Benchmarks;

/// <summary>
/// The larger WASI test program (<c>tests/programs/tiny.c</c>: an interpreter running a script workload, then an
/// LZ77 compressor) run by Sharptime through WASI against the same C built natively with <c>clang -O2</c>. Each
/// side: one warm-up run, then the median of K runs of the whole program. Native runs are whole processes; Sharptime
/// runs are instantiate + <c>_start</c> on a module compiled once (compile time reported on its own). The outputs
/// of both sides must be identical.
/// </summary>
internal static class WasiProgram
{
    public static int Run(string programs, int runs, int scale)
    {
        string source = Path.Combine(programs, "tiny.c"), wasm = Path.Combine(programs, "tiny.wasm");
        string native = Path.Combine(Path.GetTempPath(), $"sharptime-bench-tiny-{Environment.ProcessId}");
        var build = Process.Start(new ProcessStartInfo("clang", ["-O2", "-o", native, source]))!;
        build.WaitForExit();
        if (build.ExitCode != 0)
        {
            Console.Error.WriteLine("error: clang failed to build the native program (apt-get install clang)");
            return 1;
        }
        try
        {
            string arg = scale.ToString(CultureInfo.InvariantCulture);
            string nativeOutput = RunNative(native, arg, out _);
            var nativeTimes = new double[runs];
            for (int i = 0; i < runs; i++)
            {
                RunNative(native, arg, out nativeTimes[i]);
            }

            using var engine = new Engine();
            var compile = Stopwatch.StartNew();
            var module = Module.FromFile(engine, wasm);
            double compileMs = compile.Elapsed.TotalMilliseconds;
            string wasmOutput = RunWasm(engine, module, arg, out _);
            if (wasmOutput != nativeOutput)
            {
                Console.Error.WriteLine("error: the wasm and native outputs differ");
                return 1;
            }
            var wasmTimes = new double[runs];
            for (int i = 0; i < runs; i++) RunWasm(engine, module, arg, out wasmTimes[i]);

            double n = CompileThroughput.Median(nativeTimes), w = CompileThroughput.Median(wasmTimes);
            Console.WriteLine($"machine: {Environment.ProcessorCount} cores, {CpuName()}, {RuntimeInformation.OSDescription}, {RuntimeInformation.FrameworkDescription}");
            Console.WriteLine($"program: tests/programs/tiny.wasm {arg} ({new FileInfo(wasm).Length} bytes of wasm); median of {runs} runs after one warm-up, each side; outputs identical");
            Console.WriteLine();
            Console.WriteLine("| side | median ms | min ms | max ms | ratio to native |");
            Console.WriteLine("|---|---:|---:|---:|---:|");
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| native (clang -O2, whole process) | {n:F1} | {nativeTimes.Min():F1} | {nativeTimes.Max():F1} | 1.00x |"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| Sharptime WASI (instantiate + _start) | {w:F1} | {wasmTimes.Min():F1} | {wasmTimes.Max():F1} | {w / n:F2}x |"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| Sharptime compile (once, not in the runs) | {compileMs:F1} | | | |"));
            return 0;
        }
        finally
        {
            File.Delete(native);
        }
    }

    private static string RunNative(string exe, string arg, out double ms)
    {
        var start = new ProcessStartInfo(exe, [arg]) { RedirectStandardOutput = true, UseShellExecute = false };
        var sw = Stopwatch.StartNew();
        using var p = Process.Start(start)!;
        string output = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        ms = sw.Elapsed.TotalMilliseconds;
        if (p.ExitCode != 0) throw new InvalidOperationException($"native run exited with {p.ExitCode}");
        return output;
    }

    private static string RunWasm(Engine engine, Module module, string arg, out double ms)
    {
        var stdout = new MemoryStream();
        var sw = Stopwatch.StartNew();
        var config = new WasiConfig().WithArguments("tiny", arg).WithStdout(stdout);
        using var wasi = new WasiContext(config);
        using var store = new Store<WasiContext>(engine, wasi);
        var linker = new Linker<WasiContext>(engine);
        linker.AddWasi();
        var instance = linker.Instantiate(store, module);
        try
        {
            instance.GetFunction("_start")!.Call();
        }
        catch (WasiExitException e) when (e.ExitCode == 0)
        {
        }
        ms = sw.Elapsed.TotalMilliseconds;
        return System.Text.Encoding.UTF8.GetString(stdout.ToArray());
    }

    private static string CpuName()
    {
        foreach (var line in File.ReadLines("/proc/cpuinfo"))
            if (line.StartsWith("model name", StringComparison.Ordinal)) return line[(line.IndexOf(':') + 1)..].Trim();
        return "unknown CPU";
    }
}
