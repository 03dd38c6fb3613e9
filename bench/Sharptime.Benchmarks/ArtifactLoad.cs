using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;

namespace Sharptime.Benchmarks;

/// <summary>
/// Loading a precompiled artifact against compiling the module from scratch, in the same run: generated C-like modules
/// (<see cref="SyntheticModule"/>) of about 6 MB and 32 MB of x86-64, median of several runs.
/// </summary>
internal static class ArtifactLoad
{
    public static int Run(int runs)
    {
        Console.WriteLine($"machine: {Environment.ProcessorCount} cores, {RuntimeInformation.OSDescription}, {RuntimeInformation.FrameworkDescription}");
        foreach (int wasmBytes in (int[])[1_200_000, DecodeValidateBenchmark.CodeBytes]) Run(SyntheticModule.Generate(wasmBytes), runs);
        return 0;
    }

    private static void Run(byte[] bytes, int runs)
    {
        using var engine = new Engine();
        var artifact = engine.PrecompileModule(bytes);
        var path = Path.Combine(Path.GetTempPath(), $"sharptime-bench-{Environment.ProcessId}.cwasm");
        File.WriteAllBytes(path, artifact);
        try
        {
            var text = Artifacts.ArtifactReader.Read(artifact).Get(Artifacts.ArtifactFormat.TextSection);
            var scratch = new double[runs];
            var file = new double[runs];
            var memory = new double[runs];
            // Warm-up: JIT the loader and the compiler, and bring the file into the page cache.
            for (int i = 0; i < 2; i++)
            {
                _ = Module.FromBytes(engine, bytes).Compiled;
                _ = Module.DeserializeFile(engine, path);
            }
            // One loop per measure: a load right after a compile pays for the collection of the compiler's garbage.
            for (int i = 0; i < runs; i++)
            {
                var sw = Stopwatch.StartNew();
                _ = Module.FromBytes(engine, bytes).Compiled;
                scratch[i] = sw.Elapsed.TotalMilliseconds;
            }
            GC.Collect();
            GC.WaitForPendingFinalizers();
            for (int i = 0; i < runs; i++)
            {
                var sw = Stopwatch.StartNew();
                _ = Module.DeserializeFile(engine, path);
                file[i] = sw.Elapsed.TotalMilliseconds;
            }
            for (int i = 0; i < runs; i++)
            {
                var sw = Stopwatch.StartNew();
                _ = Module.Deserialize(engine, artifact);
                memory[i] = sw.Elapsed.TotalMilliseconds;
            }

            Console.WriteLine();
            Console.WriteLine($"module: {bytes.Length:N0} bytes of wasm, {text.Size:N0} bytes of x86-64, artifact {artifact.Length:N0} bytes; {runs} runs each, median shown");
            Console.WriteLine();
            Console.WriteLine("| what | median ms | ratio to compiling |");
            Console.WriteLine("|---|---:|---:|");
            double baseline = CompileThroughput.Median(scratch);
            Console.WriteLine(Row("`Module.FromBytes` + compile (decode, validate, compile, map)", baseline, baseline));
            Console.WriteLine(Row("`Module.DeserializeFile` (map, checksum, check settings, register)", CompileThroughput.Median(file), baseline));
            Console.WriteLine(Row("`Module.Deserialize` from a byte array (copy into a memfd, then as above)", CompileThroughput.Median(memory), baseline));
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static string Row(string name, double ms, double baseline) =>
        string.Create(CultureInfo.InvariantCulture, $"| {name} | {ms:F3} | {ms / baseline:F4}x |");
}
