using Iced.Intel;
using Sharptime.Format;
using static Sharptime.Compiler.X64.Registers;

namespace Sharptime.Compiler.X64;

internal sealed partial class FunctionCompiler
{
    private const long F32SignBit = 0x8000_0000;
    private const long F32AbsMask = 0x7FFF_FFFF;
    private const long F64SignBit = long.MinValue;
    private const long F64AbsMask = long.MaxValue;

    /// <summary>
    /// Float comparisons through ucomiss/ucomisd (unordered sets ZF, PF and CF). gt/ge/lt/le are exact as a single
    /// "above"/"above or equal" condition (lt/le swap the operands) and stay in the flags; eq and ne need PF too.
    /// </summary>
    private void CompileFloatCompare(Opcode opcode)
    {
        bool wide = opcode >= Opcode.F64Eq;
        int kind = opcode - (wide ? Opcode.F64Eq : Opcode.F32Eq); // eq ne lt gt le ge
        var rhs = Pop();
        var lhs = Pop();
        int lhsPosition = _depth, rhsPosition = _depth + 1;
        bool swap = kind is 2 or 4; // lt, le: compare rhs against lhs
        if (swap)
        {
            (lhs, rhs) = (rhs, lhs);
            (lhsPosition, rhsPosition) = (rhsPosition, lhsPosition);
        }
        int result = kind is 0 or 1 ? AllocGpr() : -1;
        int l = ToXmm(lhs, lhsPosition);
        if (rhs.Loc == Loc.Slot)
        {
            if (wide) _a.ucomisd(X[l], SlotOf(rhsPosition));
            else _a.ucomiss(X[l], Slot32(rhsPosition));
        }
        else
        {
            int r = ToXmm(rhs, rhsPosition);
            if (wide) _a.ucomisd(X[l], X[r]);
            else _a.ucomiss(X[l], X[r]);
            FreeXmm(r);
        }
        FreeXmm(l);
        switch (kind)
        {
            case 0: // eq: ZF=1 and PF=0
                _a.setcc(ConditionCode.np, B[result]);
                _a.setcc(ConditionCode.e, B[R11]);
                _a.and(B[result], B[R11]);
                _a.movzx(D[result], B[result]);
                PushGpr(ValType.I32, result);
                return;
            case 1: // ne: ZF=0 or PF=1
                _a.setcc(ConditionCode.p, B[result]);
                _a.setcc(ConditionCode.ne, B[R11]);
                _a.or(B[result], B[R11]);
                _a.movzx(D[result], B[result]);
                PushGpr(ValType.I32, result);
                return;
            case 2:
            case 3:
                Push(new StackValue { Type = ValType.I32, Loc = Loc.Flags, Cond = ConditionCode.a });
                return;
            default:
                Push(new StackValue { Type = ValType.I32, Loc = Loc.Flags, Cond = ConditionCode.ae });
                return;
        }
    }

    private void CompileFloatArithmetic(Opcode opcode)
    {
        bool wide = opcode >= Opcode.F64Abs;
        var type = wide ? ValType.F64 : ValType.F32;
        var op = (Opcode)(opcode - (wide ? Opcode.F64Abs - Opcode.F32Abs : 0)); // normalized to the f32 opcode
        switch (op)
        {
            case Opcode.F32Abs:
            case Opcode.F32Neg:
            {
                var v = Pop();
                bool abs = op == Opcode.F32Abs;
                if (v.Loc == Loc.Const)
                {
                    long bits = wide
                        ? (abs ? v.Bits & F64AbsMask : v.Bits ^ F64SignBit)
                        : (abs ? v.Bits & F32AbsMask : v.Bits ^ F32SignBit) & 0xFFFF_FFFF;
                    PushConst(type, bits);
                    return;
                }
                int x = ToXmm(v, _depth);
                LoadScratchXmm(wide, abs ? (wide ? F64AbsMask : F32AbsMask) : (wide ? F64SignBit : F32SignBit));
                if (abs) _a.andps(X[x], ScratchXmm);
                else _a.xorps(X[x], ScratchXmm);
                PushXmm(type, x);
                return;
            }
            case Opcode.F32Ceil:
            case Opcode.F32Floor:
            case Opcode.F32Trunc:
            case Opcode.F32Nearest:
            {
                // roundss/roundsd immediate: 0 nearest-even, 1 down, 2 up, 3 toward zero.
                sbyte mode = op switch { Opcode.F32Ceil => 2, Opcode.F32Floor => 1, Opcode.F32Trunc => 3, _ => 0 };
                int x = PopXmm();
                if (wide) _a.roundsd(X[x], X[x], mode);
                else _a.roundss(X[x], X[x], mode);
                PushXmm(type, x);
                return;
            }
            case Opcode.F32Sqrt:
            {
                int x = PopXmm();
                if (wide) _a.sqrtsd(X[x], X[x]);
                else _a.sqrtss(X[x], X[x]);
                PushXmm(type, x);
                return;
            }
            case Opcode.F32Add:
            case Opcode.F32Sub:
            case Opcode.F32Mul:
            case Opcode.F32Div:
                CompileFloatBinary(op, wide);
                return;
            case Opcode.F32Min:
            case Opcode.F32Max:
                CompileMinMax(op == Opcode.F32Min, wide);
                return;
            case Opcode.F32Copysign:
            {
                var rhs = Pop();
                var lhs = Pop();
                if (lhs.Loc == Loc.Const && rhs.Loc == Loc.Const)
                {
                    long bits = wide
                        ? (lhs.Bits & F64AbsMask) | (rhs.Bits & F64SignBit)
                        : ((lhs.Bits & F32AbsMask) | (rhs.Bits & F32SignBit)) & 0xFFFF_FFFF;
                    PushConst(type, bits);
                    return;
                }
                int l = ToXmm(lhs, _depth);
                int r = ToXmm(rhs, _depth + 1);
                LoadScratchXmm(wide, wide ? F64AbsMask : F32AbsMask);
                _a.andps(X[l], ScratchXmm);      // magnitude of lhs
                _a.andnps(ScratchXmm, X[r]);     // sign of rhs
                _a.orps(X[l], ScratchXmm);
                FreeXmm(r);
                PushXmm(type, l);
                return;
            }
        }
        throw new NotSupportedException(opcode.ToString());
    }

