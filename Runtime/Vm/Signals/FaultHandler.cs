using System.Runtime.InteropServices;
using Sharptime.Compiler.X64;
using static Iced.Intel.AssemblerRegisters;
using static Sharptime.Compiler.X64.Operands;

namespace Sharptime.Vm.Signals;

/// <summary>
/// The process-wide SIGSEGV/SIGBUS handler that turns faults of unchecked loads and stores (guard-page memories)
/// into <see cref="TrapCode.MemoryOutOfBounds"/> traps.
/// <para>
/// The handler is machine code we emit, not managed code: a signal can arrive on any thread at any time (the .NET
/// runtime's own null-reference faults included), where running managed code is not allowed. It only reads a native
/// registry of loaded code ranges and their sorted fault sites (<see cref="FaultRegistry"/>). When the interrupted
/// pc is one of those sites it rewrites the signal context so that, after the handler returns, execution continues
/// in the module's memory-trap raise entry as if the faulting instruction had been a one-byte call there: the
/// existing raise path (trap hook, unwind to the entry trampoline) does the rest, outside the signal context.
/// Anything else is passed on to the handler installed before ours (normally the .NET runtime's) exactly as the
/// kernel would have called it.
/// </para>
/// </summary>
internal static unsafe partial class FaultHandler
{
    private const int SigBus = 7, SigSegv = 11;
    private const int SaSigInfo = 4, SaOnStack = 0x0800_0000, SaResetHand = unchecked((int)0x8000_0000);
    private const int SysRtSigaction = 13;

    // glibc's struct sigaction on x86-64: handler, 128-byte mask, int flags (+pad), restorer.
    private const int ActionHandler = 0, ActionMask = 8, ActionMaskSize = 128, ActionFlags = 136, ActionSize = 152;

    // ucontext_t on Linux x86-64: uc_flags, uc_link, stack_t (24 bytes), then mcontext gregs[REG_*] of 8 bytes.
    private const int UcGregs = 40, RegRsp = 15, RegRip = 16;
    private const int UcRsp = UcGregs + 8 * RegRsp, UcRip = UcGregs + 8 * RegRip;

    /// <summary>
    /// The native state the handler reads, allocated once and never freed (the handler may run until the process ends).
    /// <code>
    /// 0   Snapshot   current registry snapshot (see FaultRegistry), or null
    /// 8   Readers    handlers currently reading a snapshot (lock inc/dec); writers free old snapshots only at 0
    /// 16  OldSegv    the SIGSEGV action installed before ours (glibc struct sigaction)
    /// 168 OldBus     the SIGBUS action installed before ours
    /// 320 Default    a kernel sigaction of SIG_DFL (32 zero bytes) for re-raising with the default action
    /// 352 Hits       faults turned into traps (diagnostics and tests)
    /// </code>
    /// </summary>
    internal const int Snapshot = 0, Readers = 8, OldSegv = 16, OldBus = 168, DefaultAction = 320, Hits = 352, StateSize = 360;

    private static readonly Lock s_gate = new();
    private static nint s_state;
    private static nint s_code;

    /// <summary>The native state block, allocated on first use.</summary>
    internal static nint State
    {
        get
        {
            lock (s_gate)
            {
                // Invariant: never freed, so the handler's embedded address stays valid for the process lifetime.
                if (s_state == 0) s_state = (nint)NativeMemory.AllocZeroed(StateSize);
                return s_state;
            }
        }
    }

    /// <summary>Whether the handler is installed in this process.</summary>
    public static bool IsInstalled => Volatile.Read(ref s_code) != 0;

    /// <summary>How many faults the handler has turned into memory traps so far in this process.</summary>
    public static long TrapsFromFaults => s_state == 0 ? 0 : Volatile.Read(ref *(long*)(s_state + Hits));

