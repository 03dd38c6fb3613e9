using BenchmarkDotNet.Running;
using Sharptime.Benchmarks;

// `decode-throughput`: our decode+validate against V8's WebAssembly.validate on the same module, in
// one run (median of several), printed as a Markdown table. `compile-throughput`: the baseline JIT against V8's
// compile of the same module. `artifact-load`: DeserializeFile against compiling from scratch. `wasi`: the larger WASI
// test program against its native build. `instantiate-image`: instantiation with 1/16/256 MiB data images, with images
// on and off. `pooling`: instantiation and 1,000 live instances with the pooling allocator against on-demand allocation
// (`pooling-live` is its child process). Anything else goes to BenchmarkDotNet.
if (args.Length > 0 && args[0] == "decode-throughput")
{
    int runs = args.Length > 1 ? int.Parse(args[1]) : 15;
    return DecodeThroughput.Run(runs);
}
if (args.Length > 0 && args[0] == "compile-throughput")
{
    int runs = args.Length > 1 ? int.Parse(args[1]) : 9;
    return CompileThroughput.Run(runs);
}
if (args.Length > 0 && args[0] == "artifact-load")
{
    int runs = args.Length > 1 ? int.Parse(args[1]) : 9;
    return ArtifactLoad.Run(runs);
}
if (args.Length > 0 && args[0] == "cpu")
{
    string dir = args.Length > 1 ? args[1] : "bench/cpu";
    int runs = args.Length > 2 ? int.Parse(args[2]) : 7;
    // Optional: explicit | guard (one mode), both (each program timed in both modes side by side), or interruption
    // (each program with neither, epochs, fuel, and both, side by side).
    string? boundsChecks = args.Length > 3 ? args[3] : null;
    return boundsChecks switch
    {
        "both" => CpuSuite.RunBothBoundsChecks(dir, runs),
        "interruption" => CpuSuite.RunInterruption(dir, runs),
        _ => CpuSuite.Run(dir, runs, boundsChecks),
    };
}
if (args.Length > 0 && args[0] == "wasi")
{
    string dir = args.Length > 1 ? args[1] : "tests/programs";
    int runs = args.Length > 2 ? int.Parse(args[2]) : 7;
    int scale = args.Length > 3 ? int.Parse(args[3]) : 1;
    return WasiProgram.Run(dir, runs, scale);
}
if (args.Length > 0 && args[0] == "instantiate-image")
{
    int runs = args.Length > 1 ? int.Parse(args[1]) : 21;
    return InstantiateImage.Run(runs);
}
if (args.Length > 0 && args[0] == "pooling")
{
    int rounds = args.Length > 1 ? int.Parse(args[1]) : 5;
    int samples = args.Length > 2 ? int.Parse(args[2]) : 201;
    int liveRuns = args.Length > 3 ? int.Parse(args[3]) : 5;
    return Pooling.Run(rounds, samples, liveRuns);
}
if (args.Length > 2 && args[0] == "pooling-live")
{
    return Pooling.Live(args[1], args[2]);
}
BenchmarkSwitcher.FromAssembly(typeof(DecodeValidateBenchmark).Assembly).Run(args);
return 0;
