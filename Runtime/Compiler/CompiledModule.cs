namespace Sharptime.Compiler;

/// <summary>What compiling a module produces: one position-independent text section and where things are in it.</summary>
internal sealed class CompiledModule
{
    /// <summary>The text section: every function, the array-call entry trampolines and the trap stub.</summary>
    public required byte[] Code { get; init; }

    /// <summary>Per defined function: offset of its wasm-call entry.</summary>
    public required int[] FunctionOffsets { get; init; }

    /// <summary>Per defined function: offset of its array-call entry trampoline.</summary>
    public required int[] ArrayEntryOffsets { get; init; }
}
