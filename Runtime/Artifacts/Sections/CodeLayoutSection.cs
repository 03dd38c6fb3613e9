using Sharptime.Compiler;

namespace Sharptime.Artifacts.Sections;

/// <summary>
/// <c>.sharptime.functions</c>: where things are in <c>.text</c>. u32 defined-function count; u32 end of the entry
/// trampolines, u32 start of the raise entries, u32 start of the raise stub; then per defined function u32 wasm-call
/// entry, u32 end, u32 array-call entry trampoline.
/// </summary>
internal static class CodeLayoutSection
{
    public static byte[] Encode(CompiledModule compiled)
    {
        int n = compiled.FunctionOffsets.Length;
        var w = new SectionWriter(16 + 12 * n);
        w.U32((uint)n);
        w.I32(compiled.EntryTrampolinesEnd);
        w.I32(compiled.RaiseEntriesOffset);
        w.I32(compiled.RaiseStubOffset);
        for (int i = 0; i < n; i++)
        {
            w.I32(compiled.FunctionOffsets[i]);
            w.I32(compiled.FunctionEnds[i]);
            w.I32(compiled.ArrayEntryOffsets[i]);
        }
        return w.ToArray();
    }

    /// <summary>
    /// Decodes the layout of a <paramref name="textLength"/>-byte text holding <paramref name="definedFunctions"/>
    /// functions, checking that every function lies in the text, in order, before the trampolines, and every trampoline
    /// and stub lies in the text, so nothing can point a call outside the mapping.
    /// </summary>
    public static CompiledModule Decode(ReadOnlySpan<byte> bytes, int definedFunctions, int textLength, AddressMap addressMap, TrapTable trapTable,
        ReadOnlyMemory<int> faultSites, int memoryTrapEntry)
    {
        var r = new SectionReader(bytes, ArtifactFormat.FunctionsSection);
        int n = (int)r.U32();
        if (n != definedFunctions) throw r.Invalid($"it lists {n} functions but the module defines {definedFunctions}");
        if (r.Remaining != 12 + 12L * n) throw r.Invalid($"{r.Remaining} bytes do not hold {n} functions");
        int entriesEnd = r.I32(), raiseEntries = r.I32(), raiseStub = r.I32();
        var offsets = new int[n];
        var ends = new int[n];
        var arrayEntries = new int[n];
        int previousEnd = 0;
        for (int i = 0; i < n; i++)
        {
            offsets[i] = r.I32();
            ends[i] = r.I32();
            arrayEntries[i] = r.I32();
            if (offsets[i] < previousEnd || ends[i] <= offsets[i])
                throw r.Invalid($"function {i} ({offsets[i]}..{ends[i]}) is out of order");
            previousEnd = ends[i];
        }
        if (previousEnd > entriesEnd || entriesEnd > raiseEntries || raiseEntries > raiseStub || raiseStub >= textLength)
            throw r.Invalid($"the trampolines and stubs ({entriesEnd}, {raiseEntries}, {raiseStub}) do not fit the {textLength}-byte text after the functions");
        for (int i = 0; i < n; i++)
        {
            if (arrayEntries[i] < previousEnd || arrayEntries[i] >= entriesEnd)
                throw r.Invalid($"the entry trampoline of function {i} is at {arrayEntries[i]}, outside {previousEnd}..{entriesEnd}");
        }
        return new CompiledModule
        {
            Code = [],
            FunctionOffsets = offsets,
            FunctionEnds = ends,
            ArrayEntryOffsets = arrayEntries,
            EntryTrampolinesEnd = entriesEnd,
            RaiseEntriesOffset = raiseEntries,
            RaiseStubOffset = raiseStub,
            Unwind = [],
            AddressMap = addressMap,
            TrapTable = trapTable,
            FaultSites = faultSites,
            MemoryTrapEntryOffset = memoryTrapEntry,
        };
    }
}
