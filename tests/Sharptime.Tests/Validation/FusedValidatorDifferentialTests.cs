using Sharptime.Benchmarks;
using Sharptime.Format;
using Sharptime.Tests.Robustness;
using Sharptime.Validation;
using Xunit.Abstractions;

namespace Sharptime.Tests.Validation;

/// <summary>
/// The fused decode-and-validate loop (<see cref="OperatorValidator.ValidateFunctionBody"/>, used by
/// <see cref="FunctionBodyValidator.Validate(ModuleInfo, int)"/>) must judge every function body exactly as the general
/// per-operator path (<see cref="OperatorReader.Read"/> + <see cref="OperatorValidator.Validate"/>) does: both accept,
/// or both throw the same exception type with the same reason, offset and function index.
/// </summary>
public sealed class FusedValidatorDifferentialTests(ITestOutputHelper output)
{
    private const int Seed = 20261121;

    // Operators whose fast-path typing is easy to get subtly wrong: unreachable (Unknown) operands, globals,
    // typed blocks, if without else, select, calls, returns and branches carrying values, constants of every length.
    private const string EdgeCases = """
        (module
          (type $pair (func (param i32 i64) (result i64 i32)))
          (memory 1)
          (global $gm (mut f64) (f64.const 0))
          (global $gi i64 (i64.const 0))
          (func $callee (type $pair) (local.get 1) (local.get 0))
          (func (param i32 i64) (result i32) (local f32 f64 v128)
            (global.set $gm (f64.add (global.get $gm) (f64.convert_i64_s (global.get $gi))))
            (drop (call $callee (local.get 0) (local.get 1)))
            (local.set 2 (f32.const -0x1.fffffep127))
            (local.set 3 (f64.mul (local.get 3) (f64.const 1e300)))
            (drop (i64.const -9223372036854775808))
            (drop (i32.const -2147483648))
            (drop (i64.load32_u offset=4294967295 align=4 (i32.const 0)))
            (i32.store16 offset=65536 align=1 (i32.const 0) (i32.const 65535))
            (block $b (result i32)
              (loop $l (result i32)
                (drop (br_if $b (i32.const 7) (i32.eqz (local.get 0))))
                (if (result i32) (local.get 0) (then (i32.const 1)) (else (i32.const 2)))
                (br_if $l (i32.const 0))))
            (select (i32.const 3) (i32.const 4))
            (unreachable)
            (f64.sub)
            (drop)
            (select)
            (i64.eqz)
            (i32.add)
            (return))
          (type $ii (func (param i32) (result i32)))
          (func (param i32) (result i32)
            local.get 0
            local.get 0
            if (type $ii)
              i32.const 1
              i32.add
            end
            block (result i32)
              unreachable
            end
            i32.add
            block (result i64)
              unreachable
              call $callee
              br_if 0
              drop
              drop
            end
            drop)
          (func (result f32)
            (block (unreachable) (i64.eqz) (drop))
            (nop)
            (block $out (result f32) (br $out (f32.const 1)) (i32.const 5) (i32.popcnt) (drop))))
        """;

    [Fact]
    public void FusedPathAgreesWithGeneralPathOnValidModules()
    {
        int bodies = 0;
        foreach (var bytes in Corpus())
        {
            var module = ParseForBodies(bytes);
            Assert.NotNull(module);
            for (int i = 0; i < module.FunctionBodies.Count; i++)
            {
                var (fused, general) = Compare(module, i, $"valid module, body {i}");
                Assert.Null(fused);
                bodies++;
            }
        }
        output.WriteLine($"{bodies} valid bodies compared");
    }

    [Fact]
    public void FusedPathAgreesWithGeneralPathOnBodyMutations()
    {
        // Overwrite bytes inside function bodies only, so the module still parses and the bodies are what breaks.
        var random = new Random(Seed);
        var corpus = Corpus();
        int compared = 0, failed = 0;
        for (int c = 0; c < 12_000; c++)
        {
            var original = corpus[c % corpus.Count];
            var parsed = ParseForBodies(original)!;
            if (parsed.FunctionBodies.Count == 0) continue;
            var mutated = (byte[])original.Clone();
            var what = new List<string>();
            for (int k = random.Next(1, 4); k > 0; k--)
            {
                var body = parsed.FunctionBodies[random.Next(parsed.FunctionBodies.Count)];
                if (body.Length == 0) continue;
                int at = body.Offset + random.Next(body.Length);
                byte value = random.Next(4) switch
                {
                    0 => (byte)random.Next(256),
                    1 => (byte)(mutated[at] ^ (1 << random.Next(8))),
                    2 => (byte)random.Next(0x00, 0xC5), // single-byte opcodes
                    _ => InterestingBytes[random.Next(InterestingBytes.Length)],
                };
                mutated[at] = value;
                what.Add($"set@{at}={value:x2}");
            }

            var module = ParseForBodies(mutated);
            if (module is null) continue;
            string context = $"case {c} (seed {Seed}): {string.Join(", ", what)}";
            for (int i = 0; i < module.FunctionBodies.Count; i++)
            {
                var (fused, _) = Compare(module, i, $"{context}, body {i}");
                compared++;
                if (fused is not null) failed++;
            }
        }
        output.WriteLine($"{compared} bodies compared, {failed} rejected by both paths");
        // The mutations must reach the error paths, or the comparison proves little.
        Assert.True(failed > compared / 20, $"only {failed} of {compared} mutated bodies were rejected");
    }

