using Iced.Intel;
using Sharptime.Format;
using static Iced.Intel.AssemblerRegisters;
using static Sharptime.Compiler.X64.Operands;
using static Sharptime.Compiler.X64.Registers;

namespace Sharptime.Compiler.X64;

internal sealed partial class FunctionCompiler
{
    private void CompileInteger(Opcode opcode)
    {
        switch (opcode)
        {
            case Opcode.I32Eqz:
            case Opcode.I64Eqz:
                CompileEqz(opcode == Opcode.I64Eqz);
                return;
            case Opcode.I32Eq: case Opcode.I64Eq: Compare(opcode, ConditionCode.e); return;
            case Opcode.I32Ne: case Opcode.I64Ne: Compare(opcode, ConditionCode.ne); return;
            case Opcode.I32LtS: case Opcode.I64LtS: Compare(opcode, ConditionCode.l); return;
            case Opcode.I32LtU: case Opcode.I64LtU: Compare(opcode, ConditionCode.b); return;
            case Opcode.I32GtS: case Opcode.I64GtS: Compare(opcode, ConditionCode.g); return;
            case Opcode.I32GtU: case Opcode.I64GtU: Compare(opcode, ConditionCode.a); return;
            case Opcode.I32LeS: case Opcode.I64LeS: Compare(opcode, ConditionCode.le); return;
            case Opcode.I32LeU: case Opcode.I64LeU: Compare(opcode, ConditionCode.be); return;
            case Opcode.I32GeS: case Opcode.I64GeS: Compare(opcode, ConditionCode.ge); return;
            case Opcode.I32GeU: case Opcode.I64GeU: Compare(opcode, ConditionCode.ae); return;

            case Opcode.I32Clz: case Opcode.I64Clz:
            case Opcode.I32Ctz: case Opcode.I64Ctz:
            case Opcode.I32Popcnt: case Opcode.I64Popcnt:
                CompileBitCount(opcode);
                return;

            case Opcode.I32Add: case Opcode.I64Add:
            case Opcode.I32Sub: case Opcode.I64Sub:
            case Opcode.I32And: case Opcode.I64And:
            case Opcode.I32Or: case Opcode.I64Or:
            case Opcode.I32Xor: case Opcode.I64Xor:
            case Opcode.I32Mul: case Opcode.I64Mul:
                CompileBinary(opcode);
                return;

            case Opcode.I32DivS: case Opcode.I64DivS:
            case Opcode.I32DivU: case Opcode.I64DivU:
            case Opcode.I32RemS: case Opcode.I64RemS:
            case Opcode.I32RemU: case Opcode.I64RemU:
                CompileDivision(opcode);
                return;

            case Opcode.I32Shl: case Opcode.I64Shl:
            case Opcode.I32ShrS: case Opcode.I64ShrS:
            case Opcode.I32ShrU: case Opcode.I64ShrU:
            case Opcode.I32Rotl: case Opcode.I64Rotl:
            case Opcode.I32Rotr: case Opcode.I64Rotr:
                CompileShift(opcode);
                return;
        }
        throw new NotSupportedException(opcode.ToString());
    }

    private static bool Is64(Opcode opcode) => opcode is >= Opcode.I64Eqz and <= Opcode.I64GeU or >= Opcode.I64Clz and <= Opcode.I64Rotr;

    private void CompileEqz(bool wide)
    {
        ref var top = ref Peek();
        if (top.Loc == Loc.Flags)
        {
            top.Cond = Conditions.Negate(top.Cond);
            return;
        }
        var v = Pop();
        if (v.Loc == Loc.Const)
        {
            PushConst(ValType.I32, (wide ? v.Bits == 0 : (int)v.Bits == 0) ? 1 : 0);
            return;
        }
        int r = ToGpr(v, _depth);
        if (wide) _a.test(Q[r], Q[r]);
        else _a.test(D[r], D[r]);
        FreeGpr(r);
        Push(new StackValue { Type = ValType.I32, Loc = Loc.Flags, Cond = ConditionCode.e });
    }

    private void Compare(Opcode opcode, ConditionCode cc)
    {
        bool wide = Is64(opcode);
        var rhs = Pop();
        var lhs = Pop();
        int l = ToGpr(lhs, _depth);
        if (rhs.Loc == Loc.Const && (!wide || rhs.Bits == (int)rhs.Bits))
        {
            if (wide) _a.cmp(Q[l], (int)rhs.Bits);
            else _a.cmp(D[l], (int)rhs.Bits);
        }
        else if (rhs.Loc == Loc.Slot)
        {
            if (wide) _a.cmp(Q[l], SlotOf(_depth + 1));
            else _a.cmp(D[l], Slot32(_depth + 1));
        }
        else
        {
            int r = ToGpr(rhs, _depth + 1);
            if (wide) _a.cmp(Q[l], Q[r]);
            else _a.cmp(D[l], D[r]);
            FreeGpr(r);
        }
        FreeGpr(l);
        Push(new StackValue { Type = ValType.I32, Loc = Loc.Flags, Cond = cc });
    }

