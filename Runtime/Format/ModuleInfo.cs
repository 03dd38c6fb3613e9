namespace Sharptime.Format;

/// <summary>
/// A decoded module: everything later stages need, without re-parsing sections.
/// Byte ranges (<see cref="ConstExpr"/>, <see cref="FunctionBody"/>, data payloads) index <see cref="Bytes"/>.
/// Index spaces put imports first, as the spec does.
/// </summary>
internal sealed class ModuleInfo
{
    public ModuleInfo(ReadOnlyMemory<byte> bytes) => Bytes = bytes;

    /// <summary>The whole binary module.</summary>
    public ReadOnlyMemory<byte> Bytes { get; }

    public List<FuncType> Types { get; } = [];
    public List<Import> Imports { get; } = [];

    /// <summary>Type index of every function, imported ones first.</summary>
    public List<uint> FunctionTypeIndices { get; } = [];
    public int ImportedFunctionCount { get; set; }

    /// <summary>Where each function is declared (its import entry, or its type index in the function section), for error reports.</summary>
    public List<int> FunctionOffsets { get; } = [];

    /// <summary>Every table, imported ones first.</summary>
    public List<WasmTableType> Tables { get; } = [];
    public int ImportedTableCount { get; set; }

    /// <summary>Where each table is declared (its import entry or table section entry), for error reports.</summary>
    public List<int> TableOffsets { get; } = [];

    /// <summary>Every memory, imported ones first.</summary>
    public List<WasmMemoryType> Memories { get; } = [];
    public int ImportedMemoryCount { get; set; }

    /// <summary>Where each memory is declared (its import entry or memory section entry), for error reports.</summary>
    public List<int> MemoryOffsets { get; } = [];

    /// <summary>Every global, imported ones first; imported globals have no initializer.</summary>
    public List<GlobalInfo> Globals { get; } = [];
    public int ImportedGlobalCount { get; set; }

    public List<Export> Exports { get; } = [];
    public uint? StartFunction { get; set; }
    /// <summary>Offset of the start section's function index.</summary>
    public int StartFunctionOffset { get; set; }
    public List<ElementSegment> Elements { get; } = [];

    /// <summary>
    /// The data count section's value, when the section is present. When null, a body using <c>memory.init</c> or
    /// <c>data.drop</c> is malformed ("data count section required").
    /// </summary>
    public uint? DataCount { get; set; }
    /// <summary>Offset of the data count section's value, when present.</summary>
    public int DataCountOffset { get; set; }
    public List<DataSegment> Data { get; } = [];

    /// <summary>Bodies of the defined functions; body i belongs to function <c>ImportedFunctionCount + i</c>.</summary>
    public List<FunctionBody> FunctionBodies { get; } = [];

    /// <summary>
    /// Functions referenced outside function bodies (exports, element segments, global initializers):
    /// the only ones <c>ref.func</c> may name inside a body. Filled by module validation before bodies are validated.
    /// </summary>
    public HashSet<uint> DeclaredFunctionReferences { get; } = [];

    /// <summary>
    /// Per defined function, once its body was validated: its most used locals, most used first (see
    /// <c>Validation.LocalUseRanking</c>), so the baseline compiler can pick register locals without another pass
    /// over the body. Null (or a null entry) when not computed; the compiler then counts itself.
    /// </summary>
    public uint[]?[]? LocalUseRankings => LocalUseRankingsField;

    /// <summary>Backing field of <see cref="LocalUseRankings"/>, a field so validators can create it atomically.</summary>
    internal uint[]?[]? LocalUseRankingsField;

    public NameSection Names { get; } = new();
    public List<CustomSection> CustomSections { get; } = [];

    public FuncType FunctionType(uint functionIndex) => Types[(int)FunctionTypeIndices[(int)functionIndex]];
}

internal sealed class FuncType : IEquatable<FuncType>
{
    public FuncType(ValType[] parameters, ValType[] results)
    {
        Params = parameters;
        Results = results;
    }

    public ValType[] Params { get; }
    public ValType[] Results { get; }

    public bool Equals(FuncType? other) =>
        other is not null && Params.AsSpan().SequenceEqual(other.Params) && Results.AsSpan().SequenceEqual(other.Results);

    public override bool Equals(object? obj) => Equals(obj as FuncType);

