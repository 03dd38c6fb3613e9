using Iced.Intel;

namespace Sharptime.Compiler.X64;

/// <summary>Condition-code driven instructions, which Iced exposes only as one method per condition.</summary>
internal static class Emit
{
    public static void Jcc(Assembler a, ConditionCode cc, Label target)
    {
        switch (cc)
        {
            case ConditionCode.e: a.je(target); break;
            case ConditionCode.ne: a.jne(target); break;
            case ConditionCode.l: a.jl(target); break;
            case ConditionCode.le: a.jle(target); break;
            case ConditionCode.g: a.jg(target); break;
            case ConditionCode.ge: a.jge(target); break;
            case ConditionCode.b: a.jb(target); break;
            case ConditionCode.be: a.jbe(target); break;
            case ConditionCode.a: a.ja(target); break;
            case ConditionCode.ae: a.jae(target); break;
            case ConditionCode.p: a.jp(target); break;
            case ConditionCode.np: a.jnp(target); break;
            case ConditionCode.s: a.js(target); break;
            case ConditionCode.ns: a.jns(target); break;
            default: throw new ArgumentOutOfRangeException(nameof(cc), cc, null);
        }
    }

    public static void Setcc(Assembler a, ConditionCode cc, AssemblerRegister8 r)
    {
        switch (cc)
        {
            case ConditionCode.e: a.sete(r); break;
            case ConditionCode.ne: a.setne(r); break;
            case ConditionCode.l: a.setl(r); break;
            case ConditionCode.le: a.setle(r); break;
            case ConditionCode.g: a.setg(r); break;
            case ConditionCode.ge: a.setge(r); break;
            case ConditionCode.b: a.setb(r); break;
            case ConditionCode.be: a.setbe(r); break;
            case ConditionCode.a: a.seta(r); break;
            case ConditionCode.ae: a.setae(r); break;
            case ConditionCode.p: a.setp(r); break;
            case ConditionCode.np: a.setnp(r); break;
            case ConditionCode.s: a.sets(r); break;
            case ConditionCode.ns: a.setns(r); break;
            default: throw new ArgumentOutOfRangeException(nameof(cc), cc, null);
        }
    }

    public static void Cmov(Assembler a, ConditionCode cc, AssemblerRegister64 d, AssemblerRegister64 s)
    {
        switch (cc)
        {
            case ConditionCode.e: a.cmove(d, s); break;
            case ConditionCode.ne: a.cmovne(d, s); break;
            case ConditionCode.l: a.cmovl(d, s); break;
            case ConditionCode.le: a.cmovle(d, s); break;
            case ConditionCode.g: a.cmovg(d, s); break;
            case ConditionCode.ge: a.cmovge(d, s); break;
            case ConditionCode.b: a.cmovb(d, s); break;
            case ConditionCode.be: a.cmovbe(d, s); break;
            case ConditionCode.a: a.cmova(d, s); break;
            case ConditionCode.ae: a.cmovae(d, s); break;
            case ConditionCode.p: a.cmovp(d, s); break;
            case ConditionCode.np: a.cmovnp(d, s); break;
            case ConditionCode.s: a.cmovs(d, s); break;
            case ConditionCode.ns: a.cmovns(d, s); break;
            default: throw new ArgumentOutOfRangeException(nameof(cc), cc, null);
        }
    }

    public static ConditionCode Negate(ConditionCode cc) => cc switch
    {
        ConditionCode.e => ConditionCode.ne,
        ConditionCode.ne => ConditionCode.e,
        ConditionCode.l => ConditionCode.ge,
        ConditionCode.ge => ConditionCode.l,
        ConditionCode.le => ConditionCode.g,
        ConditionCode.g => ConditionCode.le,
        ConditionCode.b => ConditionCode.ae,
        ConditionCode.ae => ConditionCode.b,
        ConditionCode.be => ConditionCode.a,
        ConditionCode.a => ConditionCode.be,
        ConditionCode.p => ConditionCode.np,
        ConditionCode.np => ConditionCode.p,
        ConditionCode.s => ConditionCode.ns,
        ConditionCode.ns => ConditionCode.s,
        _ => throw new ArgumentOutOfRangeException(nameof(cc), cc, null),
    };
}