    /// <summary>Installs the handler for SIGSEGV and SIGBUS once per process; later calls do nothing.</summary>
    /// <exception cref="PlatformNotSupportedException">Not Linux x86-64.</exception>
    public static void EnsureInstalled()
    {
        if (IsInstalled) return;
        if (!Config.GuardPagesSupported) throw new PlatformNotSupportedException("guard-page memories need Linux on x86-64");
        nint state = State;
        lock (s_gate)
        {
            if (s_code != 0) return;
            nint code = EmitHandler(state);
            Install(SigSegv, code, state + OldSegv);
            Install(SigBus, code, state + OldBus);
            Volatile.Write(ref s_code, code);
        }
    }

    private static void Install(int signal, nint handler, nint old)
    {
        // Read the current action first so the chain target is in place before our handler can run.
        if (sigaction(signal, null, (void*)old) != 0) throw new InvalidOperationException($"sigaction({signal}) failed (errno {Marshal.GetLastPInvokeError()})");
        byte* act = stackalloc byte[ActionSize];
        new Span<byte>(act, ActionSize).Clear();
        *(nint*)(act + ActionHandler) = handler;
        // The same mask and flags as the action we replace, so chaining to it behaves as if it had been called directly.
        Buffer.MemoryCopy((void*)(old + ActionMask), act + ActionMask, ActionMaskSize, ActionMaskSize);
        *(int*)(act + ActionFlags) = (*(int*)(old + ActionFlags) | SaSigInfo | SaOnStack) & ~SaResetHand;
        byte* replaced = stackalloc byte[ActionSize];
        if (sigaction(signal, act, replaced) != 0) throw new InvalidOperationException($"sigaction({signal}) failed (errno {Marshal.GetLastPInvokeError()})");
        // Someone may have changed the action between the two calls: chain to what we actually replaced.
        if (!new Span<byte>(replaced, ActionSize).SequenceEqual(new Span<byte>((void*)old, ActionSize)))
            Buffer.MemoryCopy(replaced, (void*)old, ActionSize, ActionSize);
    }

    [LibraryImport("libc", EntryPoint = "sigaction", SetLastError = true)]
    private static partial int sigaction(int signal, void* action, void* oldAction);

