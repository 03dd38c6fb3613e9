using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using Sharptime.Compiler;
using Sharptime.Validation;
using Sharptime.Vm;

namespace Sharptime.Benchmarks;

/// <summary>
/// Baseline-compiler throughput on one core: MB of wasm code compiled to x86-64 per second, on the generated
/// C-like module, against V8 compiling the same bytes (<c>new WebAssembly.Module</c>, single-threaded).
/// </summary>
internal static class CompileThroughput
{
    public static int Run(int runs)
    {
        var bytes = DecodeValidateBenchmark.CreateModule();
        double mb = bytes.Length / 1e6;
        var info = WasmFrontEnd.DecodeAndValidate(bytes);
        var layout = new VMContextLayout(info);

        // Warm-ups run both measured paths: warming only the compiler left validation to tier up during the
        // measured end-to-end runs.
        for (int i = 0; i < 2; i++)
        {
            ModuleCompiler.Compile(info, layout);
            var warm = WasmFrontEnd.DecodeAndValidate(bytes);
            ModuleCompiler.Compile(warm, new VMContextLayout(warm));
        }
        var compile = new double[runs];
        var endToEnd = new double[runs];
        var compileCpu = new double[runs];
        var endToEndCpu = new double[runs];
        int codeBytes = 0;
        byte[] code = [];
        for (int i = 0; i < runs; i++)
        {
            var cpu = Environment.CpuUsage.TotalTime;
            var sw = Stopwatch.StartNew();
            code = ModuleCompiler.Compile(info, layout).Code;
            codeBytes = code.Length;
            compile[i] = sw.Elapsed.TotalMilliseconds;
            compileCpu[i] = (Environment.CpuUsage.TotalTime - cpu).TotalMilliseconds;
            cpu = Environment.CpuUsage.TotalTime;
            sw.Restart();
            var decoded = WasmFrontEnd.DecodeAndValidate(bytes);
            ModuleCompiler.Compile(decoded, new VMContextLayout(decoded));
            endToEnd[i] = sw.Elapsed.TotalMilliseconds;
            endToEndCpu[i] = (Environment.CpuUsage.TotalTime - cpu).TotalMilliseconds;
        }
        // Liftoff is V8's baseline tier, the peer of ours; lazy compilation off so every function is compiled.
        // SHARPTIME_BENCH_NO_V8=1 skips node (quicker A/B runs while iterating on the compiler).
        double? v8 = Environment.GetEnvironmentVariable("SHARPTIME_BENCH_NO_V8") == "1" ? null : NodeTiming.Median(bytes, runs, "new WebAssembly.Module(bytes)", "--liftoff-only", "--no-wasm-lazy-compilation");

        Console.WriteLine($"module: {bytes.Length:N0} bytes ({mb:F2} MB), {info.FunctionBodies.Count:N0} functions, {codeBytes:N0} bytes of x86-64 (SHA-256 {Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(code))[..16]}); {runs} runs each, median shown");
        Console.WriteLine($"machine: {Environment.ProcessorCount} cores, {RuntimeInformation.OSDescription}, {RuntimeInformation.FrameworkDescription}");
        Console.WriteLine();
        Console.WriteLine("| what | median ms | MB/s | ratio to V8 |");
        Console.WriteLine("|---|---:|---:|---:|");
        Console.WriteLine(Row("Sharptime baseline compile (validated module in, code out)", Median(compile), mb, v8));
        Console.WriteLine(Row("Sharptime decode + validate + compile", Median(endToEnd), mb, v8));
        Console.WriteLine(v8 is double v
            ? Row("V8 Liftoff `new WebAssembly.Module` (node --single-threaded --liftoff-only --no-wasm-lazy-compilation)", v, mb, v8)
            : "| V8 | not measured: `node` not found | | |");
        Console.WriteLine();
        // The fastest run is the least disturbed by other work on a shared machine: useful for A/B comparisons.
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"fastest run: compile {compile.Min():F1} ms, decode + validate + compile {endToEnd.Min():F1} ms"));
        // Process CPU time (all threads, GC included) is less disturbed by waiting for a core than elapsed time.
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"median CPU time: compile {Median(compileCpu):F1} ms, decode + validate + compile {Median(endToEndCpu):F1} ms"));
        return 0;
    }

    private static string Row(string name, double ms, double mb, double? baseline) =>
        string.Create(CultureInfo.InvariantCulture,
            $"| {name} | {ms:F1} | {mb / (ms / 1000):F1} | {(baseline is double b ? (b / ms).ToString("F2", CultureInfo.InvariantCulture) + "x" : "")} |");

    internal static double Median(double[] values)
    {
        var sorted = (double[])values.Clone();
        Array.Sort(sorted);
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
    }
}

/// <summary>Times a JavaScript expression over a module's bytes in node (V8), single-threaded.</summary>
internal static class NodeTiming
{
    public static double? Median(byte[] module, int runs, string expression, params string[] nodeFlags)
    {
        var path = Path.Combine(Path.GetTempPath(), $"sharptime-bench-{Environment.ProcessId}.wasm");
        File.WriteAllBytes(path, module);
        try
        {
            // Each run gets unique bytes (a trailing custom section with the run number): V8 caches compiled
            // modules by their bytes, which would otherwise turn every run after the first into a cache hit.
            string script = $$"""
                const original = require('fs').readFileSync(process.argv[1]);
                const runs = +process.argv[2];
                const unique = (i) => { const b = new Uint8Array(original.length + 6); b.set(original); b.set([0, 4, 1, 120, (i >> 8) & 255, i & 255], original.length); return b; };
                for (let i = 0; i < 2; i++) { const bytes = unique(1000 + i); {{expression}}; }
                for (let i = 0; i < runs; i++) {
                  const bytes = unique(i);
                  const t = process.hrtime.bigint();
                  {{expression}};
                  console.log(Number(process.hrtime.bigint() - t) / 1e6);
                }
                """;
            var start = new ProcessStartInfo("node") { RedirectStandardOutput = true, UseShellExecute = false };
            start.ArgumentList.Add("--single-threaded");
            foreach (var flag in nodeFlags) start.ArgumentList.Add(flag);
            start.ArgumentList.Add("-e");
            start.ArgumentList.Add(script);
            start.ArgumentList.Add(path);
            start.ArgumentList.Add(runs.ToString(CultureInfo.InvariantCulture));
            using var process = Process.Start(start)!;
            var output = process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            if (process.ExitCode != 0) return null;
            var times = output.Split('\n', StringSplitOptions.RemoveEmptyEntries)
                .Select(s => double.Parse(s, CultureInfo.InvariantCulture)).ToArray();
            return CompileThroughput.Median(times);
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null;
        }
        finally
        {
            File.Delete(path);
        }
    }
}
