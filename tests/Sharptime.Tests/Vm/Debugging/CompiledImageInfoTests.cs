using Sharptime.Vm.Unwind;

namespace Sharptime.Tests.Vm.Debugging;

/// <summary>The symbols and unwind tables of compiled modules describe what the compiler emitted.</summary>
public sealed class CompiledImageInfoTests
{
    private static readonly Engine Engine = new();

    private const string Calc = """
        (module $calc
          (func $inner (param i32) (result i32) (i32.div_s (local.get 0) (i32.const 3)))
          (func $outer (export "outer") (param i32) (result i32) (i32.add (call $inner (local.get 0)) (i32.const 1)))
          (func (export "anonymous") (param i64) (result i64) (local.get 0)))
        """;

    [Fact]
    public void EveryFunctionAndEntryTrampolineHasAnFdeWithItsFrameRule()
    {
        var compiled = Module.FromText(Engine, Calc).Compiled!;
        var table = compiled.Memory.UnwindTable!;
        foreach (int offset in compiled.Compiled.FunctionOffsets.Concat(compiled.Compiled.ArrayEntryOffsets))
        {
            nint start = compiled.Memory.Address + offset;
            Assert.True(table.TryFindFunction((nuint)start, out int index), $"no FDE at offset {offset}");
            Assert.Equal((nuint)start, table.FunctionStart(index));
            Assert.True(table.TryGetRule((nuint)start + 4, out var register, out int cfa, out _));
            Assert.Equal((UnwindRegister.Rbp, 16), (register, cfa));
        }
    }

    private static ReadOnlySpan<byte> Epilogue => [0x48, 0x89, 0xEC, 0x5D, 0xC3]; // mov rsp, rbp; pop rbp; ret

    [Fact]
    public void TrapStubsAfterTheEpilogueUnwindThroughTheFramePointer()
    {
        var compiled = Module.FromText(Engine, Calc).Compiled!;
        var code = compiled.Compiled.Code;
        int inner = compiled.Compiled.FunctionOffsets[0], end = compiled.Compiled.FunctionOffsets[1];
        int ret = code.AsSpan(inner, end - inner).LastIndexOf(Epilogue) + inner + 4;
        Assert.True(ret + 1 < end, "i32.div_s is expected to leave trap stubs after the ret");
        var table = compiled.Memory.UnwindTable!;
        Assert.True(table.TryGetRule((nuint)(compiled.Memory.Address + ret), out var atRet, out int cfaAtRet, out _));
        Assert.True(table.TryGetRule((nuint)(compiled.Memory.Address + ret + 1), out var afterRet, out int cfaAfterRet, out _));
        Assert.Equal((UnwindRegister.Rsp, 8), (atRet, cfaAtRet));
        Assert.Equal((UnwindRegister.Rbp, 16), (afterRet, cfaAfterRet));
    }

    [Fact]
    public void SymbolsAreNamedAfterTheModuleAndTheNameSection()
    {
        var compiled = Module.FromText(Engine, Calc).Compiled!;
        var names = compiled.Memory.Symbols.ToArray().Select(s => s.Name).ToArray();
        Assert.Equal(
            ["calc!inner", "calc!outer", "calc!func2", "calc!array_entry[inner]", "calc!array_entry[outer]", "calc!array_entry[func2]", "calc!raise_entries", "calc!raise_trap"],
            names);
    }

    [Fact]
    public void SymbolsCoverTheTextLeavingOnlyAlignmentPadding()
    {
        var compiled = Module.FromText(Engine, Calc).Compiled!;
        var code = compiled.Compiled.Code;
        int next = 0;
        foreach (var symbol in compiled.Memory.Symbols)
        {
            Assert.True(symbol.Offset >= next, $"{symbol.Name} overlaps its predecessor");
            Assert.True(symbol.Offset - next < 16, $"a gap of {symbol.Offset - next} bytes before {symbol.Name}");
            Assert.All(code[next..symbol.Offset], b => Assert.Equal(0xCC, b));
            next = symbol.Offset + symbol.Length;
        }
        Assert.Equal(compiled.Memory.Length, next);
    }
}