    private void CompileBinary(Opcode opcode)
    {
        bool wide = Is64(opcode);
        var type = wide ? ValType.I64 : ValType.I32;
        var rhs = Pop();
        var lhs = Pop();
        if (lhs.Loc == Loc.Const && rhs.Loc == Loc.Const)
        {
            PushConst(type, Fold(opcode, lhs.Bits, rhs.Bits, wide));
            return;
        }
        int lhsPosition = _depth, rhsPosition = _depth + 1;
        // Commutative operations take the constant on the right.
        if (lhs.Loc == Loc.Const && opcode is not (Opcode.I32Sub or Opcode.I64Sub))
        {
            (lhs, rhs) = (rhs, lhs);
            (lhsPosition, rhsPosition) = (rhsPosition, lhsPosition);
        }
        int l = ToGpr(lhs, lhsPosition);
        var ld = D[l];
        var lq = Q[l];
        if (rhs.Loc == Loc.Const && (!wide || rhs.Bits == (int)rhs.Bits))
        {
            int imm = (int)rhs.Bits;
            switch (opcode)
            {
                case Opcode.I32Add: _a.add(ld, imm); break;
                case Opcode.I64Add: _a.add(lq, imm); break;
                case Opcode.I32Sub: _a.sub(ld, imm); break;
                case Opcode.I64Sub: _a.sub(lq, imm); break;
                case Opcode.I32And: _a.and(ld, imm); break;
                case Opcode.I64And: _a.and(lq, imm); break;
                case Opcode.I32Or: _a.or(ld, imm); break;
                case Opcode.I64Or: _a.or(lq, imm); break;
                case Opcode.I32Xor: _a.xor(ld, imm); break;
                case Opcode.I64Xor: _a.xor(lq, imm); break;
                case Opcode.I32Mul: _a.imul(ld, ld, imm); break;
                case Opcode.I64Mul: _a.imul(lq, lq, imm); break;
            }
            PushGpr(type, l);
            return;
        }
        int r = ToGpr(rhs, rhsPosition);
        var rd = D[r];
        var rq = Q[r];
        switch (opcode)
        {
            case Opcode.I32Add: _a.add(ld, rd); break;
            case Opcode.I64Add: _a.add(lq, rq); break;
            case Opcode.I32Sub: _a.sub(ld, rd); break;
            case Opcode.I64Sub: _a.sub(lq, rq); break;
            case Opcode.I32And: _a.and(ld, rd); break;
            case Opcode.I64And: _a.and(lq, rq); break;
            case Opcode.I32Or: _a.or(ld, rd); break;
            case Opcode.I64Or: _a.or(lq, rq); break;
            case Opcode.I32Xor: _a.xor(ld, rd); break;
            case Opcode.I64Xor: _a.xor(lq, rq); break;
            case Opcode.I32Mul: _a.imul(ld, rd); break;
            case Opcode.I64Mul: _a.imul(lq, rq); break;
        }
        FreeGpr(r);
        PushGpr(type, l);
    }

    private static long Fold(Opcode opcode, long a, long b, bool wide)
    {
        long r = opcode switch
        {
            Opcode.I32Add or Opcode.I64Add => a + b,
            Opcode.I32Sub or Opcode.I64Sub => a - b,
            Opcode.I32And or Opcode.I64And => a & b,
            Opcode.I32Or or Opcode.I64Or => a | b,
            Opcode.I32Xor or Opcode.I64Xor => a ^ b,
            _ => a * b,
        };
        return wide ? r : (uint)r;
    }

    private void CompileBitCount(Opcode opcode)
    {
        bool wide = Is64(opcode);
        int r = PopGpr();
        switch (opcode)
        {
            case Opcode.I32Clz: _a.lzcnt(D[r], D[r]); break;
            case Opcode.I64Clz: _a.lzcnt(Q[r], Q[r]); break;
            case Opcode.I32Ctz: _a.tzcnt(D[r], D[r]); break;
            case Opcode.I64Ctz: _a.tzcnt(Q[r], Q[r]); break;
            case Opcode.I32Popcnt: _a.popcnt(D[r], D[r]); break;
            default: _a.popcnt(Q[r], Q[r]); break;
        }
        PushGpr(wide ? ValType.I64 : ValType.I32, r);
    }

