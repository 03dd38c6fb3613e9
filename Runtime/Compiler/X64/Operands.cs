using Iced.Intel;

namespace Sharptime.Compiler.X64;

/// <summary>A position in the code being emitted; bound once, referenced any number of times before or after.</summary>
internal readonly record struct CodeLabel(int Id);

/// <summary>Width of a memory operand, for the instructions whose encoding depends on it.</summary>
internal enum OperandSize : byte
{
    None,
    Byte,
    Word,
    Dword,
    Qword,
}

/// <summary>
/// A memory operand <c>[base + index*scale + disp]</c> with register numbers 0–15 (-1 for none). Built from Iced's
/// register arithmetic (<c>qword_ptr[rbp - 8]</c>) so the compiler reads like assembly.
/// </summary>
internal readonly struct Mem
{
    public readonly sbyte Base;
    public readonly sbyte Index;
    public readonly byte Scale;
    public readonly OperandSize Size;
    public readonly int Displacement;

    public Mem(int @base, int index, int scale, int displacement, OperandSize size)
    {
        Base = (sbyte)@base;
        Index = (sbyte)index;
        Scale = (byte)scale;
        Displacement = displacement;
        Size = size;
    }
}

/// <summary>Builds <see cref="Mem"/> operands of one width: <c>dword_ptr[rbp - 8]</c>, <c>qword_ptr[r13 + rcx*4 + 16]</c>.</summary>
internal readonly struct MemFactory(OperandSize size)
{
    public Mem this[AssemblerMemoryOperand m]
    {
        get
        {
            if (m.Displacement is < int.MinValue or > int.MaxValue)
                throw new InvalidOperationException($"x64 emitter: displacement {m.Displacement} does not fit in 32 bits");
            return new Mem(
                m.Base == Register.None ? -1 : X64Emitter.Number(m.Base),
                m.Index == Register.None ? -1 : X64Emitter.Number(m.Index),
                m.Index == Register.None ? 1 : m.Scale,
                (int)m.Displacement,
                size);
        }
    }

    public Mem this[AssemblerRegister64 r] => new(X64Emitter.Number(r.Value), -1, 1, 0, size);
}

/// <summary>Memory operand factories; use with <c>using static</c>.</summary>
internal static class Operands
{
    public static readonly MemFactory mem = new(OperandSize.None);
    public static readonly MemFactory byte_ptr = new(OperandSize.Byte);
    public static readonly MemFactory word_ptr = new(OperandSize.Word);
    public static readonly MemFactory dword_ptr = new(OperandSize.Dword);
    public static readonly MemFactory qword_ptr = new(OperandSize.Qword);
}
