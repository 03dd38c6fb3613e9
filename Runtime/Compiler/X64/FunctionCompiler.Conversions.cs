using Sharptime.Format;
using static Iced.Intel.AssemblerRegisters;
using static Sharptime.Compiler.X64.Operands;
using static Sharptime.Compiler.X64.Registers;

namespace Sharptime.Compiler.X64;

internal sealed partial class FunctionCompiler
{
    // Bit patterns of the float bounds used by the truncations.
    private const long F32MinusTwo31 = 0xCF00_0000;            // -2^31f
    private const long F32Two31 = 0x4F00_0000;                 // 2^31f
    private const long F32MinusTwo63 = 0xDF00_0000;            // -2^63f
    private const long F32Two63 = 0x5F00_0000;                 // 2^63f
    private const long F32MinusOne = 0xBF80_0000;              // -1f
    private const long F64MinusTwo31Minus1 = unchecked((long)0xC1E0_0000_0020_0000); // -2147483649.0
    private const long F64Two31 = 0x41E0_0000_0000_0000;       // 2^31
    private const long F64MinusTwo63 = unchecked((long)0xC3E0_0000_0000_0000);        // -2^63
    private const long F64Two63 = 0x43E0_0000_0000_0000;       // 2^63
    private const long F64MinusOne = unchecked((long)0xBFF0_0000_0000_0000);          // -1.0

    private void CompileConversion(Opcode opcode)
    {
        switch (opcode)
        {
            case Opcode.I32WrapI64:
            {
                var v = Pop();
                if (v.Loc == Loc.Const) { PushConst(ValType.I32, (uint)v.Bits); return; }
                if (v.Loc == Loc.Slot) v.Type = ValType.I32; // the low half of the slot
                int r = ToGpr(v, _depth);
                _a.mov(D[r], D[r]);
                PushGpr(ValType.I32, r);
                return;
            }
            case Opcode.I64ExtendI32S:
            {
                var v = Pop();
                if (v.Loc == Loc.Const) { PushConst(ValType.I64, (int)v.Bits); return; }
                int r = ToGpr(v, _depth);
                _a.movsxd(Q[r], D[r]);
                PushGpr(ValType.I64, r);
                return;
            }
            case Opcode.I64ExtendI32U:
            {
                var v = Pop();
                if (v.Loc == Loc.Const) { PushConst(ValType.I64, (uint)v.Bits); return; }
                int r = ToGpr(v, _depth); // i32 values in registers are zero-extended already
                PushGpr(ValType.I64, r);
                return;
            }
            case Opcode.I32Extend8S:
            case Opcode.I32Extend16S:
            case Opcode.I64Extend8S:
            case Opcode.I64Extend16S:
            case Opcode.I64Extend32S:
                CompileSignExtension(opcode);
                return;

            case Opcode.I32ReinterpretF32: Reinterpret(ValType.I32); return;
            case Opcode.I64ReinterpretF64: Reinterpret(ValType.I64); return;
            case Opcode.F32ReinterpretI32: Reinterpret(ValType.F32); return;
            case Opcode.F64ReinterpretI64: Reinterpret(ValType.F64); return;

            case Opcode.F32DemoteF64:
            {
                int x = PopXmm();
                _a.cvtsd2ss(X[x], X[x]);
                PushXmm(ValType.F32, x);
                return;
            }
            case Opcode.F64PromoteF32:
            {
                int x = PopXmm();
                _a.cvtss2sd(X[x], X[x]);
                PushXmm(ValType.F64, x);
                return;
            }

            case Opcode.F32ConvertI32S: ConvertInteger(wideFloat: false, source: 0); return;
            case Opcode.F32ConvertI32U: ConvertInteger(wideFloat: false, source: 1); return;
            case Opcode.F32ConvertI64S: ConvertInteger(wideFloat: false, source: 1); return;
            case Opcode.F32ConvertI64U: ConvertInteger(wideFloat: false, source: 2); return;
            case Opcode.F64ConvertI32S: ConvertInteger(wideFloat: true, source: 0); return;
            case Opcode.F64ConvertI32U: ConvertInteger(wideFloat: true, source: 1); return;
            case Opcode.F64ConvertI64S: ConvertInteger(wideFloat: true, source: 1); return;
            case Opcode.F64ConvertI64U: ConvertInteger(wideFloat: true, source: 2); return;

            case Opcode.I32TruncF32S: TruncSigned(false, false, saturate: false); return;
            case Opcode.I32TruncF64S: TruncSigned(false, true, saturate: false); return;
            case Opcode.I64TruncF32S: TruncSigned(true, false, saturate: false); return;
            case Opcode.I64TruncF64S: TruncSigned(true, true, saturate: false); return;
            case Opcode.I32TruncSatF32S: TruncSigned(false, false, saturate: true); return;
            case Opcode.I32TruncSatF64S: TruncSigned(false, true, saturate: true); return;
            case Opcode.I64TruncSatF32S: TruncSigned(true, false, saturate: true); return;
            case Opcode.I64TruncSatF64S: TruncSigned(true, true, saturate: true); return;

            case Opcode.I32TruncF32U: TruncU32(false, saturate: false); return;
            case Opcode.I32TruncF64U: TruncU32(true, saturate: false); return;
            case Opcode.I32TruncSatF32U: TruncU32(false, saturate: true); return;
            case Opcode.I32TruncSatF64U: TruncU32(true, saturate: true); return;

            case Opcode.I64TruncF32U: TruncU64(false, saturate: false); return;
            case Opcode.I64TruncF64U: TruncU64(true, saturate: false); return;
            case Opcode.I64TruncSatF32U: TruncU64(false, saturate: true); return;
            case Opcode.I64TruncSatF64U: TruncU64(true, saturate: true); return;
        }
        throw new NotSupportedException(opcode.ToString());
    }