    [Fact]
    public void FusedPathAgreesWithGeneralPathOnWholeModuleMutations()
    {
        var random = new Random(Seed + 1);
        var corpus = Corpus();
        int compared = 0;
        for (int c = 0; c < 12_000; c++)
        {
            var mutated = Mutator.Mutate(corpus[c % corpus.Count], random, out var description);
            var module = ParseForBodies(mutated);
            if (module is null) continue;
            for (int i = 0; i < module.FunctionBodies.Count; i++)
            {
                Compare(module, i, $"case {c} (seed {Seed + 1}): {description}, body {i}");
                compared++;
            }
        }
        output.WriteLine($"{compared} bodies compared");
    }

    // Opcode bytes of the fused path's kinds plus LEB continuation, block type and value type bytes.
    private static readonly byte[] InterestingBytes =
    [
        0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x0B, 0x0C, 0x0D, 0x0F, 0x10, 0x1A, 0x1B, 0x20, 0x21, 0x22, 0x23, 0x24,
        0x28, 0x29, 0x36, 0x37, 0x41, 0x42, 0x43, 0x44, 0x45, 0x50, 0x6A, 0x7C, 0x92, 0xA0, 0xA7, 0xBC, 0xFC, 0xFD,
        0x40, 0x7F, 0x7E, 0x7D, 0x7C, 0x7B, 0x70, 0x6F, 0x80, 0xFF, 0x1F, 0x20, 0x3F,
    ];

    private static List<byte[]> Corpus()
    {
        var corpus = new List<byte[]>(MutationCorpus.BinaryModules) { Module.ConvertText(EdgeCases) };
        for (int seed = 1; seed <= 3; seed++) corpus.Add(SyntheticModule.Generate(32 * 1024, seed));
        return corpus;
    }

    /// <summary>The module decoded and validated up to (not including) its function bodies, or null when that fails.</summary>
    private static ModuleInfo? ParseForBodies(byte[] bytes)
    {
        try
        {
            var module = ModuleParser.Parse(bytes);
            ModuleValidator.ValidateModuleLevel(module);
            return module;
        }
        catch (WasmException)
        {
            return null;
        }
    }

    // Reused across cases (as in production), so state left behind by a failed body would show up as a difference.
    private readonly OperatorValidator _fusedValidator = new();
    private readonly LocalTypes _fusedLocals = new();
    private readonly OperatorValidator _generalValidator = new();
    private readonly LocalTypes _generalLocals = new();

    /// <summary>Runs both paths on one body and asserts they agree; returns their outcomes (null is success).</summary>
    private (WasmException? Fused, WasmException? General) Compare(ModuleInfo module, int definedIndex, string context)
    {
        var fused = Run(() => FunctionBodyValidator.Validate(module, definedIndex, _fusedValidator, _fusedLocals));
        var general = Run(() => FunctionBodyValidator.ValidateGeneral(module, definedIndex, _generalValidator, _generalLocals));
        string f = Describe(fused), g = Describe(general);
        Assert.True(f == g, $"{context}: fused path {f}, general path {g}");
        return (fused, general);
    }

    private static WasmException? Run(Action action)
    {
        try
        {
            action();
            return null;
        }
        catch (WasmException e)
        {
            // Anything else escaping is a bug of its own; let it fail the test.
            Assert.True(e is MalformedModuleException or InvalidModuleException, e.ToString());
            return e;
        }
    }

    private static string Describe(WasmException? e) => e switch
    {
        null => "accepts",
        MalformedModuleException m => $"malformed '{m.Reason}' at {m.ByteOffset}",
        InvalidModuleException v => $"invalid '{v.Reason}' at {v.ByteOffset} in function {v.FunctionIndex}",
        _ => $"{e.GetType().Name}: {e.Message}",
    };
}
