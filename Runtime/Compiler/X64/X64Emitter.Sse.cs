using Iced.Intel;

namespace Sharptime.Compiler.X64;

/// <summary>SSE scalar float instructions and the moves between xmm and general registers.</summary>
internal sealed partial class X64Emitter
{
    public void addss(AssemblerRegisterXMM dst, AssemblerRegisterXMM src) => RR(0xf3, 0, 1, 0x58, N(dst), N(src));
    public void addss(AssemblerRegisterXMM dst, Mem src) => RM(0xf3, 0, 1, 0x58, N(dst), src);
    public void addsd(AssemblerRegisterXMM dst, AssemblerRegisterXMM src) => RR(0xf2, 0, 1, 0x58, N(dst), N(src));
    public void addsd(AssemblerRegisterXMM dst, Mem src) => RM(0xf2, 0, 1, 0x58, N(dst), src);
    public void subss(AssemblerRegisterXMM dst, AssemblerRegisterXMM src) => RR(0xf3, 0, 1, 0x5c, N(dst), N(src));
    public void subss(AssemblerRegisterXMM dst, Mem src) => RM(0xf3, 0, 1, 0x5c, N(dst), src);
    public void subsd(AssemblerRegisterXMM dst, AssemblerRegisterXMM src) => RR(0xf2, 0, 1, 0x5c, N(dst), N(src));
    public void subsd(AssemblerRegisterXMM dst, Mem src) => RM(0xf2, 0, 1, 0x5c, N(dst), src);
    public void mulss(AssemblerRegisterXMM dst, AssemblerRegisterXMM src) => RR(0xf3, 0, 1, 0x59, N(dst), N(src));
    public void mulss(AssemblerRegisterXMM dst, Mem src) => RM(0xf3, 0, 1, 0x59, N(dst), src);
    public void mulsd(AssemblerRegisterXMM dst, AssemblerRegisterXMM src) => RR(0xf2, 0, 1, 0x59, N(dst), N(src));
    public void mulsd(AssemblerRegisterXMM dst, Mem src) => RM(0xf2, 0, 1, 0x59, N(dst), src);
    public void divss(AssemblerRegisterXMM dst, AssemblerRegisterXMM src) => RR(0xf3, 0, 1, 0x5e, N(dst), N(src));
    public void divss(AssemblerRegisterXMM dst, Mem src) => RM(0xf3, 0, 1, 0x5e, N(dst), src);
    public void divsd(AssemblerRegisterXMM dst, AssemblerRegisterXMM src) => RR(0xf2, 0, 1, 0x5e, N(dst), N(src));
    public void divsd(AssemblerRegisterXMM dst, Mem src) => RM(0xf2, 0, 1, 0x5e, N(dst), src);
    public void minss(AssemblerRegisterXMM dst, AssemblerRegisterXMM src) => RR(0xf3, 0, 1, 0x5d, N(dst), N(src));
    public void minss(AssemblerRegisterXMM dst, Mem src) => RM(0xf3, 0, 1, 0x5d, N(dst), src);
    public void minsd(AssemblerRegisterXMM dst, AssemblerRegisterXMM src) => RR(0xf2, 0, 1, 0x5d, N(dst), N(src));
    public void minsd(AssemblerRegisterXMM dst, Mem src) => RM(0xf2, 0, 1, 0x5d, N(dst), src);
    public void maxss(AssemblerRegisterXMM dst, AssemblerRegisterXMM src) => RR(0xf3, 0, 1, 0x5f, N(dst), N(src));
    public void maxss(AssemblerRegisterXMM dst, Mem src) => RM(0xf3, 0, 1, 0x5f, N(dst), src);
    public void maxsd(AssemblerRegisterXMM dst, AssemblerRegisterXMM src) => RR(0xf2, 0, 1, 0x5f, N(dst), N(src));
    public void maxsd(AssemblerRegisterXMM dst, Mem src) => RM(0xf2, 0, 1, 0x5f, N(dst), src);
    public void sqrtss(AssemblerRegisterXMM dst, AssemblerRegisterXMM src) => RR(0xf3, 0, 1, 0x51, N(dst), N(src));
    public void sqrtss(AssemblerRegisterXMM dst, Mem src) => RM(0xf3, 0, 1, 0x51, N(dst), src);
    public void sqrtsd(AssemblerRegisterXMM dst, AssemblerRegisterXMM src) => RR(0xf2, 0, 1, 0x51, N(dst), N(src));
    public void sqrtsd(AssemblerRegisterXMM dst, Mem src) => RM(0xf2, 0, 1, 0x51, N(dst), src);
    public void ucomiss(AssemblerRegisterXMM dst, AssemblerRegisterXMM src) => RR(0x00, 0, 1, 0x2e, N(dst), N(src));
    public void ucomiss(AssemblerRegisterXMM dst, Mem src) => RM(0x00, 0, 1, 0x2e, N(dst), src);
    public void ucomisd(AssemblerRegisterXMM dst, AssemblerRegisterXMM src) => RR(0x66, 0, 1, 0x2e, N(dst), N(src));
    public void ucomisd(AssemblerRegisterXMM dst, Mem src) => RM(0x66, 0, 1, 0x2e, N(dst), src);
    public void xorps(AssemblerRegisterXMM dst, AssemblerRegisterXMM src) => RR(0x00, 0, 1, 0x57, N(dst), N(src));
    public void xorps(AssemblerRegisterXMM dst, Mem src) => RM(0x00, 0, 1, 0x57, N(dst), src);
    public void andps(AssemblerRegisterXMM dst, AssemblerRegisterXMM src) => RR(0x00, 0, 1, 0x54, N(dst), N(src));
    public void andps(AssemblerRegisterXMM dst, Mem src) => RM(0x00, 0, 1, 0x54, N(dst), src);
    public void andnps(AssemblerRegisterXMM dst, AssemblerRegisterXMM src) => RR(0x00, 0, 1, 0x55, N(dst), N(src));
    public void andnps(AssemblerRegisterXMM dst, Mem src) => RM(0x00, 0, 1, 0x55, N(dst), src);
    public void orps(AssemblerRegisterXMM dst, AssemblerRegisterXMM src) => RR(0x00, 0, 1, 0x56, N(dst), N(src));
    public void orps(AssemblerRegisterXMM dst, Mem src) => RM(0x00, 0, 1, 0x56, N(dst), src);
    public void cvtss2sd(AssemblerRegisterXMM dst, AssemblerRegisterXMM src) => RR(0xf3, 0, 1, 0x5a, N(dst), N(src));
    public void cvtss2sd(AssemblerRegisterXMM dst, Mem src) => RM(0xf3, 0, 1, 0x5a, N(dst), src);
    public void cvtsd2ss(AssemblerRegisterXMM dst, AssemblerRegisterXMM src) => RR(0xf2, 0, 1, 0x5a, N(dst), N(src));
    public void cvtsd2ss(AssemblerRegisterXMM dst, Mem src) => RM(0xf2, 0, 1, 0x5a, N(dst), src);
    public void movaps(AssemblerRegisterXMM dst, AssemblerRegisterXMM src) => RR(0x00, 0, 1, 0x28, N(dst), N(src));
    public void movaps(AssemblerRegisterXMM dst, Mem src) => RM(0x00, 0, 1, 0x28, N(dst), src);

