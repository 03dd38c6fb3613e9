using Sharptime.Compiler.X64;

namespace Sharptime.Vm;

/// <summary>
/// Walks wasm frames from a trap or from the latest exit to the host, across nested host↔wasm segments, and
/// symbolicates them. Runs while the frames are still on the stack (from the raise stub's hook or inside a host call).
/// </summary>
internal static unsafe class BacktraceCollector
{
    /// <summary>Deep stacks keep this many innermost and outermost frames.</summary>
    public const int KeepFirst = 64, KeepLast = 64;

    // A stack this deep means a corrupted frame chain, not recursion: stop rather than walk forever.
    private const int MaxWalk = 10_000_000;

    [ThreadStatic] private static RawFrame[]? t_first;
    [ThreadStatic] private static RawFrame[]? t_last;

    private readonly struct RawFrame(LoadedCode code, int defined, int codeOffset)
    {
        public readonly LoadedCode Code = code;
        public readonly int Defined = defined;
        public readonly int CodeOffset = codeOffset;
    }

    /// <summary>From the raise stub's record: <paramref name="pc"/> is the trap stub's return address, <paramref name="fp"/> the trapping frame.</summary>
    public static WasmBacktrace FromTrap(nint pc, nint fp) => Walk(pc, fp);

    /// <summary>From the frame of the latest exit trampoline (its caller is a wasm frame), or an empty trace for 0.</summary>
    public static WasmBacktrace FromExit(nint exitFp) =>
        exitFp == 0 ? WasmBacktrace.Empty : Walk(*(nint*)(exitFp + 8), *(nint*)exitFp);

    private static WasmBacktrace Walk(nint startPc, nint startFp)
    {
        var first = t_first ??= new RawFrame[KeepFirst];
        var last = t_last ??= new RawFrame[KeepLast];
        int count = 0;
        nuint pc = (nuint)startPc, fp = (nuint)startFp;
        // Only the rbp-based rules of our frames are used; a segment's sp is only known to be at or below its fp.
        nuint sp = fp;
        while (pc != 0 && fp != 0 && count < MaxWalk)
        {
            var code = CodeRegistry.Lookup((nint)pc);
            if (code is null) break;
            int offset = (int)(pc - (nuint)code.Start);
            // pc is a return address (of a call, or of a trap stub's call): the instruction before it is the one running.
            int defined = code.Compiled.FunctionAt(offset - 1);
            if (defined >= 0)
            {
                var frame = new RawFrame(code, defined, offset);
                if (count < KeepFirst) first[count] = frame;
                else last[(count - KeepFirst) % KeepLast] = frame;
                count++;
                if (code.Memory.UnwindTable is not { } table || !table.TryStep(ref pc, ref sp, ref fp)) break;
                continue;
            }
            // Outside any function: the return address is in the entry trampoline and fp is its frame. The host
            // frames below it were entered from wasm through the exit whose frame the entry record saved.
            if (!code.Compiled.IsEntryTrampoline(offset - 1)) break;
            nuint exitFp = *(nuint*)(fp - X64Trampolines.RecordFromRbp + X64Trampolines.RecordPrevExitFp);
            if (exitFp == 0) break;
            pc = *(nuint*)(exitFp + 8);
            fp = *(nuint*)exitFp;
            sp = exitFp + 16;
        }
        return Symbolicate(first, last, count);
    }

    private static WasmBacktrace Symbolicate(RawFrame[] first, RawFrame[] last, int count)
    {
        if (count == 0) return WasmBacktrace.Empty;
        int keptFirst = Math.Min(count, KeepFirst);
        int keptLast = Math.Min(count - keptFirst, KeepLast);
        var frames = new WasmFrame[keptFirst + keptLast];
        for (int i = 0; i < keptFirst; i++) frames[i] = Describe(first[i]);
        // The ring holds the last frames walked; the oldest of them sits right after the newest write.
        int ringStart = count - KeepFirst > KeepLast ? (count - KeepFirst) % KeepLast : 0;
        for (int i = 0; i < keptLast; i++) frames[keptFirst + i] = Describe(last[(ringStart + i) % KeepLast]);
        return new WasmBacktrace(frames, keptFirst, count - frames.Length);
    }

    private static WasmFrame Describe(in RawFrame f)
    {
        var info = f.Code.Info;
        uint index = (uint)(info.ImportedFunctionCount + f.Defined);
        info.Names.FunctionNames.TryGetValue(index, out var name);
        int? moduleOffset = null, functionOffset = null;
        // Return addresses point just past their call: look up the byte before, which is inside the call.
        if (f.Code.Compiled.AddressMap.TryLookup(f.CodeOffset - 1, out int wasm))
        {
            moduleOffset = wasm;
            functionOffset = wasm - info.FunctionBodies[f.Defined].Offset;
        }
        return new WasmFrame(f.Code.ModuleName, index, name, moduleOffset, functionOffset);
    }
}
