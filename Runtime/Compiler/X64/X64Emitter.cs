using System.Buffers.Binary;
using System.Numerics;
using System.Runtime.CompilerServices;
using Iced.Intel;

namespace Sharptime.Compiler.X64;

/// <summary>
/// Writes x86-64 machine code straight into a byte buffer: the instruction forms the baseline tier uses, with
/// labels and rel32 fixups resolved in <see cref="Finish"/>. Iced's assembler builds an instruction list and then
/// lays it out with branch relaxation; at millions of instructions per module that cost dominated compilation
/// (bench/results/CompileThroughput.md), so encoding is done here and Iced checks it in the tests.
/// Operands keep Iced's register types, so the compiler still reads like assembly.
/// </summary>
internal sealed partial class X64Emitter
{
    private const int MaxInstructionLength = 16;
    private const int RexW = 0x08, ForceRex = 0x40;

    private byte[] _code;
    private int _pos;
    private int[] _labels;
    private int _labelCount;
    private Fixup[] _fixups;
    private int _fixupCount;

    private struct Fixup
    {
        public int At;
        public int Label;
        public int Base;   // -1: rel32 from the end of the field; else a table entry relative to this label
    }

    /// <param name="capacity">Expected code size; a good guess saves regrowing a large buffer.</param>
    /// <remarks>Every byte below <see cref="Position"/> is written before it is read, so the buffer need not be zeroed (a module's is tens of MB).</remarks>
    public X64Emitter(int capacity = 1 << 12)
    {
        _code = GC.AllocateUninitializedArray<byte>(Math.Max(capacity, 64));
        // Labels and fixups scale with the code (the baseline tier makes about one label per 100 bytes and a fixup
        // per 60); presized, a module's worth rarely regrows. Both are written before they are read.
        _labels = GC.AllocateUninitializedArray<int>(Math.Max(capacity / 128, 256));
        _fixups = GC.AllocateUninitializedArray<Fixup>(Math.Max(capacity / 64, 256));
    }

    /// <summary>Offset of the next byte to be written.</summary>
    public int Position => _pos;

    public CodeLabel CreateLabel()
    {
        if (_labelCount == _labels.Length) Grow(ref _labels, _labelCount);
        _labels[_labelCount] = -1;
        return new CodeLabel(_labelCount++);
    }

    public void Bind(CodeLabel label)
    {
        if (_labels[label.Id] >= 0) throw new InvalidOperationException($"x64 emitter: label {label.Id} bound twice");
        _labels[label.Id] = _pos;
    }

    /// <summary>Where <paramref name="label"/> was bound (after <see cref="Finish"/> every used label is).</summary>
    public int OffsetOf(CodeLabel label) => _labels[label.Id];

    /// <summary>Pads with int3 up to a multiple of <paramref name="alignment"/> (never executed: padding sits between functions).</summary>
    public void Align(int alignment)
    {
        Reserve(alignment);
        while ((_pos & (alignment - 1)) != 0) _code[_pos++] = 0xCC;
    }

    /// <summary>Overwrites the 32-bit little-endian value at <paramref name="at"/>.</summary>
    public void PatchInt32(int at, int value) => BinaryPrimitives.WriteInt32LittleEndian(_code.AsSpan(at, 4), value);

    /// <summary>A 32-bit table entry holding <c>target - tableStart</c>, filled in by <see cref="Finish"/>.</summary>
    public void TableEntry(CodeLabel target, CodeLabel tableStart)
    {
        Reserve(4);
        AddFixup(target, tableStart.Id);
        Int32(0);
    }

    /// <summary>
    /// Appends another copy of the <paramref name="length"/> bytes already emitted at <paramref name="start"/>: for
    /// sequences repeated verbatim (they must hold no label reference, whose rel32 depends on where it sits).
    /// </summary>
    public void Repeat(int start, int length)
    {
        Reserve(length);
        Buffer.BlockCopy(_code, start, _code, _pos, length);
        _pos += length;
    }

    /// <summary>Resolves every fixup and returns the code.</summary>
    public byte[] Finish()
    {
        for (int i = 0; i < _fixupCount; i++)
        {
            ref var f = ref _fixups[i];
            int target = _labels[f.Label];
            if (target < 0) throw new InvalidOperationException($"x64 emitter: label {f.Label} used but never bound");
            int origin = f.Base < 0 ? f.At + 4 : _labels[f.Base];
            PatchInt32(f.At, target - origin);
        }
        _fixupCount = 0;
        var code = GC.AllocateUninitializedArray<byte>(_pos);
        _code.AsSpan(0, _pos).CopyTo(code);
        return code;
    }

