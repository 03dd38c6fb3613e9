using Iced.Intel;
using Sharptime.Format;
using Sharptime.Vm;
using Sharptime.Vm.Unwind;
using static Iced.Intel.AssemblerRegisters;
using static Sharptime.Compiler.X64.Operands;
using static Sharptime.Compiler.X64.Registers;

namespace Sharptime.Compiler.X64;

/// <summary>
/// The host/wasm boundary on x86-64 (ARCHITECTURE.md §3–§4): array-call entry trampolines, exit trampolines to
/// host functions, and the raise stub that unwinds a trap to the innermost entry.
/// </summary>
internal static class X64Trampolines
{
    // Entry record, on the entry trampoline's stack at rbp-96 (it is rsp while wasm runs above it).
    private const int RecordPrev = 0, RecordStore = 8, RecordValues = 16, RecordResume = 24, RecordRbp = 32;
    /// <summary>Record slot: the store's last exit frame when this entry began (the host frames below it).</summary>
    public const int RecordPrevExitFp = 40;
    /// <summary>Where the entry record sits relative to the entry trampoline's rbp.</summary>
    public const int RecordFromRbp = 96;

    /// <summary>
    /// <c>int entry(nint calleeVmctx, nint callerVmctx, ValRaw* values, nuint count)</c>: saves the SysV callee-saved
    /// registers, links an entry record into the store context, copies arguments, calls <paramref name="target"/>,
    /// copies results back. Returns 0, or 1 when a trap unwound to here.
    /// </summary>
    /// <param name="a">The module's emitter.</param>
    /// <param name="type">The callee's type.</param>
    /// <param name="target">The callee.</param>
    /// <param name="consumeFuel">
    /// Fuel mode: wasm counts fuel in <see cref="FunctionCompiler.FuelRegister"/>; load it from the store context before
    /// the call and store it back after (on the trap path too).
    /// </param>
    /// <returns>Where the epilogue's <c>pop rbp</c> ends, from the trampoline's start.</returns>
    public static int EmitArrayEntry(X64Emitter a, FuncType type, CodeLabel target, bool consumeFuel = false)
    {
        int start = a.Position;
        var trapReturn = a.CreateLabel();
        var exit = a.CreateLabel();
        a.push(rbp);
        a.mov(rbp, rsp);
        a.push(rbx);
        a.push(r12);
        a.push(r13);
        a.push(r14);
        a.push(r15);
        a.sub(rsp, RecordFromRbp - 40);
        a.mov(rax, qword_ptr[rdi + VMContextLayout.StoreContext]);
        a.mov(qword_ptr[rsp + RecordStore], rax);
        a.mov(r8, qword_ptr[rax + VMStoreContextLayout.EntryFrame]);
        a.mov(qword_ptr[rsp + RecordPrev], r8);
        a.mov(r8, qword_ptr[rax + VMStoreContextLayout.LastExitFp]);
        a.mov(qword_ptr[rsp + RecordPrevExitFp], r8);
        a.mov(qword_ptr[rsp + RecordValues], rdx);
        a.lea(r8, trapReturn);
        a.mov(qword_ptr[rsp + RecordResume], r8);
        a.mov(qword_ptr[rsp + RecordRbp], rbp);
        a.mov(qword_ptr[rax + VMStoreContextLayout.EntryFrame], rsp);
        // r12 was saved above; the caller gets it back in the epilogue.
        if (consumeFuel) a.mov(FunctionCompiler.FuelRegister, qword_ptr[rax + VMStoreContextLayout.FuelConsumed]);
        a.mov(Vmctx, rdi);

        int slots = Math.Max(type.Params.Length, type.Results.Length);
        int area = (8 * slots + 15) & ~15;
        if (area > 0) a.sub(rsp, area);
        for (int i = 0; i < type.Params.Length; i++)
        {
            a.mov(rax, qword_ptr[rdx + 16 * i]);
            a.mov(qword_ptr[rsp + 8 * i], rax);
        }
        a.call(target);
        a.mov(rdx, qword_ptr[rbp - RecordFromRbp + RecordValues]);
        for (int i = 0; i < type.Results.Length; i++)
        {
            // 32-bit loads zero the upper half, so an i32 or f32 result leaves its slot as if zero-extended.
            if (type.Results[i] is ValType.I32 or ValType.F32) a.mov(eax, dword_ptr[rsp + 8 * i]);
            else a.mov(rax, qword_ptr[rsp + 8 * i]);
            a.mov(qword_ptr[rdx + 16 * i], rax);
        }
        a.xor(eax, eax);
        a.jmp(exit);

        a.Bind(trapReturn);
        a.mov(eax, 1);
        a.Bind(exit);
        a.lea(rsp, mem[rbp - RecordFromRbp]);
        a.mov(rcx, qword_ptr[rsp + RecordStore]);
        // Normal return or trap, the fuel register holds the count (trap stubs add what was pending first).
        if (consumeFuel) a.mov(qword_ptr[rcx + VMStoreContextLayout.FuelConsumed], FunctionCompiler.FuelRegister);
        a.mov(rdx, qword_ptr[rsp + RecordPrev]);
        a.mov(qword_ptr[rcx + VMStoreContextLayout.EntryFrame], rdx);
        a.mov(rdx, qword_ptr[rsp + RecordPrevExitFp]);
        a.mov(qword_ptr[rcx + VMStoreContextLayout.LastExitFp], rdx);
        a.lea(rsp, mem[rbp - 40]);
        a.pop(r15);
        a.pop(r14);
        a.pop(r13);
        a.pop(r12);
        a.pop(rbx);
        a.pop(rbp);
        int popEnd = a.Position - start;
        a.ret();
        return popEnd;
    }

