using System.Diagnostics;
namespace Sharptime.Benchmarks;
internal static class Scratch
{
    public static int Run()
    {
        var bytes = DecodeValidateBenchmark.CreateModule();
        using var engine = new Engine();
        var artifact = engine.PrecompileModule(bytes);
        var path = "/tmp/scratch.cwasm";
        File.WriteAllBytes(path, artifact);
        for (int round = 0; round < 4; round++)
        {
            var sw = Stopwatch.StartNew();
            var f = Vm.MappedArtifactFile.Open(path);
            double open = sw.Elapsed.TotalMilliseconds; sw.Restart();
            bool ok = Artifacts.ArtifactChecksum.Verify(f.Span);
            double check1 = sw.Elapsed.TotalMilliseconds; sw.Restart();
            Artifacts.ArtifactChecksum.Verify(f.Span);
            double check2 = sw.Elapsed.TotalMilliseconds; sw.Restart();
            var r = Artifacts.ArtifactReader.Read(f.Span);
            double read = sw.Elapsed.TotalMilliseconds; sw.Restart();
            var loaded = Artifacts.ArtifactLoader.Load(engine, Vm.MappedArtifactFile.Open(path));
            double load = sw.Elapsed.TotalMilliseconds;
            Console.WriteLine($"open {open:F3} checksum(cold) {check1:F3} checksum(warm) {check2:F3} read {read:F3} fullload {load:F3} ok={ok}");
        }
        return 0;
    }
}