    private void CompileSignExtension(Opcode opcode)
    {
        bool wide = opcode >= Opcode.I64Extend8S;
        var type = wide ? ValType.I64 : ValType.I32;
        var v = Pop();
        if (v.Loc == Loc.Const)
        {
            long bits = opcode switch
            {
                Opcode.I32Extend8S or Opcode.I64Extend8S => (sbyte)v.Bits,
                Opcode.I32Extend16S or Opcode.I64Extend16S => (short)v.Bits,
                _ => (int)v.Bits,
            };
            PushConst(type, wide ? bits : (uint)bits);
            return;
        }
        int r = ToGpr(v, _depth);
        switch (opcode)
        {
            case Opcode.I32Extend8S: _a.movsx(D[r], B[r]); break;
            case Opcode.I32Extend16S: _a.movsx(D[r], W[r]); break;
            case Opcode.I64Extend8S: _a.movsx(Q[r], B[r]); break;
            case Opcode.I64Extend16S: _a.movsx(Q[r], W[r]); break;
            default: _a.movsxd(Q[r], D[r]); break;
        }
        PushGpr(type, r);
    }

    /// <summary>Bit-exact moves between the general and xmm register files.</summary>
    private void Reinterpret(ValType to)
    {
        var v = Pop();
        bool toFloat = to is ValType.F32 or ValType.F64;
        if (v.Loc is Loc.Const or Loc.Slot)
        {
            // Same bits, same slot: only the type changes.
            v.Type = to;
            if (v.Loc == Loc.Const)
            {
                Push(v);
                return;
            }
            if (toFloat) PushXmm(to, ToXmm(v, _depth));
            else PushGpr(to, ToGpr(v, _depth));
            return;
        }
        if (toFloat)
        {
            int r = ToGpr(v, _depth);
            int x = AllocXmm();
            if (to == ValType.F32) _a.movd(X[x], D[r]);
            else _a.movq(X[x], Q[r]);
            FreeGpr(r);
            PushXmm(to, x);
        }
        else
        {
            int x = ToXmm(v, _depth);
            int r = AllocGpr();
            if (to == ValType.I32) _a.movd(D[r], X[x]);
            else _a.movq(Q[r], X[x]);
            FreeXmm(x);
            PushGpr(to, r);
        }
    }

