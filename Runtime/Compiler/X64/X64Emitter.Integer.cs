using Iced.Intel;

namespace Sharptime.Compiler.X64;

/// <summary>General-purpose integer instructions. Methods are named after their mnemonics.</summary>
internal sealed partial class X64Emitter
{
    // ---- add, or, and, sub, xor, cmp: opcode /digit forms ------------------------------------------

    public void add(AssemblerRegister32 dst, AssemblerRegister32 src) => RR(0, 0, 0, 0x01, N(src), N(dst));
    public void add(AssemblerRegister64 dst, AssemblerRegister64 src) => RR(0, RexW, 0, 0x01, N(src), N(dst));
    public void add(AssemblerRegister32 dst, Mem src) => RM(0, 0, 0, 0x03, N(dst), src);
    public void add(AssemblerRegister64 dst, Mem src) => RM(0, RexW, 0, 0x03, N(dst), src);
    public void add(Mem dst, AssemblerRegister32 src) => RM(0, 0, 0, 0x01, N(src), dst);
    public void add(Mem dst, AssemblerRegister64 src) => RM(0, RexW, 0, 0x01, N(src), dst);
    public void add(AssemblerRegister32 dst, int imm) => AluImmediate(0, 0, N(dst), imm);
    public void add(AssemblerRegister32 dst, uint imm) => AluImmediate(0, 0, N(dst), (int)imm);
    public void add(AssemblerRegister64 dst, int imm) => AluImmediate(0, RexW, N(dst), imm);
    public void add(Mem dst, int imm) => AluImmediate(0, dst, imm);

    public void @or(AssemblerRegister32 dst, AssemblerRegister32 src) => RR(0, 0, 0, 0x09, N(src), N(dst));
    public void @or(AssemblerRegister64 dst, AssemblerRegister64 src) => RR(0, RexW, 0, 0x09, N(src), N(dst));
    public void @or(AssemblerRegister32 dst, Mem src) => RM(0, 0, 0, 0x0b, N(dst), src);
    public void @or(AssemblerRegister64 dst, Mem src) => RM(0, RexW, 0, 0x0b, N(dst), src);
    public void @or(Mem dst, AssemblerRegister32 src) => RM(0, 0, 0, 0x09, N(src), dst);
    public void @or(Mem dst, AssemblerRegister64 src) => RM(0, RexW, 0, 0x09, N(src), dst);
    public void @or(AssemblerRegister32 dst, int imm) => AluImmediate(1, 0, N(dst), imm);
    public void @or(AssemblerRegister32 dst, uint imm) => AluImmediate(1, 0, N(dst), (int)imm);
    public void @or(AssemblerRegister64 dst, int imm) => AluImmediate(1, RexW, N(dst), imm);
    public void @or(Mem dst, int imm) => AluImmediate(1, dst, imm);

    public void @and(AssemblerRegister32 dst, AssemblerRegister32 src) => RR(0, 0, 0, 0x21, N(src), N(dst));
    public void @and(AssemblerRegister64 dst, AssemblerRegister64 src) => RR(0, RexW, 0, 0x21, N(src), N(dst));
    public void @and(AssemblerRegister32 dst, Mem src) => RM(0, 0, 0, 0x23, N(dst), src);
    public void @and(AssemblerRegister64 dst, Mem src) => RM(0, RexW, 0, 0x23, N(dst), src);
    public void @and(Mem dst, AssemblerRegister32 src) => RM(0, 0, 0, 0x21, N(src), dst);
    public void @and(Mem dst, AssemblerRegister64 src) => RM(0, RexW, 0, 0x21, N(src), dst);
    public void @and(AssemblerRegister32 dst, int imm) => AluImmediate(4, 0, N(dst), imm);
    public void @and(AssemblerRegister32 dst, uint imm) => AluImmediate(4, 0, N(dst), (int)imm);
    public void @and(AssemblerRegister64 dst, int imm) => AluImmediate(4, RexW, N(dst), imm);
    public void @and(Mem dst, int imm) => AluImmediate(4, dst, imm);

