using System.Runtime.CompilerServices;
using Iced.Intel;
using Sharptime.Format;
using static Iced.Intel.AssemblerRegisters;
using static Sharptime.Compiler.X64.Operands;
using static Sharptime.Compiler.X64.Registers;

namespace Sharptime.Compiler.X64;

/// <summary>Where an abstract stack value currently lives.</summary>
internal enum Loc : byte
{
    /// <summary>A compile-time constant in <see cref="StackValue.Bits"/>.</summary>
    Const,
    /// <summary>In general register <see cref="StackValue.Reg"/> (i32 values are kept zero-extended).</summary>
    Gpr,
    /// <summary>In xmm register <see cref="StackValue.Reg"/>.</summary>
    Xmm,
    /// <summary>In its canonical spill slot (the one for its stack position).</summary>
    Slot,
    /// <summary>An i32 boolean still in the CPU flags: true when <see cref="StackValue.Cond"/> holds. Only ever the top entry.</summary>
    Flags,
}

/// <summary>One entry of the compile-time value stack.</summary>
internal struct StackValue
{
    public ValType Type;
    public Loc Loc;
    public byte Reg;
    public ConditionCode Cond;
    public long Bits;

    public static StackValue InGpr(ValType type, int reg) => new() { Type = type, Loc = Loc.Gpr, Reg = (byte)reg };
    public static StackValue InXmm(ValType type, int reg) => new() { Type = type, Loc = Loc.Xmm, Reg = (byte)reg };
    public static StackValue Constant(ValType type, long bits) => new() { Type = type, Loc = Loc.Const, Bits = bits };
    public static StackValue InSlot(ValType type) => new() { Type = type, Loc = Loc.Slot };

    public readonly bool IsFloat => Type is ValType.F32 or ValType.F64;
    public readonly bool Is64 => Type is not (ValType.I32 or ValType.F32);
}

internal sealed partial class FunctionCompiler
{
    private StackValue[] _stack = new StackValue[64];
    private int _depth;
    private int _maxDepth;
    private ushort _freeGpr;
    private ushort _freeXmm;

    private void ResetRegisters()
    {
        _freeGpr = AllocatableGpr;
        _freeXmm = AllocatableXmm;
    }

    // ---- stack slots -------------------------------------------------------------------------------

    /// <summary>The canonical spill slot of stack position <paramref name="position"/>.</summary>
    /// <remarks>Built directly (it is <c>qword_ptr[rbp - ...]</c>): frame slots are the most common operands.</remarks>
    private Mem SlotOf(int position) => new(Rbp, -1, 1, -(_slotBase + 8 * position + 8), OperandSize.Qword);

