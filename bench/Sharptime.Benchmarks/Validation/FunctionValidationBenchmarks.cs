using BenchmarkDotNet.Attributes;
using Sharptime.Format;
using Sharptime.Validation;

namespace Sharptime.Benchmarks.Validation;

/// <summary>
/// Decoding and validating one large function body (about 6 MB of a typical integer/memory/control mix, 2.8 million
/// operators). Divide the body size by the mean time for MB/s.
/// </summary>
[MemoryDiagnoser]
public class FunctionValidationBenchmarks
{
    private const int Repetitions = 200_000;

    private ModuleInfo _module = null!;
    private readonly OperatorValidator _validator = new();
    private readonly LocalTypes _locals = new();

    [GlobalSetup]
    public void Setup()
    {
        // locals: 2 x i32. Each repetition: local.get 0, i32.const 5, i32.add, local.get 1, i32.load offset=16, i32.mul,
        // local.set 0, block, local.get 0, br_if 0, end, f64.const 1, f64.sqrt, drop.
        byte[] repetition =
        [
            0x20, 0x00, 0x41, 0x05, 0x6A, 0x20, 0x01, 0x28, 0x02, 0x10, 0x6C, 0x21, 0x00,
            0x02, 0x40, 0x20, 0x00, 0x0D, 0x00, 0x0B, 0x44, 0, 0, 0, 0, 0, 0, 0xF0, 0x3F, 0x9F, 0x1A,
        ];
        var bytes = new List<byte>(8 + 4 + repetition.Length * Repetitions) { 0x00, 0x61, 0x73, 0x6D, 0x01, 0x00, 0x00, 0x00 };
        int bodyStart = bytes.Count;
        bytes.AddRange([0x01, 0x02, 0x7F]);
        for (int i = 0; i < Repetitions; i++) bytes.AddRange(repetition);
        bytes.Add(0x0B);

        _module = new ModuleInfo(bytes.ToArray());
        _module.Types.Add(new FuncType([], []));
        _module.FunctionTypeIndices.Add(0);
        _module.Memories.Add(new WasmMemoryType(new Limits(1, null)));
        _module.FunctionBodies.Add(new FunctionBody(bodyStart, bytes.Count - bodyStart));
    }

    [Benchmark]
    public int DecodeOperators()
    {
        var reader = OperatorReader.ForFunctionBody(_module, 0);
        _locals.Reset([]);
        reader.ReadLocalDeclarations(_locals);
        int sum = 0;
        while (!reader.IsAtEnd)
        {
            reader.Read(out var op);
            sum += (int)op.Opcode;
        }
        return sum;
    }

    [Benchmark]
    public void DecodeAndValidate() => FunctionBodyValidator.Validate(_module, 0, _validator, _locals);
}
