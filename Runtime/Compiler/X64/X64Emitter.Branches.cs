using Iced.Intel;

namespace Sharptime.Compiler.X64;

/// <summary>
/// Control transfer and condition-code instructions. A branch to a label already bound takes the short form when
/// it reaches; forward branches are always rel32, patched in <see cref="Finish"/>.
/// </summary>
internal sealed partial class X64Emitter
{
    public void jmp(CodeLabel target)
    {
        Reserve(MaxInstructionLength);
        if (TryShortBranch(0xEB, target)) return;
        Byte(0xE9);
        Rel32(target);
    }

    public void jmp(AssemblerRegister64 target) => RR(0, 0, 0, 0xFF, 4, N(target));
    public void jmp(Mem target) => RM(0, 0, 0, 0xFF, 4, target);

    public void jno(CodeLabel target) => Jcc(0x1, target);
    public void jb(CodeLabel target) => Jcc(0x2, target);
    public void jae(CodeLabel target) => Jcc(0x3, target);
    public void je(CodeLabel target) => Jcc(0x4, target);
    public void jne(CodeLabel target) => Jcc(0x5, target);
    public void jbe(CodeLabel target) => Jcc(0x6, target);
    public void ja(CodeLabel target) => Jcc(0x7, target);
    public void js(CodeLabel target) => Jcc(0x8, target);
    public void jns(CodeLabel target) => Jcc(0x9, target);
    public void jp(CodeLabel target) => Jcc(0xA, target);
    public void jnp(CodeLabel target) => Jcc(0xB, target);
    public void jl(CodeLabel target) => Jcc(0xC, target);
    public void jge(CodeLabel target) => Jcc(0xD, target);
    public void jle(CodeLabel target) => Jcc(0xE, target);
    public void jg(CodeLabel target) => Jcc(0xF, target);

    /// <summary>Jump when <paramref name="cc"/> holds.</summary>
    public void jcc(ConditionCode cc, CodeLabel target) => Jcc(Encoding(cc), target);

    private void Jcc(int cc, CodeLabel target)
    {
        Reserve(MaxInstructionLength);
        if (TryShortBranch(0x70 + cc, target)) return;
        Byte(0x0F);
        Byte(0x80 + cc);
        Rel32(target);
    }

    /// <summary>The two-byte rel8 form, when <paramref name="target"/> is already bound and within reach.</summary>
    private bool TryShortBranch(int opcode, CodeLabel target)
    {
        int bound = _labels[target.Id];
        int rel = bound - (_pos + 2);
        if (bound < 0 || rel != (sbyte)rel) return false;
        Byte(opcode);
        Byte(rel);
        return true;
    }

    public void call(CodeLabel target)
    {
        Reserve(MaxInstructionLength);
        Byte(0xE8);
        Rel32(target);
    }

    public void call(AssemblerRegister64 target) => RR(0, 0, 0, 0xFF, 2, N(target));
    public void call(Mem target) => RM(0, 0, 0, 0xFF, 2, target);

    public void ret()
    {
        Reserve(1);
        Byte(0xC3);
    }

    /// <summary>Sets the byte register to 1 when <paramref name="cc"/> holds, else 0.</summary>
    public void setcc(ConditionCode cc, AssemblerRegister8 dst) => RR(0, ByteRex(N(dst)), 1, 0x90 + Encoding(cc), 0, N(dst));

    /// <summary>Moves when <paramref name="cc"/> holds.</summary>
    public void cmovcc(ConditionCode cc, AssemblerRegister64 dst, AssemblerRegister64 src) => RR(0, RexW, 1, 0x40 + Encoding(cc), N(dst), N(src));

    public void cmovcc(ConditionCode cc, AssemblerRegister32 dst, AssemblerRegister32 src) => RR(0, 0, 1, 0x40 + Encoding(cc), N(dst), N(src));

    /// <summary>The 4-bit condition field; Iced numbers conditions from 1 in hardware order.</summary>
    private static int Encoding(ConditionCode cc) =>
        cc is > ConditionCode.None and <= ConditionCode.g ? (int)cc - 1 : throw new InvalidOperationException($"x64 emitter: no condition {cc}");
}
