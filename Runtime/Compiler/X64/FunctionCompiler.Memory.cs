using Iced.Intel;
using Sharptime.Format;
using Sharptime.Vm;
using static Iced.Intel.AssemblerRegisters;
using static Sharptime.Compiler.X64.Operands;
using static Sharptime.Compiler.X64.Registers;

namespace Sharptime.Compiler.X64;

internal sealed partial class FunctionCompiler
{
    /// <summary>
    /// Loads and stores. With an explicit bounds check, r11 = address + offset + size (64-bit, cannot wrap) is
    /// compared with the memory's byte length and the access uses [base + r11 - size]. Left to guard pages (the
    /// static offset plus size within <see cref="ModuleCompilerX64.UncheckedAccessLimit"/>), r11 = the zero-extended
    /// 32-bit address and the access uses [base + r11 + offset], which always lands in the memory's reservation;
    /// the access instruction is recorded as a fault site so the signal handler can turn its fault into the trap.
    /// </summary>
    private void CompileMemoryAccess(ref Operator op)
    {
        var opcode = op.Opcode;
        bool isStore = opcode >= Opcode.I32Store;
        int size = AccessSize(opcode);
        StackValue value = default;
        int valuePosition = 0;
        if (isStore)
        {
            value = Pop();
            valuePosition = _depth;
            if (value.Loc == Loc.Slot)
                value = value.IsFloat ? StackValue.InXmm(value.Type, ToXmm(value, valuePosition)) : StackValue.InGpr(value.Type, ToGpr(value, valuePosition));
        }
        var address = Pop();
        ulong end = op.MemoryOffset + (ulong)size;
        // disp32 is signed: offsets past 2 GiB cannot be a displacement, so they keep the explicit check.
        _guardedAccess = end <= _module.UncheckedAccessLimit && op.MemoryOffset <= int.MaxValue;
        // A fault leaves no stub to charge what is pending: charge it before the access.
        if (_guardedAccess && _fuel) FlushFuel();
        int addrReg = -1;
        if (_guardedAccess)
        {
            _accessDisplacement = (int)op.MemoryOffset;
            if (address.Loc == Loc.Const) _a.mov(Scratch32, (int)(uint)address.Bits);
            else
            {
                addrReg = ToGpr(address, _depth);
                // Re-zero-extend rather than trust the upper half: an unchecked access must never see it.
                _a.mov(Scratch32, D[addrReg]);
            }
        }
        else
        {
            _accessDisplacement = -size;
            if (address.Loc == Loc.Const)
            {
                _a.mov(Scratch, (long)((uint)address.Bits + end));
            }
            else
            {
                addrReg = ToGpr(address, _depth);
                if (end <= int.MaxValue) _a.lea(Scratch, qword_ptr[Q[addrReg] + (int)end]);
                else
                {
                    _a.mov(Scratch, (long)end);
                    _a.add(Scratch, Q[addrReg]);
                }
            }
            _a.cmp(Scratch, qword_ptr[MemDef + VMMemoryLayout.Length]);
            _a.ja(TrapLabel(TrapCode.MemoryOutOfBounds));
        }

        if (isStore)
        {
            if (addrReg >= 0) FreeGpr(addrReg);
            EmitStore(opcode, value);
            Free(value);
            return;
        }

        switch (opcode)
        {
            case Opcode.F32Load:
            case Opcode.F64Load:
            {
                if (addrReg >= 0) FreeGpr(addrReg);
                int x = AllocXmm();
                MarkAccess();
                if (opcode == Opcode.F32Load) _a.movss(X[x], dword_ptr[MemBase + Scratch + _accessDisplacement]);
                else _a.movsd(X[x], qword_ptr[MemBase + Scratch + _accessDisplacement]);
                PushXmm(opcode == Opcode.F32Load ? ValType.F32 : ValType.F64, x);
                return;
            }
        }
        int r = addrReg >= 0 ? addrReg : AllocGpr();
        var type = opcode is Opcode.I32Load or Opcode.I32Load8S or Opcode.I32Load8U or Opcode.I32Load16S or Opcode.I32Load16U
            ? ValType.I32 : ValType.I64;
        int disp = _accessDisplacement;
        MarkAccess();
        switch (opcode)
        {
            case Opcode.I32Load: _a.mov(D[r], dword_ptr[MemBase + Scratch + disp]); break;
            case Opcode.I64Load: _a.mov(Q[r], qword_ptr[MemBase + Scratch + disp]); break;
            case Opcode.I32Load8S: _a.movsx(D[r], byte_ptr[MemBase + Scratch + disp]); break;
            case Opcode.I32Load8U:
            case Opcode.I64Load8U: _a.movzx(D[r], byte_ptr[MemBase + Scratch + disp]); break;
            case Opcode.I32Load16S: _a.movsx(D[r], word_ptr[MemBase + Scratch + disp]); break;
            case Opcode.I32Load16U:
            case Opcode.I64Load16U: _a.movzx(D[r], word_ptr[MemBase + Scratch + disp]); break;
            case Opcode.I64Load8S: _a.movsx(Q[r], byte_ptr[MemBase + Scratch + disp]); break;
            case Opcode.I64Load16S: _a.movsx(Q[r], word_ptr[MemBase + Scratch + disp]); break;
            case Opcode.I64Load32S: _a.movsxd(Q[r], dword_ptr[MemBase + Scratch + disp]); break;
            case Opcode.I64Load32U: _a.mov(D[r], dword_ptr[MemBase + Scratch + disp]); break;
            default: throw new InvalidOperationException(opcode.ToString());
        }
        PushGpr(type, r);
    }

