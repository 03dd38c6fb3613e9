using Sharptime.Vm.Unwind;

namespace Sharptime.Compiler;

/// <summary>What compiling a module produces: one position-independent text section and where things are in it.</summary>
internal sealed class CompiledModule
{
    /// <summary>
    /// The text section: every function, the array-call entry trampolines and the trap stubs. Empty for code loaded
    /// from an artifact, whose text is only in its mapping.
    /// </summary>
    public required byte[] Code { get; init; }

    /// <summary>Per defined function: offset of its wasm-call entry.</summary>
    public required int[] FunctionOffsets { get; init; }

    /// <summary>Per defined function: offset just past its last byte (its out-of-line trap stubs included).</summary>
    public required int[] FunctionEnds { get; init; }

    /// <summary>Per defined function: offset of its array-call entry trampoline.</summary>
    public required int[] ArrayEntryOffsets { get; init; }

    /// <summary>Where the array-call entry trampolines end (they are laid out together after the functions).</summary>
    public required int EntryTrampolinesEnd { get; init; }

    /// <summary>Where the per-trap-code raise entries start (they follow the entry trampolines).</summary>
    public required int RaiseEntriesOffset { get; init; }

    /// <summary>Where the raise stub starts; it runs to the end of the text.</summary>
    public required int RaiseStubOffset { get; init; }

    /// <summary>
    /// How to unwind each function, trampoline and stub, sorted by start: the source of <c>.eh_frame</c>. Empty for code
    /// loaded from an artifact, which carries the <c>.eh_frame</c> itself.
    /// </summary>
    public required FunctionUnwind[] Unwind { get; init; }

    /// <summary>Code offset → wasm module offset; empty when address maps are off.</summary>
    public required AddressMap AddressMap { get; init; }

    /// <summary>Trap sites, by the code offset the raise stub records.</summary>
    public required TrapTable TrapTable { get; init; }

    /// <summary>
    /// Offsets of the load and store instructions left to guard pages, ascending (functions are emitted in order):
    /// a fault at exactly one of these is an out-of-bounds access. Empty with explicit bounds checks.
    /// </summary>
    public ReadOnlyMemory<int> FaultSites { get; init; } = ReadOnlyMemory<int>.Empty;

    /// <summary>Offset of the <see cref="TrapCode.MemoryOutOfBounds"/> raise entry the signal handler resumes at; -1 without fault sites.</summary>
    public int MemoryTrapEntryOffset { get; init; } = -1;

    public bool IsEntryTrampoline(int codeOffset) =>
        ArrayEntryOffsets.Length > 0 && codeOffset >= ArrayEntryOffsets[0] && codeOffset < EntryTrampolinesEnd;

    /// <summary>The defined function containing <paramref name="codeOffset"/>, or -1 (trampolines, padding).</summary>
    public int FunctionAt(int codeOffset)
    {
        int i = Array.BinarySearch(FunctionOffsets, codeOffset);
        if (i < 0) i = ~i - 1;
        return i >= 0 && codeOffset < FunctionEnds[i] ? i : -1;
    }
}

/// <summary>
/// Sorted pairs (code offset, wasm offset): code from one entry's offset up to the next belongs to the wasm
/// operator at that module offset. Code loaded from an artifact decodes its compact form on first lookup.
/// </summary>
internal sealed class AddressMap
{
    private int[]? _codeOffsets, _wasmOffsets;
    private Func<(int[] Code, int[] Wasm)>? _decode;

    public AddressMap(int[] codeOffsets, int[] wasmOffsets)
    {
        _codeOffsets = codeOffsets;
        _wasmOffsets = wasmOffsets;
        Count = codeOffsets.Length;
    }

    /// <summary>A map of <paramref name="count"/> entries that <paramref name="decode"/> produces when first needed.</summary>
    public AddressMap(int count, Func<(int[] Code, int[] Wasm)> decode)
    {
        Count = count;
        _decode = decode;
    }

    public int Count { get; }

    public ReadOnlySpan<int> CodeOffsets => Decoded().Code;
    public ReadOnlySpan<int> WasmOffsets => Decoded().Wasm;

    /// <summary>The wasm offset of the operator whose code contains <paramref name="codeOffset"/>.</summary>
    public bool TryLookup(int codeOffset, out int wasmOffset)
    {
        var (code, wasm) = Decoded();
        int i = Array.BinarySearch(code, codeOffset);
        if (i < 0) i = ~i - 1;
        wasmOffset = i >= 0 ? wasm[i] : 0;
        return i >= 0;
    }

    private (int[] Code, int[] Wasm) Decoded()
    {
        if (_codeOffsets is null)
        {
            lock (this)
            {
                if (_codeOffsets is null)
                {
                    var (code, wasm) = _decode!();
                    _wasmOffsets = wasm;
                    Volatile.Write(ref _codeOffsets, code);
                    _decode = null;
                }
            }
        }
        return (_codeOffsets, _wasmOffsets!);
    }
}

/// <summary>Sorted pairs (code offset, trap code) for every explicit trap site of the module.</summary>
internal sealed class TrapTable(ReadOnlyMemory<int> codeOffsets, ReadOnlyMemory<TrapCode> codes)
{
    public TrapTable(int[] codeOffsets, TrapCode[] codes) : this((ReadOnlyMemory<int>)codeOffsets, (ReadOnlyMemory<TrapCode>)codes) { }

    public ReadOnlyMemory<int> CodeOffsets { get; } = codeOffsets;
    public ReadOnlyMemory<TrapCode> Codes { get; } = codes;

    public int Count => CodeOffsets.Length;

    public bool TryLookup(int codeOffset, out TrapCode code)
    {
        int i = CodeOffsets.Span.BinarySearch(codeOffset);
        code = i >= 0 ? Codes.Span[i] : default;
        return i >= 0;
    }
}
