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
        string prefix = moduleName ?? info.Names.ModuleName ?? "wasm";
        int n = compiled.FunctionOffsets.Length;
        var symbols = new List<CodeSymbol>(2 * n + 2);
        // Unwind entries come in layout order: functions, entry trampolines, raise entries (if any), the raise stub.
        for (int i = 0; i < n; i++)
            symbols.Add(new CodeSymbol($"{prefix}!{FunctionName(info, i)}", compiled.Unwind[i].Start, compiled.Unwind[i].Length));
        for (int i = 0; i < n; i++)
            symbols.Add(new CodeSymbol($"{prefix}!array_entry[{FunctionName(info, i)}]", compiled.Unwind[n + i].Start, compiled.Unwind[n + i].Length));
        if (compiled.RaiseStubOffset > compiled.RaiseEntriesOffset)
            symbols.Add(new CodeSymbol($"{prefix}!raise_entries", compiled.RaiseEntriesOffset, compiled.RaiseStubOffset - compiled.RaiseEntriesOffset));
        symbols.Add(new CodeSymbol($"{prefix}!raise_trap", compiled.RaiseStubOffset, compiled.Code.Length - compiled.RaiseStubOffset));
        return Build(compiled.Code.Length, symbols, compiled.Unwind, config);
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