    // The access being compiled: displacement from MemBase + Scratch, and whether guard pages check it.
    private int _accessDisplacement;
    private bool _guardedAccess;

    /// <summary>Call right before the instruction that touches linear memory: records it as a fault site when unchecked.</summary>
    private void MarkAccess()
    {
        if (_guardedAccess) _module.AddFaultSite(_a.Position);
    }

    private void EmitStore(Opcode opcode, in StackValue v)
    {
        int size = AccessSize(opcode);
        int disp = _accessDisplacement;
        if (v.Loc == Loc.Xmm)
        {
            MarkAccess();
            if (opcode == Opcode.F32Store) _a.movss(dword_ptr[MemBase + Scratch + disp], X[v.Reg]);
            else _a.movsd(qword_ptr[MemBase + Scratch + disp], X[v.Reg]);
            return;
        }
        if (v.Loc == Loc.Const)
        {
            switch (size)
            {
                case 1: MarkAccess(); _a.mov(byte_ptr[MemBase + Scratch + disp], (byte)v.Bits); return;
                case 2: MarkAccess(); _a.mov(word_ptr[MemBase + Scratch + disp], (short)v.Bits); return;
                case 4: MarkAccess(); _a.mov(dword_ptr[MemBase + Scratch + disp], (int)v.Bits); return;
            }
            if (v.Bits == (int)v.Bits)
            {
                MarkAccess();
                _a.mov(qword_ptr[MemBase + Scratch + disp], (int)v.Bits);
                return;
            }
            int t = AllocGpr();
            _a.mov(Q[t], v.Bits);
            MarkAccess();
            _a.mov(qword_ptr[MemBase + Scratch + disp], Q[t]);
            FreeGpr(t);
            return;
        }
        int r = v.Reg;
        MarkAccess();
        switch (size)
        {
            case 1: _a.mov(byte_ptr[MemBase + Scratch + disp], B[r]); break;
            case 2: _a.mov(word_ptr[MemBase + Scratch + disp], W[r]); break;
            case 4: _a.mov(dword_ptr[MemBase + Scratch + disp], D[r]); break;
            default: _a.mov(qword_ptr[MemBase + Scratch + disp], Q[r]); break;
        }
    }

    private static int AccessSize(Opcode opcode) => opcode switch
    {
        Opcode.I32Load or Opcode.F32Load or Opcode.I64Load32S or Opcode.I64Load32U or Opcode.I32Store or Opcode.F32Store or Opcode.I64Store32 => 4,
        Opcode.I64Load or Opcode.F64Load or Opcode.I64Store or Opcode.F64Store => 8,
        Opcode.I32Load8S or Opcode.I32Load8U or Opcode.I64Load8S or Opcode.I64Load8U or Opcode.I32Store8 or Opcode.I64Store8 => 1,
        _ => 2,
    };

    private void CompileMemorySize()
    {
        int r = AllocGpr();
        _a.mov(Q[r], qword_ptr[MemDef + VMMemoryLayout.Length]);
        _a.shr(Q[r], 16);
        PushGpr(ValType.I32, r);
    }

    private void CompileMemoryGrow(uint memory)
    {
        CallBuiltin(Builtin.MemoryGrow, [memory], 1);
        // The builtin returns the old size or -1 as a 64-bit value; the i32 result is its low half.
        RaiseIfLimiterThrew();
        ClaimGpr(Rax);
        _a.mov(eax, eax);
        PushGpr(ValType.I32, Rax);
    }

    /// <summary>A grow builtin returned <see cref="Store.LimiterThrew"/>: the store holds the limiter's exception to rethrow.</summary>
    private void RaiseIfLimiterThrew()
    {
        _a.cmp(rax, (int)Store.LimiterThrew);
        _a.je(TrapLabel(TrapHostException));
    }

    // ---- tables --------------------------------------------------------------------------------------

    /// <summary>Leaves the table's element array in rax after checking <paramref name="indexReg"/> against its length.</summary>
    private void TableElements(uint table, int indexReg)
    {
        _a.mov(Scratch, qword_ptr[Vmctx + _layout.Table(table)]);
        _a.cmp(Q[indexReg], qword_ptr[Scratch + VMTableLayout.Length]);
        _a.jae(TrapLabel(TrapCode.TableOutOfBounds));
        _a.mov(Scratch, qword_ptr[Scratch + VMTableLayout.Base]);
    }

    private void CompileTableGet(uint table)
    {
        int index = PopGpr();
        TableElements(table, index);
        _a.mov(Q[index], qword_ptr[Scratch + Q[index] * 8]);
        PushGpr(_info.Tables[(int)table].ElementType, index);
    }

    private void CompileTableSet(uint table)
    {
        var value = Pop();
        int valuePosition = _depth;
        int v = ToGpr(value, valuePosition);
        int index = PopGpr();
        TableElements(table, index);
        _a.mov(qword_ptr[Scratch + Q[index] * 8], Q[v]);
        FreeGpr(index);
        FreeGpr(v);
    }

    private void CompileTableSize(uint table)
    {
        int r = AllocGpr();
        _a.mov(Q[r], qword_ptr[Vmctx + _layout.Table(table)]);
        _a.mov(Q[r], qword_ptr[Q[r] + VMTableLayout.Length]);
        PushGpr(ValType.I32, r);
    }

    private void CompileTableGrow(uint table)
    {
        // Operands are (init, delta); the builtin takes (table, init, delta).
        CallBuiltin(Builtin.TableGrow, [table], 2);
        RaiseIfLimiterThrew();
        ClaimGpr(Rax);
        _a.mov(eax, eax);
        PushGpr(ValType.I32, Rax);
    }
}
