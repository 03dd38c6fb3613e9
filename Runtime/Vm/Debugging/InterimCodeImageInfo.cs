using Sharptime.Compiler;
using Sharptime.Format;
using Sharptime.Vm.Unwind;

namespace Sharptime.Vm.Debugging;

/// <summary>
/// INTERIM: reconstructs symbols and unwind descriptions from today's fixed frame shapes until the compiler hands them
/// back with the code (<see cref="CompiledModule"/> gains per-function <see cref="FunctionUnwind"/>s). Everything
/// here that reads code bytes goes away then; only the naming stays.
/// </summary>
/// <remarks>
/// Today's shapes: a wasm function is <c>push rbp; mov rbp, rsp; …; mov rsp, rbp; pop rbp; ret; trap stubs</c>; an
/// array entry trampoline additionally pushes rbx, r12–r15 after <c>mov rbp, rsp</c> and ends
/// <c>…pop r12; pop rbx; pop rbp; ret</c>; the raise stub follows the last entry trampoline; an exit trampoline is
/// shaped like a wasm function with the raise stub inlined after its trap path. A function whose prologue bytes do
/// not match gets a symbol but no FDE, so a mismatch degrades backtraces instead of describing frames wrongly.
/// </remarks>
internal static class InterimCodeImageInfo
{
    private static ReadOnlySpan<byte> FramePrologue => [0x55, 0x48, 0x89, 0xE5]; // push rbp; mov rbp, rsp
    private static ReadOnlySpan<byte> EntryPrologue => [0x55, 0x48, 0x89, 0xE5, 0x53, 0x41, 0x54, 0x41, 0x55, 0x41, 0x56, 0x41, 0x57];
    private static ReadOnlySpan<byte> FrameEpilogue => [0x48, 0x89, 0xEC, 0x5D, 0xC3]; // mov rsp, rbp; pop rbp; ret
    private static ReadOnlySpan<byte> EntryEpilogue => [0x41, 0x5C, 0x5B, 0x5D, 0xC3]; // pop r12; pop rbx; pop rbp; ret

    /// <summary>Symbols and <c>.eh_frame</c> for a module's text section.</summary>
    public static CodeImageInfo ForModule(CompiledModule compiled, ModuleInfo info, string? moduleName, Config config)
    {
        var code = compiled.Code;
        string prefix = moduleName ?? info.Names.ModuleName ?? "wasm";
        int n = compiled.FunctionOffsets.Length;
        var symbols = new List<CodeSymbol>(2 * n + 1);
        var unwind = new List<FunctionUnwind>(2 * n + 1);
        for (int i = 0; i < n; i++)
        {
            int start = compiled.FunctionOffsets[i];
            int end = i + 1 < n ? compiled.FunctionOffsets[i + 1] : compiled.ArrayEntryOffsets[0];
            symbols.Add(new CodeSymbol($"{prefix}!{FunctionName(info, i)}", start, end - start));
            if (DescribeFrame(code, start, end) is { } frame) unwind.Add(frame);
        }
        int raise = code.Length;
        for (int i = 0; i < n; i++)
        {
            int start = compiled.ArrayEntryOffsets[i];
            int end = i + 1 < n ? compiled.ArrayEntryOffsets[i + 1] : FindLast(code, start, code.Length, EntryEpilogue) is int e and >= 0 ? e + EntryEpilogue.Length : code.Length;
            if (i == n - 1) raise = end;
            symbols.Add(new CodeSymbol($"{prefix}!array_entry[{FunctionName(info, i)}]", start, end - start));
            if (DescribeEntry(code, start, end) is { } frame) unwind.Add(frame);
        }
        if (raise < code.Length)
        {
            symbols.Add(new CodeSymbol($"{prefix}!raise_trap", raise, code.Length - raise));
            // Only its first instruction (pop rcx) runs with the caller's return address on top; after that it is
            // switching stacks, which no table describes.
            unwind.Add(new FunctionUnwind(raise, 1, []));
        }
        return Build(code.Length, symbols, unwind, config);
    }

    /// <summary>Symbols and <c>.eh_frame</c> for one exit trampoline (wasm convention → host).</summary>
    public static CodeImageInfo ForExitTrampoline(byte[] code, string name, Config config)
    {
        var unwind = DescribeFrame(code, 0, code.Length) is { } frame ? new List<FunctionUnwind> { frame } : [];
        return Build(code.Length, [new CodeSymbol(name, 0, code.Length)], unwind, config);
    }

    private static CodeImageInfo Build(int textLength, List<CodeSymbol> symbols, List<FunctionUnwind> unwind, Config config) => new()
    {
        Name = symbols.Count > 0 ? symbols[0].Name : "sharptime",
        Symbols = [.. symbols],
        EhFrame = EhFrameWriter.Write(unwind, EhFrameWriter.PlacementAfter(textLength)),
        Registrations = CodeImageInfo.For(config),
    };

    private static string FunctionName(ModuleInfo info, int definedIndex)
    {
        uint index = (uint)(info.ImportedFunctionCount + definedIndex);
        return info.Names.FunctionNames.TryGetValue(index, out var name) ? name : $"func{index}";
    }

    private static FunctionUnwind? DescribeFrame(byte[] code, int start, int end)
    {
        if (!code.AsSpan(start, end - start).StartsWith(FramePrologue)) return null;
        int epilogue = FindLast(code, start, end, FrameEpilogue);
        int popEnd = epilogue < 0 ? -1 : epilogue + 4 - start;
        return FunctionUnwind.RbpFrame(start, end - start, popEnd);
    }

    private static FunctionUnwind? DescribeEntry(byte[] code, int start, int end)
    {
        if (!code.AsSpan(start, end - start).StartsWith(EntryPrologue)) return null;
        int epilogue = FindLast(code, start, end, EntryEpilogue);
        int popEnd = epilogue < 0 ? -1 : epilogue + 4 - start;
        return FunctionUnwind.RbpFrame(start, end - start, popEnd,
            (5, UnwindRegister.Rbx), (7, UnwindRegister.R12), (9, UnwindRegister.R13), (11, UnwindRegister.R14), (13, UnwindRegister.R15));
    }

    // The last match is the epilogue: only trap stubs (mov eax, imm32; call rel32) follow it, too short to contain the pattern.
    private static int FindLast(byte[] code, int start, int end, ReadOnlySpan<byte> pattern)
    {
        int at = code.AsSpan(start, end - start).LastIndexOf(pattern);
        return at < 0 ? -1 : start + at;
    }
}