    private Mem Slot32(int position) => new(Rbp, -1, 1, -(_slotBase + 8 * position + 8), OperandSize.Dword);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]   // most operators push; growing stays out of line
    private void Push(StackValue value)
    {
        if (_depth == _stack.Length) GrowStack();
        _stack[_depth++] = value;
        if (_depth > _maxDepth) _maxDepth = _depth;
    }

    private void GrowStack() => Array.Resize(ref _stack, _stack.Length * 2);

    private void PushGpr(ValType type, int reg) => Push(StackValue.InGpr(type, reg));
    private void PushXmm(ValType type, int reg) => Push(StackValue.InXmm(type, reg));
    private void PushConst(ValType type, long bits) => Push(StackValue.Constant(type, bits));

    /// <summary>Pops the top entry. Its register (if any) stays reserved until <see cref="Free"/>.</summary>
    private StackValue Pop()
    {
        var v = _stack[--_depth];
        if (v.Loc == Loc.Flags) v = MaterializeFlags(v);
        return v;
    }

    private ref StackValue Peek(int fromTop = 0) => ref _stack[_depth - 1 - fromTop];

    private void Free(in StackValue v)
    {
        if (v.Loc == Loc.Gpr) _freeGpr |= (ushort)(1 << v.Reg);
        else if (v.Loc == Loc.Xmm) _freeXmm |= (ushort)(1 << v.Reg);
    }

    /// <summary>Drops entries above <paramref name="height"/>, releasing their registers.</summary>
    private void TruncateStack(int height)
    {
        while (_depth > height) Free(_stack[--_depth]);
    }

    // ---- register allocation -----------------------------------------------------------------------

    private int AllocGpr()
    {
        if (_freeGpr == 0) SpillOneRegister(xmm: false);
        int r = System.Numerics.BitOperations.TrailingZeroCount(_freeGpr);
        _freeGpr &= (ushort)~(1 << r);
        return r;
    }

    private int AllocXmm()
    {
        if (_freeXmm == 0) SpillOneRegister(xmm: true);
        int r = System.Numerics.BitOperations.TrailingZeroCount(_freeXmm);
        _freeXmm &= (ushort)~(1 << r);
        return r;
    }

    private void FreeGpr(int reg) => _freeGpr |= (ushort)(1 << reg);
    private void FreeXmm(int reg) => _freeXmm |= (ushort)(1 << reg);

    private void SpillOneRegister(bool xmm)
    {
        var wanted = xmm ? Loc.Xmm : Loc.Gpr;
        for (int i = 0; i < _depth; i++)
        {
            if (_stack[i].Loc == wanted)
            {
                SpillEntry(i);
                return;
            }
        }
        throw new InvalidOperationException("register allocator: no register to spill");
    }

    /// <summary>Makes sure general register <paramref name="reg"/> is free, moving a stack value out of it if needed.</summary>
    private void EvictGpr(int reg)
    {
        if ((_freeGpr & (1 << reg)) != 0) return;
        for (int i = 0; i < _depth; i++)
        {
            if (_stack[i].Loc == Loc.Gpr && _stack[i].Reg == reg)
            {
                // Take a replacement first so the evicted register is not handed straight back.
                ushort others = (ushort)(_freeGpr & ~(1 << reg));
                if (others != 0)
                {
                    int n = System.Numerics.BitOperations.TrailingZeroCount(others);
                    _freeGpr &= (ushort)~(1 << n);
                    _a.mov(Q[n], Q[reg]);
                    _stack[i].Reg = (byte)n;
                }
                else
                {
                    SpillEntry(i);
                }
                FreeGpr(reg);
                return;
            }
        }
        throw new InvalidOperationException($"register allocator: register {reg} is held by a popped value");
    }

    /// <summary>Claims a specific general register (evicting whatever stack value holds it).</summary>
    private void ClaimGpr(int reg)
    {
        EvictGpr(reg);
        _freeGpr &= (ushort)~(1 << reg);
    }

    private void SpillEntry(int position)
    {
        ref var v = ref _stack[position];
        switch (v.Loc)
        {
            case Loc.Gpr:
                _a.mov(SlotOf(position), Q[v.Reg]);
                FreeGpr(v.Reg);
                break;
            case Loc.Xmm:
                if (v.Type == ValType.F32) _a.movss(Slot32(position), X[v.Reg]);
                else _a.movsd(SlotOf(position), X[v.Reg]);
                FreeXmm(v.Reg);
                break;
            case Loc.Const:
                StoreConst(SlotOf(position), Slot32(position), v);
                break;
            case Loc.Flags:
                v = MaterializeFlags(v);
                _a.mov(SlotOf(position), Q[v.Reg]);
                FreeGpr(v.Reg);
                break;
            default:
                return;
        }
        v.Loc = Loc.Slot;
    }

    /// <summary>Puts every stack value in its canonical slot (control-flow merges, calls). Uses only mov: flags survive.</summary>
    private void SpillAll()
    {
        for (int i = 0; i < _depth; i++) SpillEntry(i);
    }

    private void StoreConst(Mem q, Mem d, in StackValue v)
    {
        if (!v.Is64) _a.mov(d, (int)v.Bits);
        else if (v.Bits == (int)v.Bits) _a.mov(q, (int)v.Bits);
        else
        {
            _a.mov(Scratch, v.Bits);
            _a.mov(q, Scratch);
        }
    }

    private StackValue MaterializeFlags(StackValue v)
    {
        int r = AllocGpr();
        _a.setcc(v.Cond, B[r]);
        _a.movzx(D[r], B[r]);
        return StackValue.InGpr(ValType.I32, r);
    }

    /// <summary>Turns the flags entry on top (if any) into a register value, before an instruction that clobbers flags.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]   // runs before almost every operator
    private void SettleFlags()
    {
        if (_depth > 0 && _stack[_depth - 1].Loc == Loc.Flags)
            _stack[_depth - 1] = MaterializeFlags(_stack[_depth - 1]);
    }

    // ---- loading values into registers ---------------------------------------------------------------

    /// <summary>Gives a general register holding <paramref name="v"/>, owned by the caller (reusing v's register when it has one).</summary>
    private int ToGpr(in StackValue v, int position)
    {
        switch (v.Loc)
        {
            case Loc.Gpr:
                return v.Reg;
            case Loc.Const:
            {
                int r = AllocGpr();
                LoadConst(r, v);
                return r;
            }
            case Loc.Slot:
            {
                int r = AllocGpr();
                if (v.Is64) _a.mov(Q[r], SlotOf(position));
                else _a.mov(D[r], Slot32(position));
                return r;
            }
            default:
                throw new InvalidOperationException($"value in {v.Loc} cannot go to a general register");
        }
    }

    private void LoadConst(int reg, in StackValue v)
    {
        if (v.Bits == 0) _a.xor(D[reg], D[reg]);
        else if (!v.Is64 || (ulong)v.Bits <= uint.MaxValue) _a.mov(D[reg], (int)v.Bits);
        else _a.mov(Q[reg], v.Bits);
    }

    private int ToXmm(in StackValue v, int position)
    {
        switch (v.Loc)
        {
            case Loc.Xmm:
                return v.Reg;
            case Loc.Const:
            {
                int r = AllocXmm();
                LoadFloatConst(X[r], v);
                return r;
            }
            case Loc.Slot:
            {
                int r = AllocXmm();
                if (v.Type == ValType.F32) _a.movss(X[r], Slot32(position));
                else _a.movsd(X[r], SlotOf(position));
                return r;
            }
            default:
                throw new InvalidOperationException($"value in {v.Loc} cannot go to an xmm register");
        }
    }

    private void LoadFloatConst(AssemblerRegisterXMM x, in StackValue v)
    {
        if (v.Bits == 0) _a.xorps(x, x);
        else if (v.Type == ValType.F32)
        {
            _a.mov(Scratch32, (int)v.Bits);
            _a.movd(x, Scratch32);
        }
        else
        {
            _a.mov(Scratch, v.Bits);
            _a.movq(x, Scratch);
        }
    }

    /// <summary>Pops the top value into a general register the caller owns.</summary>
    private int PopGpr()
    {
        var v = Pop();
        return ToGpr(v, _depth);
    }

    private int PopXmm()
    {
        var v = Pop();
        return ToXmm(v, _depth);
    }

    /// <summary>Copies a value (at stack position <paramref name="position"/>, already popped) into memory.</summary>
    private void StoreValue(Mem q, Mem d, in StackValue v, int position)
    {
        switch (v.Loc)
        {
            case Loc.Const:
                StoreConst(q, d, v);
                break;
            case Loc.Gpr:
                if (v.Is64) _a.mov(q, Q[v.Reg]);
                else _a.mov(d, D[v.Reg]);
                break;
            case Loc.Xmm:
                if (v.Type == ValType.F32) _a.movss(d, X[v.Reg]);
                else _a.movsd(q, X[v.Reg]);
                break;
            case Loc.Slot:
                _a.mov(Scratch, SlotOf(position));
                _a.mov(q, Scratch);
                break;
            default:
                throw new InvalidOperationException($"cannot store a value in {v.Loc}");
        }
    }
}
