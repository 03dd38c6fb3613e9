using Iced.Intel;
using Sharptime.Compiler.X64;
using static Iced.Intel.AssemblerRegisters;
using static Sharptime.Compiler.X64.Operands;

namespace Sharptime.Tests.Compiler;

/// <summary>The signal handler's extra instructions decode (by Iced) as what was asked for.</summary>
public sealed class X64EmitterSignalTests
{
    private static string Emit(Action<X64Emitter> emit)
    {
        var e = new X64Emitter();
        emit(e);
        var code = e.Finish();
        var decoder = Decoder.Create(64, new ByteArrayCodeReader(code));
        var formatter = new NasmFormatter();
        var output = new StringOutput();
        var lines = new List<string>();
        while (decoder.IP < (ulong)code.Length)
        {
            decoder.Decode(out var instruction);
            Assert.False(instruction.IsInvalid, Convert.ToHexString(code));
            formatter.Format(instruction, output);
            lines.Add(output.ToStringAndReset());
        }
        return string.Join("; ", lines);
    }

    [Fact]
    public void LockedIncrementAndDecrementOfAQword()
    {
        Assert.Equal("lock inc qword [r8+8]; lock dec qword [r8+160h]",
            Emit(e => { e.lock_inc(qword_ptr[r8 + 8]); e.lock_dec(qword_ptr[r8 + 352]); }));
    }

    [Fact]
    public void Syscall() => Assert.Equal("syscall", Emit(e => e.syscall()));
}