    public void sub(AssemblerRegister32 dst, AssemblerRegister32 src) => RR(0, 0, 0, 0x29, N(src), N(dst));
    public void sub(AssemblerRegister64 dst, AssemblerRegister64 src) => RR(0, RexW, 0, 0x29, N(src), N(dst));
    public void sub(AssemblerRegister32 dst, Mem src) => RM(0, 0, 0, 0x2b, N(dst), src);
    public void sub(AssemblerRegister64 dst, Mem src) => RM(0, RexW, 0, 0x2b, N(dst), src);
    public void sub(Mem dst, AssemblerRegister32 src) => RM(0, 0, 0, 0x29, N(src), dst);
    public void sub(Mem dst, AssemblerRegister64 src) => RM(0, RexW, 0, 0x29, N(src), dst);
    public void sub(AssemblerRegister32 dst, int imm) => AluImmediate(5, 0, N(dst), imm);
    public void sub(AssemblerRegister32 dst, uint imm) => AluImmediate(5, 0, N(dst), (int)imm);
    public void sub(AssemblerRegister64 dst, int imm) => AluImmediate(5, RexW, N(dst), imm);
    public void sub(Mem dst, int imm) => AluImmediate(5, dst, imm);

    public void xor(AssemblerRegister32 dst, AssemblerRegister32 src) => RR(0, 0, 0, 0x31, N(src), N(dst));
    public void xor(AssemblerRegister64 dst, AssemblerRegister64 src) => RR(0, RexW, 0, 0x31, N(src), N(dst));
    public void xor(AssemblerRegister32 dst, Mem src) => RM(0, 0, 0, 0x33, N(dst), src);
    public void xor(AssemblerRegister64 dst, Mem src) => RM(0, RexW, 0, 0x33, N(dst), src);
    public void xor(Mem dst, AssemblerRegister32 src) => RM(0, 0, 0, 0x31, N(src), dst);
    public void xor(Mem dst, AssemblerRegister64 src) => RM(0, RexW, 0, 0x31, N(src), dst);
    public void xor(AssemblerRegister32 dst, int imm) => AluImmediate(6, 0, N(dst), imm);
    public void xor(AssemblerRegister32 dst, uint imm) => AluImmediate(6, 0, N(dst), (int)imm);
    public void xor(AssemblerRegister64 dst, int imm) => AluImmediate(6, RexW, N(dst), imm);
    public void xor(Mem dst, int imm) => AluImmediate(6, dst, imm);

    public void cmp(AssemblerRegister32 dst, AssemblerRegister32 src) => RR(0, 0, 0, 0x39, N(src), N(dst));
    public void cmp(AssemblerRegister64 dst, AssemblerRegister64 src) => RR(0, RexW, 0, 0x39, N(src), N(dst));
    public void cmp(AssemblerRegister32 dst, Mem src) => RM(0, 0, 0, 0x3b, N(dst), src);
    public void cmp(AssemblerRegister64 dst, Mem src) => RM(0, RexW, 0, 0x3b, N(dst), src);
    public void cmp(Mem dst, AssemblerRegister32 src) => RM(0, 0, 0, 0x39, N(src), dst);
    public void cmp(Mem dst, AssemblerRegister64 src) => RM(0, RexW, 0, 0x39, N(src), dst);
    public void cmp(AssemblerRegister32 dst, int imm) => AluImmediate(7, 0, N(dst), imm);
    public void cmp(AssemblerRegister32 dst, uint imm) => AluImmediate(7, 0, N(dst), (int)imm);
    public void cmp(AssemblerRegister64 dst, int imm) => AluImmediate(7, RexW, N(dst), imm);
    public void cmp(Mem dst, int imm) => AluImmediate(7, dst, imm);

    private void AluImmediate(int digit, int flags, int dst, int imm)
    {
        if (imm == (sbyte)imm)
        {
            RR(0, flags, 0, 0x83, digit, dst);
            Byte(imm);
        }
        else
        {
            RR(0, flags, 0, 0x81, digit, dst);
            Int32(imm);
        }
    }

    private void AluImmediate(int digit, in Mem dst, int imm)
    {
        if (imm == (sbyte)imm)
        {
            RM(0, SizeFlags(dst), 0, 0x83, digit, dst);
            Byte(imm);
        }
        else
        {
            RM(0, SizeFlags(dst), 0, 0x81, digit, dst);
            Int32(imm);
        }
    }

    public void @and(AssemblerRegister8 dst, AssemblerRegister8 src) => RR(0, ByteRex(N(dst)) | ByteRex(N(src)), 0, 0x20, N(src), N(dst));
    public void @or(AssemblerRegister8 dst, AssemblerRegister8 src) => RR(0, ByteRex(N(dst)) | ByteRex(N(src)), 0, 0x08, N(src), N(dst));

    // ---- test --------------------------------------------------------------------------------------