    private void CompileDivision(Opcode opcode)
    {
        bool wide = Is64(opcode);
        bool signed = opcode is Opcode.I32DivS or Opcode.I64DivS or Opcode.I32RemS or Opcode.I64RemS;
        bool rem = opcode is Opcode.I32RemS or Opcode.I64RemS or Opcode.I32RemU or Opcode.I64RemU;
        var type = wide ? ValType.I64 : ValType.I32;
        // idiv/div use rdx:rax; free both before popping so neither operand sits there.
        ClaimGpr(Rax);
        ClaimGpr(Rdx);
        var rhs = Pop();
        var lhs = Pop();
        int lhsPos = _depth, rhsPos = _depth + 1;
        // Divisor in a register other than rax/rdx.
        int divisor;
        bool divisorIsScratch = false;
        if (rhs.Loc == Loc.Gpr) divisor = rhs.Reg;
        else
        {
            divisor = R11;
            divisorIsScratch = true;
            if (rhs.Loc == Loc.Const) LoadConst(R11, rhs);
            else if (wide) _a.mov(Scratch, SlotOf(rhsPos));
            else _a.mov(Scratch32, Slot32(rhsPos));
        }
        switch (lhs.Loc)
        {
            case Loc.Gpr: _a.mov(Q[Rax], Q[lhs.Reg]); Free(lhs); break;
            case Loc.Const: LoadConst(Rax, lhs); break;
            default:
                if (wide) _a.mov(rax, SlotOf(lhsPos));
                else _a.mov(eax, Slot32(lhsPos));
                break;
        }
        bool knownNonZero = rhs.Loc == Loc.Const && (wide ? rhs.Bits != 0 : (int)rhs.Bits != 0);
        bool knownNotMinusOne = rhs.Loc == Loc.Const && (wide ? rhs.Bits != -1 : (int)rhs.Bits != -1);
        if (!knownNonZero)
        {
            if (wide) _a.test(Q[divisor], Q[divisor]);
            else _a.test(D[divisor], D[divisor]);
            _a.je(TrapLabel(TrapCode.IntegerDivisionByZero));
        }
        var done = _a.CreateLabel();
        var doDivide = _a.CreateLabel();
        if (signed && !knownNotMinusOne)
        {
            if (wide) _a.cmp(Q[divisor], -1);
            else _a.cmp(D[divisor], -1);
            _a.jne(doDivide);
            if (rem)
            {
                // x rem -1 is 0; idiv would fault on MIN rem -1.
                _a.xor(edx, edx);
                _a.jmp(done);
            }
            else
            {
                if (wide)
                {
                    _a.mov(rdx, long.MinValue);
                    _a.cmp(rax, rdx);
                }
                else _a.cmp(eax, int.MinValue);
                _a.je(TrapLabel(TrapCode.IntegerOverflow));
            }
        }
        _a.Bind(doDivide);
        if (signed)
        {
            if (wide) { _a.cqo(); _a.idiv(Q[divisor]); }
            else { _a.cdq(); _a.idiv(D[divisor]); }
        }
        else
        {
            _a.xor(edx, edx);
            if (wide) _a.div(Q[divisor]);
            else _a.div(D[divisor]);
        }
        _a.Bind(done);
        if (!divisorIsScratch) FreeGpr(divisor);
        if (rem)
        {
            FreeGpr(Rax);
            PushGpr(type, Rdx);
        }
        else
        {
            FreeGpr(Rdx);
            PushGpr(type, Rax);
        }
    }

    private void CompileShift(Opcode opcode)
    {
        bool wide = Is64(opcode);
        var type = wide ? ValType.I64 : ValType.I32;
        var count = Peek();
        if (count.Loc == Loc.Const)
        {
            Pop();
            int l = PopGpr();
            byte imm = (byte)(count.Bits & (wide ? 63 : 31));
            switch (opcode)
            {
                case Opcode.I32Shl: _a.shl(D[l], imm); break;
                case Opcode.I64Shl: _a.shl(Q[l], imm); break;
                case Opcode.I32ShrS: _a.sar(D[l], imm); break;
                case Opcode.I64ShrS: _a.sar(Q[l], imm); break;
                case Opcode.I32ShrU: _a.shr(D[l], imm); break;
                case Opcode.I64ShrU: _a.shr(Q[l], imm); break;
                case Opcode.I32Rotl: _a.rol(D[l], imm); break;
                case Opcode.I64Rotl: _a.rol(Q[l], imm); break;
                case Opcode.I32Rotr: _a.ror(D[l], imm); break;
                default: _a.ror(Q[l], imm); break;
            }
            PushGpr(type, l);
            return;
        }
        // Variable counts go in cl.
        ClaimGpr(Rcx);
        var c = Pop();
        switch (c.Loc)
        {
            case Loc.Gpr: _a.mov(ecx, D[c.Reg]); Free(c); break;
            default: _a.mov(ecx, Slot32(_depth)); break;
        }
        int v = PopGpr();
        switch (opcode)
        {
            case Opcode.I32Shl: _a.shl(D[v], cl); break;
            case Opcode.I64Shl: _a.shl(Q[v], cl); break;
            case Opcode.I32ShrS: _a.sar(D[v], cl); break;
            case Opcode.I64ShrS: _a.sar(Q[v], cl); break;
            case Opcode.I32ShrU: _a.shr(D[v], cl); break;
            case Opcode.I64ShrU: _a.shr(Q[v], cl); break;
            case Opcode.I32Rotl: _a.rol(D[v], cl); break;
            case Opcode.I64Rotl: _a.rol(Q[v], cl); break;
            case Opcode.I32Rotr: _a.ror(D[v], cl); break;
            default: _a.ror(Q[v], cl); break;
        }
        FreeGpr(Rcx);
        PushGpr(type, v);
    }
}