    /// <summary>
    /// Reached by <c>call</c> with the trap code in eax and r14 a context whose first word is the store context:
    /// records code, pc and fp, lets the store's trap hook (if any) capture the backtrace while the wasm frames are
    /// still on the stack, then resumes the innermost entry trampoline's trap path.
    /// </summary>
    public static void EmitRaise(X64Emitter a)
    {
        var unwind = a.CreateLabel();
        a.pop(rcx);
        a.mov(rdx, qword_ptr[Vmctx + VMContextLayout.StoreContext]);
        a.mov(dword_ptr[rdx + VMStoreContextLayout.TrapCode], eax);
        a.mov(qword_ptr[rdx + VMStoreContextLayout.TrapPc], rcx);
        a.mov(qword_ptr[rdx + VMStoreContextLayout.TrapFp], rbp);
        a.mov(rax, qword_ptr[rdx + VMStoreContextLayout.TrapHook]);
        a.test(rax, rax);
        a.je(unwind);
        // Callers keep rsp 16-byte aligned at calls, so after popping the return address it is aligned again.
        a.mov(rdi, rdx);
        a.call(rax);
        a.mov(rdx, qword_ptr[Vmctx + VMContextLayout.StoreContext]);
        a.Bind(unwind);
        a.mov(rsp, qword_ptr[rdx + VMStoreContextLayout.EntryFrame]);
        a.mov(rbp, qword_ptr[rsp + RecordRbp]);
        a.jmp(qword_ptr[rsp + RecordResume]);
    }

    /// <summary>
    /// A wasm-convention function that calls a host function: copies the wasm arguments into a ValRaw array,
    /// calls the dispatcher named in the host context (r14), copies results back, or raises a host-exception trap.
    /// </summary>
    /// <param name="type">The host function's type.</param>
    /// <param name="consumeFuel">
    /// Fuel mode: store <see cref="FunctionCompiler.FuelRegister"/> into the store context before the host function
    /// runs (it may read the fuel) and reload it after (it may have set the fuel, or run wasm that used some).
    /// </param>
    public static (byte[] Code, FunctionUnwind Unwind) EmitExitTrampoline(FuncType type, bool consumeFuel = false)
    {
        var a = new X64Emitter();
        var fail = a.CreateLabel();
        var raise = a.CreateLabel();
        int slots = Math.Max(type.Params.Length, type.Results.Length);
        // The values, then 16 bytes whose upper half keeps the previous exit frame.
        int area = ((16 * Math.Max(slots, 1) + 15) & ~15) + 16;
        a.push(rbp);
        a.mov(rbp, rsp);
        a.sub(rsp, area);
        // Backtraces taken inside the host function start from this frame; once it returns, the frame is gone, so
        // the previous one comes back (a later walk through an entry record must never meet a dead frame).
        a.mov(rax, qword_ptr[Vmctx + VMHostContextLayout.StoreContext]);
        a.mov(rcx, qword_ptr[rax + VMStoreContextLayout.LastExitFp]);
        a.mov(qword_ptr[rbp - 8], rcx);
        a.mov(qword_ptr[rax + VMStoreContextLayout.LastExitFp], rbp);
        if (consumeFuel) a.mov(qword_ptr[rax + VMStoreContextLayout.FuelConsumed], FunctionCompiler.FuelRegister);
        for (int i = 0; i < type.Params.Length; i++)
        {
            if (type.Params[i] is ValType.I32 or ValType.F32) a.mov(eax, dword_ptr[rbp + 16 + 8 * i]);
            else a.mov(rax, qword_ptr[rbp + 16 + 8 * i]);
            a.mov(qword_ptr[rsp + 16 * i], rax);
            a.mov(qword_ptr[rsp + 16 * i + 8], 0);
        }
        a.mov(rdi, Vmctx);
        // The caller is a wasm frame: its vmctx is at [its rbp - 8].
        a.mov(rax, qword_ptr[rbp]);
        a.mov(rsi, qword_ptr[rax - 8]);
        a.mov(rdx, rsp);
        a.mov(ecx, slots);
        a.call(qword_ptr[Vmctx + VMHostContextLayout.Dispatch]);
        // r14 (the host context) survived the call: callee-saved. eax (the status) is kept.
        a.mov(rcx, qword_ptr[Vmctx + VMHostContextLayout.StoreContext]);
        a.mov(rdx, qword_ptr[rbp - 8]);
        a.mov(qword_ptr[rcx + VMStoreContextLayout.LastExitFp], rdx);
        if (consumeFuel) a.mov(FunctionCompiler.FuelRegister, qword_ptr[rcx + VMStoreContextLayout.FuelConsumed]);
        a.test(eax, eax);
        a.jne(fail);
        for (int i = 0; i < type.Results.Length; i++)
        {
            a.mov(rax, qword_ptr[rsp + 16 * i]);
            a.mov(qword_ptr[rbp + 16 + 8 * i], rax);
        }
        a.mov(rsp, rbp);
        a.pop(rbp);
        int popEnd = a.Position;
        a.ret();
        a.Bind(fail);
        a.mov(eax, TrapCodes.HostException);
        a.call(raise);
        a.Bind(raise);
        EmitRaise(a);

        var code = a.Finish();
        return (code, FunctionUnwind.RbpFrame(0, code.Length, popEnd));
    }
}