    private void CompileFloatBinary(Opcode op, bool wide)
    {
        var type = wide ? ValType.F64 : ValType.F32;
        var rhs = Pop();
        var lhs = Pop();
        int l = ToXmm(lhs, _depth);
        if (rhs.Loc == Loc.Slot)
        {
            var m = wide ? SlotOf(_depth + 1) : Slot32(_depth + 1);
            switch (op)
            {
                case Opcode.F32Add: if (wide) _a.addsd(X[l], m); else _a.addss(X[l], m); break;
                case Opcode.F32Sub: if (wide) _a.subsd(X[l], m); else _a.subss(X[l], m); break;
                case Opcode.F32Mul: if (wide) _a.mulsd(X[l], m); else _a.mulss(X[l], m); break;
                default: if (wide) _a.divsd(X[l], m); else _a.divss(X[l], m); break;
            }
            PushXmm(type, l);
            return;
        }
        int r = ToXmm(rhs, _depth + 1);
        switch (op)
        {
            case Opcode.F32Add: if (wide) _a.addsd(X[l], X[r]); else _a.addss(X[l], X[r]); break;
            case Opcode.F32Sub: if (wide) _a.subsd(X[l], X[r]); else _a.subss(X[l], X[r]); break;
            case Opcode.F32Mul: if (wide) _a.mulsd(X[l], X[r]); else _a.mulss(X[l], X[r]); break;
            default: if (wide) _a.divsd(X[l], X[r]); else _a.divss(X[l], X[r]); break;
        }
        FreeXmm(r);
        PushXmm(type, l);
    }

    /// <summary>
    /// Wasm min/max: NaN if either operand is NaN, and -0 &lt; +0. minss/maxss return the second operand for NaNs
    /// and for equal values (including ±0), so those cases are handled first: equal values are combined bitwise
    /// (or gives -0 for min, and gives +0 for max), unordered ones are added to get a quiet NaN.
    /// </summary>
    private void CompileMinMax(bool min, bool wide)
    {
        var type = wide ? ValType.F64 : ValType.F32;
        var rhs = Pop();
        var lhs = Pop();
        int l = ToXmm(lhs, _depth);
        int r = ToXmm(rhs, _depth + 1);
        var lx = X[l];
        var rx = X[r];
        var nan = _a.CreateLabel();
        var ordinary = _a.CreateLabel();
        var done = _a.CreateLabel();
        if (wide) _a.ucomisd(lx, rx);
        else _a.ucomiss(lx, rx);
        _a.jp(nan);
        _a.jne(ordinary);
        if (min) _a.orps(lx, rx);
        else _a.andps(lx, rx);
        _a.jmp(done);
        _a.Bind(nan);
        if (wide) _a.addsd(lx, rx);
        else _a.addss(lx, rx);
        _a.jmp(done);
        _a.Bind(ordinary);
        if (min)
        {
            if (wide) _a.minsd(lx, rx);
            else _a.minss(lx, rx);
        }
        else
        {
            if (wide) _a.maxsd(lx, rx);
            else _a.maxss(lx, rx);
        }
        _a.Bind(done);
        FreeXmm(r);
        PushXmm(type, l);
    }

    /// <summary>Loads a float bit pattern (f32 in the low 32 bits) into <see cref="Registers.ScratchXmm"/> through r11.</summary>
    private void LoadScratchXmm(bool wide, long bits)
    {
        if (bits == 0)
        {
            _a.xorps(ScratchXmm, ScratchXmm);
        }
        else if (wide)
        {
            _a.mov(Scratch, bits);
            _a.movq(ScratchXmm, Scratch);
        }
        else
        {
            _a.mov(Scratch32, (int)bits);
            _a.movd(ScratchXmm, Scratch32);
        }
    }
}