    public void test(AssemblerRegister32 a, AssemblerRegister32 b) => RR(0, 0, 0, 0x85, N(b), N(a));
    public void test(AssemblerRegister64 a, AssemblerRegister64 b) => RR(0, RexW, 0, 0x85, N(b), N(a));
    public void test(AssemblerRegister8 a, AssemblerRegister8 b) => RR(0, ByteRex(N(a)) | ByteRex(N(b)), 0, 0x84, N(b), N(a));

    public void test(AssemblerRegister32 a, int imm)
    {
        RR(0, 0, 0, 0xF7, 0, N(a));
        Int32(imm);
    }

    public void test(AssemblerRegister64 a, int imm)
    {
        RR(0, RexW, 0, 0xF7, 0, N(a));
        Int32(imm);
    }

    // ---- moves -------------------------------------------------------------------------------------

    public void mov(AssemblerRegister32 dst, AssemblerRegister32 src) => RR(0, 0, 0, 0x89, N(src), N(dst));
    public void mov(AssemblerRegister64 dst, AssemblerRegister64 src) => RR(0, RexW, 0, 0x89, N(src), N(dst));
    public void mov(AssemblerRegister32 dst, Mem src) => RM(0, 0, 0, 0x8B, N(dst), src);
    public void mov(AssemblerRegister64 dst, Mem src) => RM(0, RexW, 0, 0x8B, N(dst), src);
    public void mov(Mem dst, AssemblerRegister32 src) => RM(0, 0, 0, 0x89, N(src), dst);
    public void mov(Mem dst, AssemblerRegister64 src) => RM(0, RexW, 0, 0x89, N(src), dst);
    public void mov(Mem dst, AssemblerRegister16 src) => RM(0x66, 0, 0, 0x89, N(src), dst);
    public void mov(Mem dst, AssemblerRegister8 src) => RM(0, ByteRex(N(src)), 0, 0x88, N(src), dst);

    public void mov(AssemblerRegister32 dst, int imm)
    {
        Reserve(MaxInstructionLength);
        int r = N(dst);
        if (r >= 8) Byte(0x41);
        Byte(0xB8 + (r & 7));
        Int32(imm);
    }

    public void mov(AssemblerRegister32 dst, uint imm) => mov(dst, (int)imm);

    /// <summary>Picks the shortest form: zero-extended imm32, sign-extended imm32, or the full imm64.</summary>
    public void mov(AssemblerRegister64 dst, long imm)
    {
        if ((ulong)imm <= uint.MaxValue)
        {
            mov(new AssemblerRegister32(Register.EAX + N(dst)), (int)(uint)imm);
        }
        else if (imm == (int)imm)
        {
            RR(0, RexW, 0, 0xC7, 0, N(dst));
            Int32((int)imm);
        }
        else
        {
            Reserve(MaxInstructionLength);
            int r = N(dst);
            Byte(0x48 | (r >> 3));
            Byte(0xB8 + (r & 7));
            Int64(imm);
        }
    }

    public void mov(AssemblerRegister64 dst, ulong imm) => mov(dst, (long)imm);

    public void mov(Mem dst, int imm)
    {
        switch (dst.Size)
        {
            case OperandSize.Byte:
                RM(0, 0, 0, 0xC6, 0, dst);
                Byte(imm);
                break;
            case OperandSize.Word:
                RM(0x66, 0, 0, 0xC7, 0, dst);
                Byte(imm);
                Byte(imm >> 8);
                break;
            default:
                RM(0, SizeFlags(dst), 0, 0xC7, 0, dst);
                Int32(imm);
                break;
        }
    }

    public void movzx(AssemblerRegister32 dst, AssemblerRegister8 src) => RR(0, ByteRex(N(src)), 1, 0xB6, N(dst), N(src));
    public void movzx(AssemblerRegister32 dst, AssemblerRegister16 src) => RR(0, 0, 1, 0xB7, N(dst), N(src));
    public void movzx(AssemblerRegister32 dst, Mem src) => RM(0, 0, 1, NarrowOpcode(src, 0xB6), N(dst), src);
    public void movsx(AssemblerRegister32 dst, AssemblerRegister8 src) => RR(0, ByteRex(N(src)), 1, 0xBE, N(dst), N(src));
    public void movsx(AssemblerRegister64 dst, AssemblerRegister8 src) => RR(0, RexW, 1, 0xBE, N(dst), N(src));
    public void movsx(AssemblerRegister32 dst, AssemblerRegister16 src) => RR(0, 0, 1, 0xBF, N(dst), N(src));
    public void movsx(AssemblerRegister64 dst, AssemblerRegister16 src) => RR(0, RexW, 1, 0xBF, N(dst), N(src));
    public void movsx(AssemblerRegister32 dst, Mem src) => RM(0, 0, 1, NarrowOpcode(src, 0xBE), N(dst), src);
    public void movsx(AssemblerRegister64 dst, Mem src) => RM(0, RexW, 1, NarrowOpcode(src, 0xBE), N(dst), src);
    public void movsxd(AssemblerRegister64 dst, AssemblerRegister32 src) => RR(0, RexW, 0, 0x63, N(dst), N(src));
    public void movsxd(AssemblerRegister64 dst, Mem src) => RM(0, RexW, 0, 0x63, N(dst), src);

