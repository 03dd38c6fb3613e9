using Sharptime.Format;
using Sharptime.Vm;
using static Iced.Intel.AssemblerRegisters;
using static Sharptime.Compiler.X64.Operands;
using static Sharptime.Compiler.X64.Registers;

namespace Sharptime.Compiler.X64;

internal sealed partial class FunctionCompiler
{
    private void CompileCall(uint funcIndex)
    {
        var type = _info.FunctionType(funcIndex);
        // Exact fuel when the callee (maybe a host function) looks, and when it traps.
        if (_fuel) FlushFuel();
        PassArguments(type);
        SaveRegisterLocals();
        if (funcIndex >= _info.ImportedFunctionCount)
        {
            // Same instance: r13–r15 are preserved by the callee.
            _a.call(_module.FunctionLabel((int)funcIndex - _info.ImportedFunctionCount));
            ReloadRegisterLocals();
        }
        else
        {
            _a.mov(rax, qword_ptr[Vmctx + _layout.FuncRef(funcIndex)]);
            _a.mov(Vmctx, qword_ptr[rax + VMFuncRefLayout.Vmctx]);
            _a.call(qword_ptr[rax + VMFuncRefLayout.WasmCall]);
            RestorePinnedRegisters();
        }
        TakeResults(type);
    }

    private void CompileCallIndirect(uint typeIndex, uint tableIndex)
    {
        var type = _info.Types[(int)typeIndex];
        if (_fuel) FlushFuel();
        // The callee index is on top of the arguments. Spill first so copying the arguments (which may need
        // scratch registers for wide constants) cannot clobber it; load it into r11 afterwards.
        SpillAll();
        var index = Pop();
        int position = _depth;
        PassArguments(type);
        if (index.Loc == Loc.Const) _a.mov(Scratch32, (int)index.Bits);
        else _a.mov(Scratch32, Slot32(position));
        SaveRegisterLocals();

        _a.mov(rax, qword_ptr[Vmctx + _layout.Table(tableIndex)]);
        _a.cmp(Scratch, qword_ptr[rax + VMTableLayout.Length]);
        _a.jae(TrapLabel(TrapCode.UndefinedElement));
        _a.mov(rax, qword_ptr[rax + VMTableLayout.Base]);
        _a.mov(rax, qword_ptr[rax + Scratch * 8]);
        _a.test(rax, rax);
        _a.je(TrapLabel(TrapCode.IndirectCallToNull));
        _a.mov(Scratch32, dword_ptr[Vmctx + _layout.TypeId(typeIndex)]);
        _a.cmp(Scratch32, dword_ptr[rax + VMFuncRefLayout.TypeId]);
        _a.jne(TrapLabel(TrapCode.BadSignature));
        _a.mov(Vmctx, qword_ptr[rax + VMFuncRefLayout.Vmctx]);
        _a.call(qword_ptr[rax + VMFuncRefLayout.WasmCall]);
        RestorePinnedRegisters();
        TakeResults(type);
    }

    /// <summary>Spills everything and copies the arguments (the top values) to the outgoing area at [rsp+8i].</summary>
    private void PassArguments(FuncType type)
    {
        int n = type.Params.Length;
        NoteOutgoing(Math.Max(n, type.Results.Length));
        SpillAll();
        int first = _depth - n;
        for (int i = 0; i < n; i++)
        {
            var v = _stack[first + i];
            var q = qword_ptr[rsp + 8 * i];
            if (v.Loc == Loc.Const)
            {
                if (v.Is64 && v.Bits != (int)v.Bits)
                {
                    _a.mov(rax, v.Bits);
                    _a.mov(q, rax);
                }
                else _a.mov(q, (int)v.Bits);
            }
            else
            {
                _a.mov(Scratch, SlotOf(first + i));
                _a.mov(q, Scratch);
            }
        }
        TruncateStack(first);
    }

    private void TakeResults(FuncType type)
    {
        var results = type.Results;
        for (int i = 0; i < results.Length; i++)
        {
            var t = results[i];
            if (t is ValType.F32 or ValType.F64)
            {
                int x = AllocXmm();
                if (t == ValType.F32) _a.movss(X[x], dword_ptr[rsp + 8 * i]);
                else _a.movsd(X[x], qword_ptr[rsp + 8 * i]);
                PushXmm(t, x);
            }
            else
            {
                int r = AllocGpr();
                if (t == ValType.I32) _a.mov(D[r], dword_ptr[rsp + 8 * i]);
                else _a.mov(Q[r], qword_ptr[rsp + 8 * i]);
                PushGpr(t, r);
            }
        }
    }

