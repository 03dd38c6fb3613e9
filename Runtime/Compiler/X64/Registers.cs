using Iced.Intel;
using static Iced.Intel.AssemblerRegisters;

namespace Sharptime.Compiler.X64;

/// <summary>
/// Register roles of the baseline tier. Pinned: r14 = vmctx, r13 = memory 0 base, r15 = memory 0 definition.
/// r11 and xmm15 are scratch, never allocated. rsp/rbp keep the frame chain.
/// </summary>
internal static class Registers
{
    public const int Rax = 0, Rcx = 1, Rdx = 2, Rbx = 3, Rsp = 4, Rbp = 5, Rsi = 6, Rdi = 7;
    public const int R8 = 8, R9 = 9, R10 = 10, R11 = 11, R12 = 12, R13 = 13, R14 = 14, R15 = 15;

    public static readonly AssemblerRegister64[] Q =
        [rax, rcx, rdx, rbx, rsp, rbp, rsi, rdi, r8, r9, r10, r11, r12, r13, r14, r15];
    public static readonly AssemblerRegister32[] D =
        [eax, ecx, edx, ebx, esp, ebp, esi, edi, r8d, r9d, r10d, r11d, r12d, r13d, r14d, r15d];
    public static readonly AssemblerRegister16[] W =
        [ax, cx, dx, bx, sp, bp, si, di, r8w, r9w, r10w, r11w, r12w, r13w, r14w, r15w];
    public static readonly AssemblerRegister8[] B =
        [al, cl, dl, bl, spl, bpl, sil, dil, r8b, r9b, r10b, r11b, r12b, r13b, r14b, r15b];
    public static readonly AssemblerRegisterXMM[] X =
        [xmm0, xmm1, xmm2, xmm3, xmm4, xmm5, xmm6, xmm7, xmm8, xmm9, xmm10, xmm11, xmm12, xmm13, xmm14, xmm15];

    /// <summary>Allocatable general registers, in preference order (callee-saved ones last).</summary>
    public const ushort AllocatableGpr =
        (1 << Rax) | (1 << Rcx) | (1 << Rdx) | (1 << Rbx) | (1 << Rsi) | (1 << Rdi) | (1 << R8) | (1 << R9) | (1 << R10) | (1 << R12);

    /// <summary>xmm0–xmm14; xmm15 is scratch.</summary>
    public const ushort AllocatableXmm = 0x7FFF;

    public static readonly AssemblerRegister64 Vmctx = r14;
    public static readonly AssemblerRegister64 MemBase = r13;
    public static readonly AssemblerRegister64 MemDef = r15;
    public static readonly AssemblerRegister64 Scratch = r11;
    public static readonly AssemblerRegister32 Scratch32 = r11d;
    public static readonly AssemblerRegisterXMM ScratchXmm = xmm15;
}