    /// <summary>
    /// <c>void handler(int sig, siginfo_t* info, ucontext_t* uc)</c>. Async-signal-safe: no calls, no allocation,
    /// only loads from the registry, two locked counters and, for a default action, one raw system call. rdi, rsi
    /// and rdx stay untouched so a miss can jump to the previous handler with the kernel's arguments.
    /// </summary>
    private static nint EmitHandler(nint state)
    {
        var a = new X64Emitter();
        var search = a.CreateLabel();
        var left = a.CreateLabel();
        var right = a.CreateLabel();
        var found = a.CreateLabel();
        var sites = a.CreateLabel();
        var sitesLeft = a.CreateLabel();
        var hit = a.CreateLabel();
        var miss = a.CreateLabel();
        var missBus = a.CreateLabel();
        var chain = a.CreateLabel();
        var dfl = a.CreateLabel();
        var done = a.CreateLabel();

        a.push(rbx);
        a.push(r12);
        a.mov(r8, (long)state);
        a.lock_inc(qword_ptr[r8 + Readers]);
        a.mov(r9, qword_ptr[r8 + Snapshot]);
        a.test(r9, r9);
        a.je(miss);
        a.mov(rax, qword_ptr[rdx + UcRip]);

        // Binary search of the code ranges: lo = rcx, hi = r10, mid = r11, entry = rbx.
        a.xor(ecx, ecx);
        a.mov(r10, qword_ptr[r9 + FaultRegistry.SnapshotCount]);
        a.Bind(search);
        a.cmp(rcx, r10);
        a.jae(miss);
        a.lea(r11, mem[rcx + r10]);
        a.shr(r11, 1);
        a.mov(rbx, r11);
        a.shl(rbx, FaultRegistry.EntryShift);
        a.lea(rbx, mem[r9 + rbx + FaultRegistry.SnapshotEntries]);
        a.cmp(rax, qword_ptr[rbx + FaultRegistry.EntryStart]);
        a.jb(left);
        a.cmp(rax, qword_ptr[rbx + FaultRegistry.EntryEnd]);
        a.jae(right);
        a.jmp(found);
        a.Bind(left);
        a.mov(r10, r11);
        a.jmp(search);
        a.Bind(right);
        a.lea(rcx, mem[r11 + 1]);
        a.jmp(search);

        // Binary search of the sorted 32-bit site offsets: offset = r12, lo = rcx, hi = r10, mid = r9, sites = r11.
        a.Bind(found);
        a.mov(r12, rax);
        a.sub(r12, qword_ptr[rbx + FaultRegistry.EntryStart]);
        a.mov(r11, qword_ptr[rbx + FaultRegistry.EntrySites]);
        a.xor(ecx, ecx);
        a.mov(r10d, dword_ptr[rbx + FaultRegistry.EntrySiteCount]);
        a.Bind(sites);
        a.cmp(rcx, r10);
        a.jae(miss);
        a.lea(r9, mem[rcx + r10]);
        a.shr(r9, 1);
        a.mov(eax, dword_ptr[r11 + r9 * 4]);
        a.cmp(r12, rax);
        a.je(hit);
        a.jb(sitesLeft);
        a.lea(rcx, mem[r9 + 1]);
        a.jmp(sites);
        a.Bind(sitesLeft);
        a.mov(r10, r9);
        a.jmp(sites);

        // A registered site: push pc + 1 as a return address below the interrupted rsp, aligned as at a call (the
        // raise stub pops it and calls the trap hook with rsp 16-byte aligned), and resume at the raise entry.
        a.Bind(hit);
        a.mov(rax, qword_ptr[rdx + UcRip]);
        a.add(rax, 1);
        a.mov(rcx, qword_ptr[rdx + UcRsp]);
        a.@and(rcx, -16);
        a.sub(rcx, 8);
        a.mov(qword_ptr[rcx], rax);
        a.mov(qword_ptr[rdx + UcRsp], rcx);
        a.mov(eax, dword_ptr[rbx + FaultRegistry.EntryRaiseOffset]);
        a.add(rax, qword_ptr[rbx + FaultRegistry.EntryStart]);
        a.mov(qword_ptr[rdx + UcRip], rax);
        a.lock_inc(qword_ptr[r8 + Hits]);
        a.lock_dec(qword_ptr[r8 + Readers]);
        a.pop(r12);
        a.pop(rbx);
        a.ret();

        // Not ours: chain to the previous action for this signal, as the kernel would have run it.
        a.Bind(miss);
        a.lock_dec(qword_ptr[r8 + Readers]);
        a.pop(r12);
        a.pop(rbx);
        a.cmp(edi, SigBus);
        a.je(missBus);
        a.mov(rax, qword_ptr[r8 + OldSegv + ActionHandler]);
        a.jmp(chain);
        a.Bind(missBus);
        a.mov(rax, qword_ptr[r8 + OldBus + ActionHandler]);
        a.Bind(chain);
        a.test(rax, rax);
        a.je(dfl);
        a.cmp(rax, 1);
        a.je(done);   // SIG_IGN
        // A one-argument sa_handler ignores rsi and rdx under the SysV ABI, so both kinds are entered the same way.
        a.jmp(rax);
        // SIG_DFL: restore the default action and return; the faulting instruction runs again and the kernel
        // applies the default (core dump) with the original context.
        a.Bind(dfl);
        a.lea(rsi, mem[r8 + DefaultAction]);
        a.xor(edx, edx);
        a.mov(r10d, 8);
        a.mov(eax, SysRtSigaction);
        a.syscall();
        a.Bind(done);
        a.ret();

        var bytes = a.Finish();
        nuint length = NativeMethods.RoundUpToPage((nuint)bytes.Length);
        nint code = NativeMethods.Map(length, NativeMethods.ProtRead | NativeMethods.ProtWrite);
        bytes.CopyTo(new Span<byte>((void*)code, bytes.Length));
        NativeMethods.Protect(code, length, NativeMethods.ProtRead | NativeMethods.ProtExec);
        return code;
    }
}
