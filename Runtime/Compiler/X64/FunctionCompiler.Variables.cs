using Sharptime.Format;
using static Iced.Intel.AssemblerRegisters;
using static Sharptime.Compiler.X64.Operands;
using static Sharptime.Compiler.X64.Registers;

namespace Sharptime.Compiler.X64;

internal sealed partial class FunctionCompiler
{
    private ValType LocalType(uint index) => _locals.TypeOrZero(index);

    private void CompileLocalGet(uint index)
    {
        var type = LocalType(index);
        if (IsRegisterLocal(index, out int home))
        {
            if (type is ValType.F32 or ValType.F64)
            {
                int x = AllocXmm();
                _a.movaps(X[x], X[home]);
                PushXmm(type, x);
            }
            else
            {
                int r = AllocGpr();
                if (type == ValType.I32) _a.mov(D[r], D[home]);
                else _a.mov(Q[r], Q[home]);
                PushGpr(type, r);
            }
            return;
        }
        if (type is ValType.F32 or ValType.F64)
        {
            int x = AllocXmm();
            if (type == ValType.F32) _a.movss(X[x], LocalD(index));
            else _a.movsd(X[x], LocalQ(index));
            PushXmm(type, x);
        }
        else
        {
            int r = AllocGpr();
            if (type == ValType.I32) _a.mov(D[r], LocalD(index));
            else _a.mov(Q[r], LocalQ(index));
            PushGpr(type, r);
        }
    }

    private void CompileLocalSet(uint index, bool tee)
    {
        var v = Pop();
        int position = _depth;
        if (IsRegisterLocal(index, out int home))
        {
            SetRegisterLocal(home, v, position);
            if (tee) Push(v);
            else Free(v);
            return;
        }
        if (v.Loc == Loc.Slot)
        {
            // Through a register so tee can keep it.
            if (v.IsFloat) v = StackValue.InXmm(v.Type, ToXmm(v, position));
            else v = StackValue.InGpr(v.Type, ToGpr(v, position));
        }
        StoreValue(LocalQ(index), LocalD(index), v, position);
        if (tee) Push(v);
        else Free(v);
    }

    private void SetRegisterLocal(int home, StackValue v, int position)
    {
        switch (v.Loc)
        {
            case Loc.Const:
                if (v.IsFloat) LoadFloatConst(X[home], v);
                else LoadConst(home, v);
                break;
            case Loc.Gpr:
                if (v.Is64) _a.mov(Q[home], Q[v.Reg]);
                else _a.mov(D[home], D[v.Reg]);
                break;
            case Loc.Xmm:
                _a.movaps(X[home], X[v.Reg]);
                break;
            case Loc.Slot:
                if (v.Type == ValType.F32) _a.movss(X[home], Slot32(position));
                else if (v.Type == ValType.F64) _a.movsd(X[home], SlotOf(position));
                else if (v.Type == ValType.I32) _a.mov(D[home], Slot32(position));
                else _a.mov(Q[home], SlotOf(position));
                break;
        }
    }

    private void CompileGlobalGet(uint index)
    {
        var type = _info.Globals[(int)index].Type.Type;
        _a.mov(Scratch, qword_ptr[Vmctx + _layout.Global(index)]);
        if (type is ValType.F32 or ValType.F64)
        {
            int x = AllocXmm();
            if (type == ValType.F32) _a.movss(X[x], dword_ptr[Scratch]);
            else _a.movsd(X[x], qword_ptr[Scratch]);
            PushXmm(type, x);
        }
        else
        {
            int r = AllocGpr();
            if (type == ValType.I32) _a.mov(D[r], dword_ptr[Scratch]);
            else _a.mov(Q[r], qword_ptr[Scratch]);
            PushGpr(type, r);
        }
    }

    private void CompileGlobalSet(uint index)
    {
        var v = Pop();
        int position = _depth;
        if (v.Loc == Loc.Slot) v = v.IsFloat ? StackValue.InXmm(v.Type, ToXmm(v, position)) : StackValue.InGpr(v.Type, ToGpr(v, position));
        _a.mov(Scratch, qword_ptr[Vmctx + _layout.Global(index)]);
        if (v.Loc == Loc.Const && v.Is64 && v.Bits != (int)v.Bits)
        {
            int t = AllocGpr();
            _a.mov(Q[t], v.Bits);
            _a.mov(qword_ptr[Scratch], Q[t]);
            FreeGpr(t);
        }
        else
        {
            StoreValue(qword_ptr[Scratch], dword_ptr[Scratch], v, position);
        }
        Free(v);
    }

    private void CompileRefIsNull()
    {
        var v = Pop();
        int r = ToGpr(v, _depth);
        _a.test(Q[r], Q[r]);
        FreeGpr(r);
        Push(new StackValue { Type = ValType.I32, Loc = Loc.Flags, Cond = Iced.Intel.ConditionCode.e });
    }

    private void CompileRefFunc(uint index)
    {
        int r = AllocGpr();
        _a.mov(Q[r], qword_ptr[Vmctx + _layout.FuncRef(index)]);
        PushGpr(ValType.FuncRef, r);
    }
}