    // ---- register numbers --------------------------------------------------------------------------

    /// <summary>The hardware number (0–15) of a general or xmm register.</summary>
    /// <remarks>A table lookup: every memory operand the compiler builds goes through here (base and index).</remarks>
    public static int Number(Register r)
    {
        var numbers = RegisterNumbers;
        int n = (uint)r < (uint)numbers.Length ? numbers[(int)r] : -1;
        return n >= 0 ? n : ThrowUnsupported(r);
    }

    private static readonly sbyte[] RegisterNumbers = CreateRegisterNumbers();

    private static sbyte[] CreateRegisterNumbers()
    {
        var numbers = new sbyte[Math.Max((int)Register.XMM15, (int)Register.R15) + 1];
        for (int i = 0; i < numbers.Length; i++) numbers[i] = (sbyte)ComputeNumber((Register)i);
        return numbers;
    }

    private static int ComputeNumber(Register r)
    {
        if (r >= Register.RAX && r <= Register.R15) return r - Register.RAX;
        if (r >= Register.EAX && r <= Register.R15D) return r - Register.EAX;
        if (r >= Register.XMM0 && r <= Register.XMM15) return r - Register.XMM0;
        if (r >= Register.AX && r <= Register.R15W) return r - Register.AX;
        if (r >= Register.AL && r <= Register.BL) return r - Register.AL;
        if (r >= Register.SPL && r <= Register.R15L) return r - Register.SPL + 4;
        return -1;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static int ThrowUnsupported(Register r) =>
        throw new InvalidOperationException($"x64 emitter: register {r} is not supported");

    private static int N(AssemblerRegister64 r) => r.Value - Register.RAX;
    private static int N(AssemblerRegister32 r) => r.Value - Register.EAX;
    private static int N(AssemblerRegister16 r) => r.Value - Register.AX;
    private static int N(AssemblerRegisterXMM r) => r.Value - Register.XMM0;
    private static int N(AssemblerRegister8 r) => Number(r.Value);

    /// <summary>spl, bpl, sil and dil exist only with a REX prefix (without one, 4–7 name ah–bh).</summary>
    private static int ByteRex(int reg) => reg is >= 4 and < 8 ? ForceRex : 0;

    // ---- raw bytes ---------------------------------------------------------------------------------

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void Reserve(int bytes)
    {
        if (_pos + bytes > _code.Length) Grow(bytes);
    }

    private static void Grow<T>(ref T[] array, int used)
    {
        var larger = GC.AllocateUninitializedArray<T>(array.Length * 2);
        array.AsSpan(0, used).CopyTo(larger);
        array = larger;
    }

    private void Grow(int bytes)
    {
        var larger = GC.AllocateUninitializedArray<byte>(Math.Max(_code.Length * 2, _pos + bytes));
        _code.AsSpan(0, _pos).CopyTo(larger);
        _code = larger;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void Byte(int b) => _code[_pos++] = (byte)b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void Int32(int v)
    {
        BinaryPrimitives.WriteInt32LittleEndian(_code.AsSpan(_pos, 4), v);
        _pos += 4;
    }

    private void Int64(long v)
    {
        BinaryPrimitives.WriteInt64LittleEndian(_code.AsSpan(_pos, 8), v);
        _pos += 8;
    }

    private void AddFixup(CodeLabel label, int baseLabel)
    {
        if (_fixupCount == _fixups.Length) Grow(ref _fixups, _fixupCount);
        _fixups[_fixupCount++] = new Fixup { At = _pos, Label = label.Id, Base = baseLabel };
    }

    /// <summary>A rel32 field for <paramref name="label"/>, relative to the end of the field (the instruction end).</summary>
    private void Rel32(CodeLabel label)
    {
        int target = _labels[label.Id];
        if (target >= 0) Int32(target - (_pos + 4));
        else
        {
            AddFixup(label, -1);
            Int32(0);
        }
    }

    // ---- prefixes, opcode, ModRM -------------------------------------------------------------------

    // The core encoders below write through a local array and position and store _pos once per instruction: with
    // a field update per byte, every byte cost a load and store of _pos (tens of millions of bytes per module).

    /// <summary>
    /// Legacy prefix (0x66/0xF2/0xF3 or 0), REX, then the opcode: <paramref name="map"/> 0 = one byte, 1 = 0F,
    /// 2 = 0F 38, 3 = 0F 3A.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void Head(int prefix, int rex, int map, int opcode) => _pos = Head(_code, _pos, prefix, rex, map, opcode);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int Head(byte[] code, int p, int prefix, int rex, int map, int opcode)
    {
        if (prefix != 0) code[p++] = (byte)prefix;
        if (rex != 0) code[p++] = (byte)(0x40 | rex);
        if (map != 0)
        {
            code[p++] = 0x0F;
            if (map == 2) code[p++] = 0x38;
            else if (map == 3) code[p++] = 0x3A;
        }
        code[p++] = (byte)opcode;
        return p;
    }

    /// <summary>An instruction whose ModRM names two registers: <paramref name="reg"/> in reg, <paramref name="rm"/> in r/m.</summary>
    private void RR(int prefix, int flags, int map, int opcode, int reg, int rm)
    {
        Reserve(MaxInstructionLength);
        int rex = (flags & (RexW | ForceRex)) | ((reg & 8) >> 1) | ((rm & 8) >> 3);
        byte[] code = _code;
        int p = Head(code, _pos, prefix, rex, map, opcode);
        code[p++] = (byte)(0xC0 | ((reg & 7) << 3) | (rm & 7));
        _pos = p;
    }

    /// <summary>An instruction whose ModRM names register (or opcode extension) <paramref name="reg"/> and memory <paramref name="m"/>.</summary>
    private void RM(int prefix, int flags, int map, int opcode, int reg, in Mem m)
    {
        Reserve(MaxInstructionLength);
        int rex = (flags & (RexW | ForceRex)) | ((reg & 8) >> 1) | (m.Index >= 0 ? (m.Index & 8) >> 2 : 0) | (m.Base >= 0 ? (m.Base & 8) >> 3 : 0);
        byte[] code = _code;
        int p = Head(code, _pos, prefix, rex, map, opcode);
        _pos = ModRmMemory(code, p, reg, m);
    }

    private void ModRmMemory(int reg, in Mem m) => _pos = ModRmMemory(_code, _pos, reg, m);

    /// <summary>Writes the ModRM byte (and SIB, displacement) for <paramref name="m"/> at <paramref name="p"/>; returns the end.</summary>
    private static int ModRmMemory(byte[] code, int p, int reg, in Mem m)
    {
        int r = (reg & 7) << 3;
        int disp = m.Displacement;
        if (m.Base < 0)
        {
            // [index*scale + disp32]: SIB with no base.
            code[p++] = (byte)(r | 4);
            code[p++] = (byte)((ScaleBits(m.Scale) << 6) | ((m.Index < 0 ? 4 : m.Index & 7) << 3) | 5);
            BinaryPrimitives.WriteInt32LittleEndian(code.AsSpan(p, 4), disp);
            return p + 4;
        }
        int b = m.Base & 7;
        // rbp/r13 as base have no mod=00 form (it means rip-relative or disp32); they take a zero disp8.
        int mod = disp == 0 && b != 5 ? 0 : disp == (sbyte)disp ? 1 : 2;
        if (m.Index >= 0 || b == 4)
        {
            if (m.Index == 4) throw new InvalidOperationException("x64 emitter: rsp cannot be an index register");
            code[p++] = (byte)((mod << 6) | r | 4);
            code[p++] = (byte)((ScaleBits(m.Scale) << 6) | ((m.Index < 0 ? 4 : m.Index & 7) << 3) | b);
        }
        else
        {
            code[p++] = (byte)((mod << 6) | r | b);
        }
        if (mod == 1) code[p++] = (byte)disp;
        else if (mod == 2)
        {
            BinaryPrimitives.WriteInt32LittleEndian(code.AsSpan(p, 4), disp);
            p += 4;
        }
        return p;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int ScaleBits(int scale) =>
        scale is 1 or 2 or 4 or 8 ? BitOperations.Log2((uint)scale) : ThrowBadScale(scale);

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static int ThrowBadScale(int scale) =>
        throw new InvalidOperationException($"x64 emitter: scale {scale} is not 1, 2, 4 or 8");

    private static int SizeFlags(in Mem m) => m.Size switch
    {
        OperandSize.Dword => 0,
        OperandSize.Qword => RexW,
        _ => throw new InvalidOperationException($"x64 emitter: a {m.Size} memory operand needs an explicit dword or qword size here"),
    };
}
