using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using Sharptime.Vm;

namespace Sharptime.Benchmarks;

/// <summary>
/// Instantiation of a module whose memory starts with 1, 16 or 256 MiB of data: with copy-on-write memory images (from
/// the module's memfd, and from a precompiled artifact file loaded with <c>Module.DeserializeFile</c>), with images switched off (every byte copied), and for the same memory without data. Each sample is one
/// <c>Linker.Instantiate</c> in a fresh store (store creation and disposal are outside the timing); medians are shown.
/// A second measurement adds writing one byte per 4 KiB page afterwards, where the image path pays its page copies.
/// </summary>
internal static class InstantiateImage
{
    public static int Run(int runs)
    {
        using var engine = new Engine();
        var linker = new Linker<int>(engine);
        Console.WriteLine($"{runs} runs per cell (copy path at 256 MiB: {Math.Max(3, runs / 4)}), median shown");
        Console.WriteLine($"machine: {Environment.ProcessorCount} cores, {RuntimeInformation.OSDescription}, {RuntimeInformation.FrameworkDescription}, page {Environment.SystemPageSize} B");
        Console.WriteLine();
        Console.WriteLine("| data | no data (same memory) | image | image, module from a .cwasm file | copy (images off) | image vs no data | copy / image | image, once per module (plan + memfd) |");
        Console.WriteLine("|---:|---:|---:|---:|---:|---:|---:|---:|");
        var touchRows = new List<string>();
        foreach (int mib in new[] { 1, 16, 256 })
        {
            int bytes = mib << 20;
            uint pages = (uint)(bytes / 65536) + 1;
            var wasm = DataModule(pages, Pattern(bytes));
            var withData = Module.FromBytes(engine, wasm);
            var artifactPath = Path.Combine(Path.GetTempPath(), $"sharptime-bench-image-{Environment.ProcessId}-{mib}.cwasm");
            File.WriteAllBytes(artifactPath, engine.PrecompileModule(wasm));
            var fromFile = Module.DeserializeFile(engine, artifactPath);
            File.Delete(artifactPath); // the mapping keeps the file's pages
            var noData = Module.FromBytes(engine, DataModule(pages, []));
            var setup = Stopwatch.StartNew();
            _ = withData.MemoryImages; // the one-time cost: plan and write the memfd
            double setupUs = setup.Elapsed.TotalMicroseconds;
            int copyRuns = mib >= 256 ? Math.Max(3, runs / 4) : runs;

            double none = Median(linker, noData, runs, touch: false);
            double image = Median(linker, withData, runs, touch: false);
            double file = Median(linker, fromFile, runs, touch: false);
            double copy = WithImagesOff(() => Median(linker, withData, copyRuns, touch: false));
            Console.WriteLine(F($"| {mib} MiB | {Us(none)} | {Us(image)} | {Us(file)} | {Us(copy)} | {image / none:F2}x | {copy / image:F0}x | {Us(setupUs)} |"));

            double imageTouch = Median(linker, withData, copyRuns, touch: true);
            double copyTouch = WithImagesOff(() => Median(linker, withData, copyRuns, touch: true));
            touchRows.Add(F($"| {mib} MiB | {Us(imageTouch)} | {Us(copyTouch)} | {copyTouch / imageTouch:F2}x |"));
        }
        Console.WriteLine();
        Console.WriteLine("Instantiate, then write one byte in every 4 KiB page of the data:");
        Console.WriteLine();
        Console.WriteLine("| data | image | copy (images off) | copy / image |");
        Console.WriteLine("|---:|---:|---:|---:|");
        foreach (var row in touchRows) Console.WriteLine(row);
        return 0;
    }

    private static double WithImagesOff(Func<double> measure)
    {
        Instantiator.MemoryImagesDisabled = true;
        try
        {
            return measure();
        }
        finally
        {
            Instantiator.MemoryImagesDisabled = false;
        }
    }

    /// <summary>Median microseconds of one instantiation (plus, with <paramref name="touch"/>, a write per 4 KiB of data).</summary>
    private static double Median(Linker<int> linker, Module module, int runs, bool touch)
    {
        var samples = new double[runs];
        for (int i = -2; i < runs; i++) // two warm-up rounds
        {
            var store = new Store<int>(module.Engine, 0);
            long start = Stopwatch.GetTimestamp();
            var instance = linker.Instantiate(store, module);
            if (touch)
            {
                var memory = instance.GetMemory("mem")!.GetSpan();
                for (int at = 0; at < memory.Length - 65536; at += 4096) memory[at] = 1;
            }
            double us = Stopwatch.GetElapsedTime(start).TotalMicroseconds;
            store.Dispose();
            if (i >= 0) samples[i] = us;
        }
        Array.Sort(samples);
        return runs % 2 == 1 ? samples[runs / 2] : (samples[runs / 2 - 1] + samples[runs / 2]) / 2;
    }

    /// <summary>Incompressible-looking bytes: a random 1 MiB block repeated, cheap to make at 256 MiB.</summary>
    internal static byte[] Pattern(int length)
    {
        var block = new byte[1 << 20];
        new Random(42).NextBytes(block);
        var bytes = GC.AllocateUninitializedArray<byte>(length);
        for (int at = 0; at < length; at += block.Length) block.AsSpan(0, Math.Min(block.Length, length - at)).CopyTo(bytes.AsSpan(at));
        return bytes;
    }

    /// <summary><c>(module (memory (export "mem") pages) (data (i32.const 0) bytes))</c>, or no data section when empty.</summary>
    internal static byte[] DataModule(uint pages, byte[] data)
    {
        var output = new MemoryStream();
        output.Write([0x00, 0x61, 0x73, 0x6D, 0x01, 0x00, 0x00, 0x00]);
        Section(output, 5, [0x01, 0x00, .. Leb(pages)]);
        Section(output, 7, [0x01, 0x03, (byte)'m', (byte)'e', (byte)'m', 0x02, 0x00]);
        if (data.Length > 0)
        {
            var body = new MemoryStream();
            body.Write([0x01, 0x00, 0x41, 0x00, 0x0B, .. Leb((uint)data.Length)]);
            body.Write(data);
            Section(output, 11, body.ToArray());
        }
        return output.ToArray();
    }

    private static void Section(MemoryStream output, byte id, byte[] body)
    {
        output.WriteByte(id);
        output.Write(Leb((uint)body.Length));
        output.Write(body);
    }

    private static byte[] Leb(uint value)
    {
        var list = new List<byte>();
        do
        {
            byte b = (byte)(value & 0x7F);
            value >>= 7;
            if (value != 0) b |= 0x80;
            list.Add(b);
        } while (value != 0);
        return [.. list];
    }

    private static string Us(double us) => us >= 1000 ? F($"{us / 1000:F1} ms") : F($"{us:F1} µs");

    private static string F(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