    public void movss(AssemblerRegisterXMM dst, AssemblerRegisterXMM src) => RR(0xF3, 0, 1, 0x10, N(dst), N(src));
    public void movss(AssemblerRegisterXMM dst, Mem src) => RM(0xF3, 0, 1, 0x10, N(dst), src);
    public void movss(Mem dst, AssemblerRegisterXMM src) => RM(0xF3, 0, 1, 0x11, N(src), dst);
    public void movsd(AssemblerRegisterXMM dst, AssemblerRegisterXMM src) => RR(0xF2, 0, 1, 0x10, N(dst), N(src));
    public void movsd(AssemblerRegisterXMM dst, Mem src) => RM(0xF2, 0, 1, 0x10, N(dst), src);
    public void movsd(Mem dst, AssemblerRegisterXMM src) => RM(0xF2, 0, 1, 0x11, N(src), dst);

    public void movd(AssemblerRegisterXMM dst, AssemblerRegister32 src) => RR(0x66, 0, 1, 0x6E, N(dst), N(src));
    public void movd(AssemblerRegister32 dst, AssemblerRegisterXMM src) => RR(0x66, 0, 1, 0x7E, N(src), N(dst));
    public void movq(AssemblerRegisterXMM dst, AssemblerRegister64 src) => RR(0x66, RexW, 1, 0x6E, N(dst), N(src));
    public void movq(AssemblerRegister64 dst, AssemblerRegisterXMM src) => RR(0x66, RexW, 1, 0x7E, N(src), N(dst));

    public void cvttss2si(AssemblerRegister32 dst, AssemblerRegisterXMM src) => RR(0xF3, 0, 1, 0x2C, N(dst), N(src));
    public void cvttss2si(AssemblerRegister64 dst, AssemblerRegisterXMM src) => RR(0xF3, RexW, 1, 0x2C, N(dst), N(src));
    public void cvttsd2si(AssemblerRegister32 dst, AssemblerRegisterXMM src) => RR(0xF2, 0, 1, 0x2C, N(dst), N(src));
    public void cvttsd2si(AssemblerRegister64 dst, AssemblerRegisterXMM src) => RR(0xF2, RexW, 1, 0x2C, N(dst), N(src));
    public void cvtsi2ss(AssemblerRegisterXMM dst, AssemblerRegister32 src) => RR(0xF3, 0, 1, 0x2A, N(dst), N(src));
    public void cvtsi2ss(AssemblerRegisterXMM dst, AssemblerRegister64 src) => RR(0xF3, RexW, 1, 0x2A, N(dst), N(src));
    public void cvtsi2sd(AssemblerRegisterXMM dst, AssemblerRegister32 src) => RR(0xF2, 0, 1, 0x2A, N(dst), N(src));
    public void cvtsi2sd(AssemblerRegisterXMM dst, AssemblerRegister64 src) => RR(0xF2, RexW, 1, 0x2A, N(dst), N(src));

    public void roundss(AssemblerRegisterXMM dst, AssemblerRegisterXMM src, int mode)
    {
        RR(0x66, 0, 3, 0x0A, N(dst), N(src));
        Byte(mode);
    }

    public void roundsd(AssemblerRegisterXMM dst, AssemblerRegisterXMM src, int mode)
    {
        RR(0x66, 0, 3, 0x0B, N(dst), N(src));
        Byte(mode);
    }
}