    public override int GetHashCode()
    {
        var hash = new HashCode();
        foreach (var t in Params) hash.Add(t);
        hash.Add(-1);
        foreach (var t in Results) hash.Add(t);
        return hash.ToHashCode();
    }

    public override string ToString() =>
        $"[{string.Join(" ", Params.Select(p => p.Name()))}] -> [{string.Join(" ", Results.Select(r => r.Name()))}]";
}

internal enum ExternKind : byte
{
    Func = 0,
    Table = 1,
    Memory = 2,
    Global = 3,
}

/// <summary>Size limits in units of pages (memories) or elements (tables).</summary>
internal readonly record struct Limits(ulong Min, ulong? Max);

internal readonly record struct WasmTableType(ValType ElementType, Limits Limits);

internal readonly record struct WasmMemoryType(Limits Limits, bool Shared = false, bool Is64 = false);

internal readonly record struct WasmGlobalType(ValType Type, bool Mutable);

/// <summary>A constant expression's bytes in the module, from its first operator through its <c>end</c>.</summary>
internal readonly record struct ConstExpr(int Offset, int Length);

internal sealed record GlobalInfo(WasmGlobalType Type, ConstExpr? Init)
{
    /// <summary>Offset of the global's declaration (import entry or global section entry).</summary>
    public int Offset { get; init; }
}

internal sealed class Import
{
    public required string Module { get; init; }
    public required string Name { get; init; }
    public required ExternKind Kind { get; init; }
    /// <summary>Type index, for function imports.</summary>
    public uint FunctionTypeIndex { get; init; }
    public WasmTableType Table { get; init; }
    public WasmMemoryType Memory { get; init; }
    public WasmGlobalType Global { get; init; }
    /// <summary>Offset of the import entry in the module.</summary>
    public int Offset { get; init; }
}

internal sealed record Export(string Name, ExternKind Kind, uint Index, int Offset);

internal enum SegmentMode : byte
{
    Active,
    Passive,
    Declarative,
}

internal sealed class ElementSegment
{
    public required SegmentMode Mode { get; init; }
    public uint TableIndex { get; init; }
    /// <summary>Offset expression, for active segments.</summary>
    public ConstExpr? TableOffset { get; init; }
    public required ValType ElementType { get; init; }
    /// <summary>Function indices, when the segment uses the index encoding; otherwise null.</summary>
    public uint[]? FunctionIndices { get; init; }
    /// <summary>Item expressions, when the segment uses the expression encoding; otherwise null.</summary>
    public ConstExpr[]? Expressions { get; init; }
    public int Count => FunctionIndices?.Length ?? Expressions!.Length;
    public int Offset { get; init; }
}

internal sealed class DataSegment
{
    public required SegmentMode Mode { get; init; }
    public uint MemoryIndex { get; init; }
    /// <summary>Offset expression, for active segments.</summary>
    public ConstExpr? MemoryOffset { get; init; }
    /// <summary>Where the payload bytes start in the module.</summary>
    public required int DataOffset { get; init; }
    public required int DataLength { get; init; }
    public int Offset { get; init; }
}

/// <summary>A function body: from its local declarations through its final <c>end</c>.</summary>
/// <remarks>
/// The decoder has already checked the local declarations (value types, total count at most 2^32-1), so
/// <see cref="CodeOffset"/> and <see cref="LocalCount"/> may be trusted; operators are not decoded yet.
/// </remarks>
internal readonly record struct FunctionBody(int Offset, int Length)
{
    /// <summary>Offset of the first operator, just after the local declarations.</summary>
    public int CodeOffset { get; init; }

    /// <summary>Number of declared locals, parameters excluded.</summary>
    public uint LocalCount { get; init; }

    /// <summary>Number of local declaration entries (runs of one type).</summary>
    public int LocalDeclCount { get; init; }
}

internal sealed record CustomSection(string Name, int DataOffset, int DataLength);

/// <summary>Decoded contents of the <c>name</c> custom section (absent entries are simply missing).</summary>
internal sealed class NameSection
{
    public string? ModuleName { get; set; }
    public Dictionary<uint, string> FunctionNames { get; } = [];
    public Dictionary<uint, Dictionary<uint, string>> LocalNames { get; } = [];
}