    /// <summary>movzx/movsx from memory: the byte opcode, or the next one for a word.</summary>
    private static int NarrowOpcode(in Mem m, int byteOpcode) => m.Size switch
    {
        OperandSize.Byte => byteOpcode,
        OperandSize.Word => byteOpcode + 1,
        _ => throw new InvalidOperationException($"x64 emitter: movzx/movsx needs a byte or word memory operand, not {m.Size}"),
    };

    public void lea(AssemblerRegister64 dst, Mem src) => RM(0, RexW, 0, 0x8D, N(dst), src);
    public void lea(AssemblerRegister32 dst, Mem src) => RM(0, 0, 0, 0x8D, N(dst), src);

    /// <summary><c>lea dst, [rip + label]</c>.</summary>
    public void lea(AssemblerRegister64 dst, CodeLabel label)
    {
        Reserve(MaxInstructionLength);
        int r = N(dst);
        Byte(0x48 | ((r & 8) >> 1));
        Byte(0x8D);
        Byte(((r & 7) << 3) | 5);
        Rel32(label);
    }

    public void push(AssemblerRegister64 r)
    {
        Reserve(2);
        if (N(r) >= 8) Byte(0x41);
        Byte(0x50 + (N(r) & 7));
    }

    public void pop(AssemblerRegister64 r)
    {
        Reserve(2);
        if (N(r) >= 8) Byte(0x41);
        Byte(0x58 + (N(r) & 7));
    }

    // ---- shifts and rotates: C1 /digit ib, D1 /digit (by one), D3 /digit (by cl) ----------------------

    public void rol(AssemblerRegister32 dst, int count) => ShiftImmediate(0, 0, N(dst), count);
    public void rol(AssemblerRegister64 dst, int count) => ShiftImmediate(0, RexW, N(dst), count);
    public void rol(AssemblerRegister32 dst, AssemblerRegister8 count) => ShiftByCl(0, 0, N(dst), count);
    public void rol(AssemblerRegister64 dst, AssemblerRegister8 count) => ShiftByCl(0, RexW, N(dst), count);

    public void ror(AssemblerRegister32 dst, int count) => ShiftImmediate(1, 0, N(dst), count);
    public void ror(AssemblerRegister64 dst, int count) => ShiftImmediate(1, RexW, N(dst), count);
    public void ror(AssemblerRegister32 dst, AssemblerRegister8 count) => ShiftByCl(1, 0, N(dst), count);
    public void ror(AssemblerRegister64 dst, AssemblerRegister8 count) => ShiftByCl(1, RexW, N(dst), count);

    public void shl(AssemblerRegister32 dst, int count) => ShiftImmediate(4, 0, N(dst), count);
    public void shl(AssemblerRegister64 dst, int count) => ShiftImmediate(4, RexW, N(dst), count);
    public void shl(AssemblerRegister32 dst, AssemblerRegister8 count) => ShiftByCl(4, 0, N(dst), count);
    public void shl(AssemblerRegister64 dst, AssemblerRegister8 count) => ShiftByCl(4, RexW, N(dst), count);

    public void shr(AssemblerRegister32 dst, int count) => ShiftImmediate(5, 0, N(dst), count);
    public void shr(AssemblerRegister64 dst, int count) => ShiftImmediate(5, RexW, N(dst), count);
    public void shr(AssemblerRegister32 dst, AssemblerRegister8 count) => ShiftByCl(5, 0, N(dst), count);
    public void shr(AssemblerRegister64 dst, AssemblerRegister8 count) => ShiftByCl(5, RexW, N(dst), count);

