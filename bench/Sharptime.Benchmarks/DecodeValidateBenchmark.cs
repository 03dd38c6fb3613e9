using BenchmarkDotNet.Attributes;
using Sharptime.Validation;

namespace Sharptime.Benchmarks;

/// <summary>Decode + validate throughput of the front end on a large module (≥ 5 MB of code).</summary>
[MemoryDiagnoser]
public class DecodeValidateBenchmark
{
    /// <summary>Code bytes in the generated module.</summary>
    public const int CodeBytes = 6 * 1024 * 1024;

    private byte[] _module = [];

    /// <summary>The module under test (also written to disk for the V8 baseline).</summary>
    public static byte[] CreateModule() => SyntheticModule.Generate(CodeBytes);

    [GlobalSetup]
    public void Setup() => _module = CreateModule();

    [Benchmark]
    public object DecodeAndValidate() => WasmFrontEnd.DecodeAndValidate(_module);
}
