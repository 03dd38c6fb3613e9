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
        double oursMedian = Median(ours);

        double? v8Median = MeasureV8(module, runs);

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

    private static double? MeasureV8(byte[] module, int runs)
    {
        var path = Path.Combine(Path.GetTempPath(), $"sharptime-bench-{Environment.ProcessId}.wasm");
        File.WriteAllBytes(path, module);
        try
        {
            // node, one core: validate several times, print each duration in ms.
            const string Script = """
                const fs = require('fs');
                const bytes = fs.readFileSync(process.argv[1]);
                const runs = +process.argv[2];
                for (let i = 0; i < 3; i++) if (!WebAssembly.validate(bytes)) { console.log('invalid'); process.exit(2); }
                for (let i = 0; i < runs; i++) {
                  const t = process.hrtime.bigint();
                  WebAssembly.validate(bytes);
                  console.log(Number(process.hrtime.bigint() - t) / 1e6);
                }
                """;
            var start = new ProcessStartInfo("node") { RedirectStandardOutput = true, UseShellExecute = false };
            start.ArgumentList.Add("--single-threaded");
            start.ArgumentList.Add("-e");
            start.ArgumentList.Add(Script);
            start.ArgumentList.Add(path);
            start.ArgumentList.Add(runs.ToString(CultureInfo.InvariantCulture));
            using var process = Process.Start(start)!;
            var output = process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            if (process.ExitCode != 0) throw new InvalidOperationException($"node exited with {process.ExitCode}: {output}");
            var times = output.Split('\n', StringSplitOptions.RemoveEmptyEntries)
                .Select(s => double.Parse(s, CultureInfo.InvariantCulture)).ToArray();
            return Median(times);
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

    private static double Median(double[] values)
    {
        var sorted = (double[])values.Clone();
        Array.Sort(sorted);
        int n = sorted.Length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }
}
