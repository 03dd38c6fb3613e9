using Sharptime.Compiler;
using Sharptime.Format;
using Sharptime.Vm.Unwind;

namespace Sharptime.Vm.Debugging;

/// <summary>
/// Names and <c>.eh_frame</c> for a text section, from what the compiler reports: one symbol per function,
/// trampoline and stub, named after the module and the name section.
/// </summary>
internal static class CodeImageDescription
{
    /// <summary>Symbols and <c>.eh_frame</c> for a module's text section.</summary>
    public static CodeImageInfo ForModule(CompiledModule compiled, ModuleInfo info, string? moduleName, Config config)
    {
        int n = compiled.FunctionOffsets.Length;
        // Unwind entries come in layout order: functions, entry trampolines, raise entries (if any), the raise stub.
        var symbols = Symbols(compiled, info, moduleName, compiled.Code.Length,
            i => (compiled.Unwind[i].Start, compiled.Unwind[i].Length), i => (compiled.Unwind[n + i].Start, compiled.Unwind[n + i].Length));
        return Build(compiled.Code.Length, symbols, compiled.Unwind, config);
    }

    /// <summary>
    /// Registrations (and, when perf or gdb are to be told, symbols) for a module's text loaded from an artifact, whose
    /// <c>.eh_frame</c> is already in place after the text. Trampoline symbols include their alignment padding.
    /// </summary>
    public static CodeImageInfo ForLoadedModule(CompiledModule compiled, int textLength, ModuleInfo info, string? moduleName, Config config)
    {
        var registrations = CodeImageInfo.For(config);
        if ((registrations & (CodeRegistrations.PerfMap | CodeRegistrations.GdbJit)) == 0)
            return new CodeImageInfo { Name = moduleName ?? "wasm", Registrations = registrations };
        var entries = compiled.ArrayEntryOffsets;
        var symbols = Symbols(compiled, info, moduleName, textLength,
            i => (compiled.FunctionOffsets[i], compiled.FunctionEnds[i] - compiled.FunctionOffsets[i]),
            i => (entries[i], (i + 1 < entries.Length ? entries[i + 1] : compiled.EntryTrampolinesEnd) - entries[i]));
        return new CodeImageInfo { Name = symbols[0].Name, Symbols = [.. symbols], Registrations = registrations };
    }

    private static List<CodeSymbol> Symbols(CompiledModule compiled, ModuleInfo info, string? moduleName, int textLength,
        Func<int, (int Start, int Length)> function, Func<int, (int Start, int Length)> arrayEntry)
    {
        string prefix = moduleName ?? info.Names.ModuleName ?? "wasm";
        int n = compiled.FunctionOffsets.Length;
        var symbols = new List<CodeSymbol>(2 * n + 2);
        for (int i = 0; i < n; i++)
        {
            var (start, length) = function(i);
            symbols.Add(new CodeSymbol($"{prefix}!{FunctionName(info, i)}", start, length));
        }
        for (int i = 0; i < n; i++)
        {
            var (start, length) = arrayEntry(i);
            symbols.Add(new CodeSymbol($"{prefix}!array_entry[{FunctionName(info, i)}]", start, length));
        }
        if (compiled.RaiseStubOffset > compiled.RaiseEntriesOffset)
            symbols.Add(new CodeSymbol($"{prefix}!raise_entries", compiled.RaiseEntriesOffset, compiled.RaiseStubOffset - compiled.RaiseEntriesOffset));
        symbols.Add(new CodeSymbol($"{prefix}!raise_trap", compiled.RaiseStubOffset, textLength - compiled.RaiseStubOffset));
        return symbols;
    }

    /// <summary>Symbols and <c>.eh_frame</c> for one exit trampoline (wasm convention → host).</summary>
    public static CodeImageInfo ForExitTrampoline(byte[] code, FunctionUnwind unwind, string name, Config config) =>
        Build(code.Length, [new CodeSymbol(name, 0, code.Length)], [unwind], config);

    private static CodeImageInfo Build(int textLength, List<CodeSymbol> symbols, IReadOnlyList<FunctionUnwind> unwind, Config config) => new()
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
}