    public void sar(AssemblerRegister32 dst, int count) => ShiftImmediate(7, 0, N(dst), count);
    public void sar(AssemblerRegister64 dst, int count) => ShiftImmediate(7, RexW, N(dst), count);
    public void sar(AssemblerRegister32 dst, AssemblerRegister8 count) => ShiftByCl(7, 0, N(dst), count);
    public void sar(AssemblerRegister64 dst, AssemblerRegister8 count) => ShiftByCl(7, RexW, N(dst), count);

    private void ShiftImmediate(int digit, int flags, int dst, int count)
    {
        if (count == 1)
        {
            RR(0, flags, 0, 0xD1, digit, dst);
        }
        else
        {
            RR(0, flags, 0, 0xC1, digit, dst);
            Byte(count);
        }
    }

    private void ShiftByCl(int digit, int flags, int dst, AssemblerRegister8 count)
    {
        if (count.Value != Register.CL) throw new InvalidOperationException("x64 emitter: a variable shift count must be in cl");
        RR(0, flags, 0, 0xD3, digit, dst);
    }

    // ---- multiply, divide, bit counts ----------------------------------------------------------------

    public void imul(AssemblerRegister32 dst, AssemblerRegister32 src) => RR(0, 0, 1, 0xAF, N(dst), N(src));
    public void imul(AssemblerRegister64 dst, AssemblerRegister64 src) => RR(0, RexW, 1, 0xAF, N(dst), N(src));

    public void imul(AssemblerRegister32 dst, AssemblerRegister32 src, int imm) => MultiplyImmediate(0, N(dst), N(src), imm);
    public void imul(AssemblerRegister64 dst, AssemblerRegister64 src, int imm) => MultiplyImmediate(RexW, N(dst), N(src), imm);

    private void MultiplyImmediate(int flags, int dst, int src, int imm)
    {
        if (imm == (sbyte)imm)
        {
            RR(0, flags, 0, 0x6B, dst, src);
            Byte(imm);
        }
        else
        {
            RR(0, flags, 0, 0x69, dst, src);
            Int32(imm);
        }
    }

    public void div(AssemblerRegister32 src) => RR(0, 0, 0, 0xF7, 6, N(src));
    public void div(AssemblerRegister64 src) => RR(0, RexW, 0, 0xF7, 6, N(src));
    public void idiv(AssemblerRegister32 src) => RR(0, 0, 0, 0xF7, 7, N(src));
    public void idiv(AssemblerRegister64 src) => RR(0, RexW, 0, 0xF7, 7, N(src));
    public void neg(AssemblerRegister32 r) => RR(0, 0, 0, 0xF7, 3, N(r));
    public void neg(AssemblerRegister64 r) => RR(0, RexW, 0, 0xF7, 3, N(r));
    public void not(AssemblerRegister32 r) => RR(0, 0, 0, 0xF7, 2, N(r));
    public void not(AssemblerRegister64 r) => RR(0, RexW, 0, 0xF7, 2, N(r));

    /// <summary><c>rep stosq</c>: stores rax to [rdi], rcx times.</summary>
    public void rep_stosq()
    {
        Reserve(3);
        Byte(0xF3);
        Byte(0x48);
        Byte(0xAB);
    }

    public void cdq()
    {
        Reserve(1);
        Byte(0x99);
    }

    public void cqo()
    {
        Reserve(2);
        Byte(0x48);
        Byte(0x99);
    }

    public void lzcnt(AssemblerRegister32 dst, AssemblerRegister32 src) => RR(0xF3, 0, 1, 0xBD, N(dst), N(src));
    public void lzcnt(AssemblerRegister64 dst, AssemblerRegister64 src) => RR(0xF3, RexW, 1, 0xBD, N(dst), N(src));
    public void tzcnt(AssemblerRegister32 dst, AssemblerRegister32 src) => RR(0xF3, 0, 1, 0xBC, N(dst), N(src));
    public void tzcnt(AssemblerRegister64 dst, AssemblerRegister64 src) => RR(0xF3, RexW, 1, 0xBC, N(dst), N(src));
    public void popcnt(AssemblerRegister32 dst, AssemblerRegister32 src) => RR(0xF3, 0, 1, 0xB8, N(dst), N(src));
    public void popcnt(AssemblerRegister64 dst, AssemblerRegister64 src) => RR(0xF3, RexW, 1, 0xB8, N(dst), N(src));

    public void bts(AssemblerRegister32 dst, int bit)
    {
        RR(0, 0, 1, 0xBA, 5, N(dst));
        Byte(bit);
    }

    public void bts(AssemblerRegister64 dst, int bit)
    {
        RR(0, RexW, 1, 0xBA, 5, N(dst));
        Byte(bit);
    }
}
