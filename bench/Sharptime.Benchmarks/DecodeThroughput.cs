using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using Sharptime.Validation;

namespace Sharptime.Benchmarks;

/// <summary>
/// Measures decode+validate throughput of Sharptime and of V8 (Node's <c>WebAssembly.validate</c>) on the
/// same generated module, single-threaded, reporting medians and their ratio.
/// </summary>
internal static class DecodeThroughput
{
    public static int Run(int runs)
    {
        var module = DecodeValidateBenchmark.CreateModule();
        double mb = module.Length / 1e6;

        // Warm up the JIT of our own front end before timing.
        for (int i = 0; i < 3; i++) WasmFrontEnd.DecodeAndValidate(module);
        var ours = new double[runs];
        for (int i = 0; i < runs; i++)
        {
            var sw = Stopwatch.StartNew();
            WasmFrontEnd.DecodeAndValidate(module);
            ours[i] = sw.Elapsed.TotalMilliseconds;
        }
        double oursMedian = CompileThroughput.Median(ours);

        double? v8Median = NodeTiming.Median(module, runs, "WebAssembly.validate(bytes)");

        Console.WriteLine($"module: {module.Length:N0} bytes ({mb:F2} MB), {runs} runs each, median shown");
        Console.WriteLine($"machine: {Environment.ProcessorCount} cores, {RuntimeInformation.OSDescription}, {RuntimeInformation.FrameworkDescription}");
        Console.WriteLine();
        Console.WriteLine("| engine | median ms | MB/s | ratio to V8 |");
        Console.WriteLine("|---|---:|---:|---:|");
        Console.WriteLine(Row("Sharptime decode+validate", oursMedian, mb, v8Median));
        if (v8Median is double v8) Console.WriteLine(Row("V8 WebAssembly.validate (node)", v8, mb, v8Median));
        else Console.WriteLine("| V8 WebAssembly.validate (node) | not measured: `node` not found | | |");
        return 0;
    }

    private static string Row(string name, double ms, double mb, double? baseline) =>
        string.Create(CultureInfo.InvariantCulture,
            $"| {name} | {ms:F1} | {mb / (ms / 1000):F0} | {(baseline is double b ? (b / ms).ToString("F2", CultureInfo.InvariantCulture) + "x" : "")} |");
}