    /// <summary>Integer to float. <paramref name="source"/>: 0 = i32 signed, 1 = a value exact as a signed 64-bit
    /// integer (i64 signed, or a zero-extended i32 unsigned), 2 = i64 unsigned.</summary>
    private void ConvertInteger(bool wideFloat, int source)
    {
        var type = wideFloat ? ValType.F64 : ValType.F32;
        int r = PopGpr();
        int x = AllocXmm();
        var xr = X[x];
        _a.xorps(xr, xr); // breaks the dependency on the register's old upper lanes
        if (source == 0)
        {
            if (wideFloat) _a.cvtsi2sd(xr, D[r]);
            else _a.cvtsi2ss(xr, D[r]);
        }
        else if (source == 1)
        {
            if (wideFloat) _a.cvtsi2sd(xr, Q[r]);
            else _a.cvtsi2ss(xr, Q[r]);
        }
        else
        {
            // Unsigned 64-bit: when the top bit is set, halve (keeping the lost bit as a sticky bit so rounding
            // stays correct), convert, and double.
            var big = _a.CreateLabel();
            var done = _a.CreateLabel();
            _a.test(Q[r], Q[r]);
            _a.js(big);
            if (wideFloat) _a.cvtsi2sd(xr, Q[r]);
            else _a.cvtsi2ss(xr, Q[r]);
            _a.jmp(done);
            _a.Bind(big);
            _a.mov(Scratch, Q[r]);
            _a.shr(Scratch, 1);
            _a.and(D[r], 1);
            _a.or(Scratch, Q[r]);
            if (wideFloat)
            {
                _a.cvtsi2sd(xr, Scratch);
                _a.addsd(xr, xr);
            }
            else
            {
                _a.cvtsi2ss(xr, Scratch);
                _a.addss(xr, xr);
            }
            _a.Bind(done);
        }
        FreeGpr(r);
        PushXmm(type, x);
    }

    private void Ucomi(bool wideFloat, int x, Iced.Intel.AssemblerRegisterXMM y)
    {
        if (wideFloat) _a.ucomisd(X[x], y);
        else _a.ucomiss(X[x], y);
    }

    /// <summary>
    /// Signed truncation: cvtt* gives the "integer indefinite" value (the minimum) for NaN and out-of-range inputs,
    /// so only that result needs a closer look.
    /// </summary>
    private void TruncSigned(bool wideInt, bool wideFloat, bool saturate)
    {
        var type = wideInt ? ValType.I64 : ValType.I32;
        int x = PopXmm();
        int r = AllocGpr();
        var xr = X[x];
        var done = _a.CreateLabel();
        if (wideInt)
        {
            if (wideFloat) _a.cvttsd2si(Q[r], xr);
            else _a.cvttss2si(Q[r], xr);
            _a.cmp(Q[r], 1);
        }
        else
        {
            if (wideFloat) _a.cvttsd2si(D[r], xr);
            else _a.cvttss2si(D[r], xr);
            _a.cmp(D[r], 1);
        }
        _a.jno(done); // r - 1 overflows only for the minimum
        if (saturate)
        {
            // NaN -> 0; positive -> maximum; negative -> the minimum already in r.
            var nan = _a.CreateLabel();
            LoadScratchXmm(wideFloat, 0);
            Ucomi(wideFloat, x, ScratchXmm);
            _a.jp(nan);
            _a.jb(done);
            if (wideInt) _a.mov(Q[r], long.MaxValue);
            else _a.mov(D[r], int.MaxValue);
            _a.jmp(done);
            _a.Bind(nan);
            _a.xor(D[r], D[r]);
        }
        else
        {
            Ucomi(wideFloat, x, xr);
            _a.jp(TrapLabel(TrapCode.BadConversionToInteger));
            // Valid only if lower bound <(=) x < upper bound.
            var overflow = TrapLabel(TrapCode.IntegerOverflow);
            if (!wideInt && wideFloat)
            {
                LoadScratchXmm(true, F64MinusTwo31Minus1);
                Ucomi(true, x, ScratchXmm);
                _a.jbe(overflow);
                LoadScratchXmm(true, F64Two31);
            }
            else
            {
                LoadScratchXmm(wideFloat, wideInt
                    ? (wideFloat ? F64MinusTwo63 : F32MinusTwo63)
                    : F32MinusTwo31);
                Ucomi(wideFloat, x, ScratchXmm);
                _a.jb(overflow);
                LoadScratchXmm(wideFloat, wideInt
                    ? (wideFloat ? F64Two63 : F32Two63)
                    : F32Two31);
            }
            Ucomi(wideFloat, x, ScratchXmm);
            _a.jae(overflow);
        }
        _a.Bind(done);
        FreeXmm(x);
        PushGpr(type, r);
    }