    /// <summary>After a call that may have entered another instance: vmctx and memory registers back to ours.</summary>
    private void RestorePinnedRegisters()
    {
        _a.mov(Vmctx, qword_ptr[rbp - 8]);
        if (_info.Memories.Count > 0) ReloadMemoryRegisters();
        ReloadRegisterLocals();
    }

    /// <summary>Calls a builtin: spills everything, passes vmctx, the immediates and the top operands in SysV registers.</summary>
    private void CallBuiltin(Builtin builtin, ReadOnlySpan<long> immediates, int operands)
    {
        if (_fuel) FlushFuel();
        SpillAll();
        SaveRegisterLocals();
        var args = SysVArgs;
        _a.mov(args[0], Vmctx);
        int next = 1;
        foreach (var imm in immediates) _a.mov(D[RegIndex(args[next++])], (int)imm);
        int first = _depth - operands;
        for (int i = 0; i < operands; i++)
        {
            var v = _stack[first + i];
            var dst = args[next++];
            if (v.Loc == Loc.Const) LoadConst(RegIndex(dst), v);
            else if (v.Is64) _a.mov(dst, SlotOf(first + i));
            else _a.mov(D[RegIndex(dst)], Slot32(first + i));
        }
        TruncateStack(first);
        if (_fuel) StoreFuel();
        // Growth asks the store's resource limiter: embedder code.
        if (builtin is Builtin.MemoryGrow or Builtin.TableGrow)
        {
            CallBuiltinAsExit(builtin);
        }
        else
        {
            _a.mov(rax, qword_ptr[Vmctx + VMContextLayout.Builtins]);
            _a.call(qword_ptr[rax + 8 * (int)builtin]);
        }
        if (_fuel) LoadFuel();
        ReloadRegisterLocals();
    }

    /// <summary>
    /// Calls a libcall that runs embedder code (an epoch callback, a resource limiter), which may capture a backtrace
    /// or call wasm: a walk from there continues at the store's last exit frame, so make this site that frame for the
    /// call, as an exit trampoline does, and put the previous one back after. The frame is {this function's rbp, a
    /// pc in it} pushed below the previous frame and padding (32 bytes keep rsp 16-aligned). Keeps the argument
    /// registers and rax (the result); clobbers rcx and r11 after the call, and the flags.
    /// </summary>
    private void CallBuiltinAsExit(Builtin builtin)
    {
        var returned = _a.CreateLabel();
        _a.mov(Scratch, qword_ptr[Vmctx + VMContextLayout.StoreContext]);
        _a.mov(rax, qword_ptr[Scratch + VMStoreContextLayout.LastExitFp]);
        _a.sub(rsp, 8);
        _a.push(rax);
        _a.lea(rax, returned);
        _a.push(rax);
        _a.push(rbp);
        _a.mov(qword_ptr[Scratch + VMStoreContextLayout.LastExitFp], rsp);
        _a.mov(rax, qword_ptr[Vmctx + VMContextLayout.Builtins]);
        _a.call(qword_ptr[rax + 8 * (int)builtin]);
        _a.Bind(returned);
        _a.mov(rcx, qword_ptr[rsp + 16]);
        _a.add(rsp, 32);
        _a.mov(Scratch, qword_ptr[Vmctx + VMContextLayout.StoreContext]);
        _a.mov(qword_ptr[Scratch + VMStoreContextLayout.LastExitFp], rcx);
    }

    private static readonly Iced.Intel.AssemblerRegister64[] SysVArgs = [rdi, rsi, rdx, rcx, r8, r9];

    private static int RegIndex(Iced.Intel.AssemblerRegister64 r) => Array.IndexOf(Q, r);

    private void CompileBulk(Builtin builtin, uint immediate1, uint? immediate2, int operands, bool trapping)
    {
        Span<long> imms = stackalloc long[2];
        imms[0] = immediate1;
        int count = 1;
        if (immediate2 is uint i2) imms[count++] = i2;
        CallBuiltin(builtin, imms[..count], operands);
        if (trapping)
        {
            _a.test(eax, eax);
            _a.jne(TrapLabel(TrapFromEax));
        }
    }
}