    /// <summary>Unsigned 32-bit truncation through the 64-bit signed conversion: valid iff the upper half is zero.</summary>
    private void TruncU32(bool wideFloat, bool saturate)
    {
        int x = PopXmm();
        int r = AllocGpr();
        var xr = X[x];
        var done = _a.CreateLabel();
        if (wideFloat) _a.cvttsd2si(Q[r], xr);
        else _a.cvttss2si(Q[r], xr);
        _a.mov(Scratch, Q[r]);
        _a.shr(Scratch, 32);
        _a.je(done);
        if (saturate)
        {
            // NaN or negative -> 0, else the maximum.
            LoadScratchXmm(wideFloat, 0);
            Ucomi(wideFloat, x, ScratchXmm);
            _a.mov(D[r], 0);
            _a.jbe(done);
            _a.mov(D[r], -1);
        }
        else
        {
            Ucomi(wideFloat, x, xr);
            _a.jp(TrapLabel(TrapCode.BadConversionToInteger));
            _a.jmp(TrapLabel(TrapCode.IntegerOverflow));
        }
        _a.Bind(done);
        FreeXmm(x);
        PushGpr(ValType.I32, r);
    }

    /// <summary>Unsigned 64-bit truncation: inputs of 2^63 and above are reduced by 2^63 first.</summary>
    private void TruncU64(bool wideFloat, bool saturate)
    {
        int x = PopXmm();
        int r = AllocGpr();
        var xr = X[x];
        var big = _a.CreateLabel();
        var bad = _a.CreateLabel();
        var done = _a.CreateLabel();
        LoadScratchXmm(wideFloat, wideFloat ? F64Two63 : F32Two63);
        Ucomi(wideFloat, x, ScratchXmm);
        _a.jae(big); // not taken for NaN (CF=1)
        if (wideFloat) _a.cvttsd2si(Q[r], xr);
        else _a.cvttss2si(Q[r], xr);
        _a.test(Q[r], Q[r]);
        _a.jns(done);
        // NaN or x <= -1.
        if (saturate)
        {
            _a.xor(D[r], D[r]);
            _a.jmp(done);
        }
        else
        {
            Ucomi(wideFloat, x, xr);
            _a.jp(TrapLabel(TrapCode.BadConversionToInteger));
            _a.jmp(TrapLabel(TrapCode.IntegerOverflow));
        }
        _a.Bind(big);
        if (wideFloat)
        {
            _a.subsd(xr, ScratchXmm);
            _a.cvttsd2si(Q[r], xr);
        }
        else
        {
            _a.subss(xr, ScratchXmm);
            _a.cvttss2si(Q[r], xr);
        }
        _a.test(Q[r], Q[r]);
        _a.js(bad); // x - 2^63 >= 2^63 (including +inf)
        _a.bts(Q[r], 63);
        _a.jmp(done);
        _a.Bind(bad);
        if (saturate) _a.mov(Q[r], -1L);
        else _a.jmp(TrapLabel(TrapCode.IntegerOverflow));
        _a.Bind(done);
        FreeXmm(x);
        PushGpr(ValType.I64, r);
    }
}
