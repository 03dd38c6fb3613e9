using Sharptime.Format;

namespace Sharptime.ComponentModel.Binary;

// The resolved component type model. Decoding turns every type index into a reference to one of these objects, so
// later stages (canonical ABI, runtime, generators) never look at type indices again. Resource types compare by
// identity (they are generative); everything else compares structurally (see TypeMatcher).

/// <summary>Anything that can sit in a component's type index space.</summary>
internal abstract class ComponentType
{
    /// <summary>Largest effective size a type definition may have (see <see cref="Size"/>).</summary>
    public const int MaxSize = 1_000_000;

    /// <summary>
    /// Effective size: the number of type nodes when every shared use is counted again (saturating). Types are DAGs,
    /// so a small binary can describe a huge tree; bounding this size bounds every walk over a type (matching,
    /// substitution, naming checks), which otherwise could take exponential time.
    /// </summary>
    public abstract int Size { get; }

    /// <summary>Saturating sum of sizes.</summary>
    public static int AddSize(int a, int b) => (int)Math.Min(int.MaxValue / 2, (long)a + b);

    /// <summary>Size of whatever an <see cref="ExternType"/> holds.</summary>
    public static int SizeOf(object type) => type switch
    {
        ComponentType t => t.Size,
        CoreModuleType m => 1 + m.Imports.Length + m.Exports.Length,
        _ => 1,
    };

    protected static int SizeOf(NamedExtern[] items)
    {
        int size = 1;
        foreach (var item in items) size = AddSize(size, SizeOf(item.Type.Type));
        return size;
    }
}

/// <summary>Primitive value type codes; the numeric value is the binary encoding.</summary>
internal enum PrimitiveKind : byte
{
    Bool = 0x7F,
    S8 = 0x7E,
    U8 = 0x7D,
    S16 = 0x7C,
    U16 = 0x7B,
    S32 = 0x7A,
    U32 = 0x79,
    S64 = 0x78,
    U64 = 0x77,
    F32 = 0x76,
    F64 = 0x75,
    Char = 0x74,
    String = 0x73,
    ErrorContext = 0x64,
}

/// <summary>A component-level value type: a primitive or a defined (compound) value type.</summary>
/// <remarks>
/// Facts about a value type (<see cref="Facts"/>) are computed once when it is built, from its already built
/// children, so checks that depend on the whole type (size bound, borrows in results, required options) never
/// recurse, and recursive walks (flattening, type matching) are bounded by <see cref="ValueTypeFacts.Depth"/>.
/// </remarks>
internal abstract class ValueType : ComponentType
{
    public ValueTypeFacts Facts { get; set; }

    /// <summary>
    /// For a nominal type (record, variant, enum, flags) that is a new name for another (an <c>eq</c> bound), the
    /// type it renames. Type checking ignores it; describing a component in WIT uses it to find <c>use</c>s.
    /// </summary>
    public ValueType? RenamedFrom { get; init; }

    public override int Size => Facts.Size;
}

/// <summary>Per-type facts computed bottom-up at construction.</summary>
internal readonly record struct ValueTypeFacts(
    int Size,
    int Depth,
    int FlatCount,
    ulong ElementSize,
    uint Alignment,
    bool ContainsBorrow,
    bool ContainsListOrString);

internal sealed class PrimitiveType : ValueType
{
    private static readonly PrimitiveType?[] s_byCode = new PrimitiveType?[0x80];

    private PrimitiveType(PrimitiveKind kind) => Kind = kind;

    public PrimitiveKind Kind { get; }

    /// <summary>The shared instance for a primitive code, or null when the byte is no primitive.</summary>
    public static PrimitiveType? FromCode(byte code) => code < 0x80 ? s_byCode[code] : null;

    public static readonly PrimitiveType Bool = Make(PrimitiveKind.Bool);
    public static readonly PrimitiveType S8 = Make(PrimitiveKind.S8);
    public static readonly PrimitiveType U8 = Make(PrimitiveKind.U8);
    public static readonly PrimitiveType S16 = Make(PrimitiveKind.S16);
    public static readonly PrimitiveType U16 = Make(PrimitiveKind.U16);
    public static readonly PrimitiveType S32 = Make(PrimitiveKind.S32);
    public static readonly PrimitiveType U32 = Make(PrimitiveKind.U32);
    public static readonly PrimitiveType S64 = Make(PrimitiveKind.S64);
    public static readonly PrimitiveType U64 = Make(PrimitiveKind.U64);
    public static readonly PrimitiveType F32 = Make(PrimitiveKind.F32);
    public static readonly PrimitiveType F64 = Make(PrimitiveKind.F64);
    public static readonly PrimitiveType Char = Make(PrimitiveKind.Char);
    public static readonly PrimitiveType String = Make(PrimitiveKind.String);
    public static readonly PrimitiveType ErrorContext = Make(PrimitiveKind.ErrorContext);

    private static PrimitiveType Make(PrimitiveKind kind)
    {
        var type = new PrimitiveType(kind);
        type.Facts = CanonicalTypes.ComputeFacts(type);
        return s_byCode[(byte)kind] = type;
    }

    public override string ToString() => Kind switch
    {
        PrimitiveKind.ErrorContext => "error-context",
        _ => Kind.ToString().ToLowerInvariant(),
    };
}

internal readonly record struct LabeledType(string Label, ValueType Type);

internal readonly record struct VariantCase(string Label, ValueType? Type);

internal sealed class RecordType(LabeledType[] fields) : ValueType
{
    public LabeledType[] Fields { get; } = fields;
}

internal sealed class VariantType(VariantCase[] cases) : ValueType
{
    public VariantCase[] Cases { get; } = cases;
}

/// <summary>A list; <see cref="Length"/> is set for fixed-size lists.</summary>
internal sealed class ListType(ValueType element, uint? length) : ValueType
{
    public ValueType Element { get; } = element;
    public uint? Length { get; } = length;
}

internal sealed class TupleType(ValueType[] types) : ValueType
{
    public ValueType[] Types { get; } = types;
}

internal sealed class FlagsType(string[] labels) : ValueType
{
    public string[] Labels { get; } = labels;
}

internal sealed class EnumType(string[] labels) : ValueType
{
    public string[] Labels { get; } = labels;
}

internal sealed class OptionType(ValueType some) : ValueType
{
    public ValueType Some { get; } = some;
}

internal sealed class ResultType(ValueType? ok, ValueType? error) : ValueType
{
    public ValueType? Ok { get; } = ok;
    public ValueType? Error { get; } = error;
}

/// <summary>An <c>own</c> or <c>borrow</c> handle to a resource.</summary>
internal sealed class HandleType(ResourceType resource, bool isBorrow) : ValueType
{
    public ResourceType Resource { get; } = resource;
    public bool IsBorrow { get; } = isBorrow;
}

/// <summary>A <c>stream</c> or <c>future</c> with an optional payload type.</summary>
internal sealed class AsyncValueType(ValueType? payload, bool isStream) : ValueType
{
    public ValueType? Payload { get; } = payload;
    public bool IsStream { get; } = isStream;
}

internal sealed class MapType(ValueType key, ValueType value) : ValueType
{
    public ValueType Key { get; } = key;
    public ValueType Value { get; } = value;
}

/// <summary>
/// A resource type. Each definition (and each <c>(sub resource)</c> import/export) is a fresh type, so resources
/// compare by reference.
/// </summary>
internal sealed class ResourceType : ComponentType
{
    private readonly ResourceType? _aliasOf;

    public ResourceType()
    {
    }

    private ResourceType(ResourceType aliasOf)
    {
        _aliasOf = aliasOf.Canonical;
        Representation = aliasOf.Representation;
        Destructor = aliasOf.Destructor;
        IsDefined = aliasOf.IsDefined;
        Name = aliasOf.Name;
    }

    /// <summary>
    /// The resource itself. Exporting or importing a resource under a name gives a new object (a new type index)
    /// that is the same resource: type equality compares <see cref="Canonical"/>, naming rules compare objects.
    /// </summary>
    public ResourceType Canonical => _aliasOf ?? this;

    /// <summary>A new name for the same resource.</summary>
    public ResourceType Alias() => new(this);

    public override int Size => 1;

    /// <summary>Representation type, for locally defined resources (always i32 today).</summary>
    public ValType? Representation { get; init; }

    /// <summary>Core function index of the destructor, for locally defined resources that have one.</summary>
    public uint? Destructor { get; init; }

    /// <summary>True for resources defined by this component (<c>resource</c> type definitions), false for abstract ones.</summary>
    public bool IsDefined { get; init; }

    /// <summary>The name under which an abstract resource was imported or exported, for messages.</summary>
    public string? Name { get; init; }
}

internal sealed class ComponentFunctionType(LabeledType[] parameters, ValueType? result, bool isAsync) : ComponentType
{
    public LabeledType[] Params { get; } = parameters;
    public ValueType? Result { get; } = result;
    public bool IsAsync { get; } = isAsync;

    public override int Size { get; } = ComputeSize(parameters, result);

    private static int ComputeSize(LabeledType[] parameters, ValueType? result)
    {
        int size = AddSize(1, result?.Size ?? 0);
        foreach (var p in parameters) size = AddSize(size, p.Type.Size);
        return size;
    }
}

/// <summary>
/// The type of an import or export (<c>externtype</c>): which sort, and the type of the item. For the type sort,
/// <see cref="Type"/> is the type itself (an <c>eq</c> bound resolved, or a fresh resource for <c>sub resource</c>).
/// </summary>
internal readonly record struct ExternType(Sort Sort, object Type)
{
    public ComponentFunctionType Function => (ComponentFunctionType)Type;
    public ComponentTypeInfo Component => (ComponentTypeInfo)Type;
    public InstanceType Instance => (InstanceType)Type;
    public CoreModuleType Module => (CoreModuleType)Type;
    public ValueType Value => (ValueType)Type;
}

internal readonly record struct NamedExtern(string Name, ExternType Type);

/// <summary>An instance type: its exports in order (names are strongly unique).</summary>
internal sealed class InstanceType(NamedExtern[] exports, ResourceType[]? declared = null) : ComponentType
{
    public NamedExtern[] Exports { get; } = exports;

    public override int Size { get; } = SizeOf(exports);

    /// <summary>The abstract resources this type declares with <c>(sub resource)</c> exports (fresh per import).</summary>
    public ResourceType[] Declared { get; } = declared ?? [];

    public bool Declares(ResourceType r) => Array.IndexOf(Declared, r) >= 0;

    /// <summary>The export with this exact name, or null.</summary>
    public ExternType? Find(string name)
    {
        foreach (var e in Exports)
        {
            if (e.Name == name) return e.Type;
        }
        return null;
    }
}

/// <summary>A component type: imports and exports in order.</summary>
internal sealed class ComponentTypeInfo(NamedExtern[] imports, NamedExtern[] exports) : ComponentType
{
    public NamedExtern[] Imports { get; } = imports;
    public NamedExtern[] Exports { get; } = exports;

    public override int Size { get; } = AddSize(SizeOf(imports), SizeOf(exports));
}

/// <summary>A core type: a function type or a module type.</summary>
internal abstract class CoreType
{
}

/// <summary>
/// A core function type. <see cref="IsFinal"/> is false only for a GC <c>sub</c> declaration without <c>final</c>:
/// such a type is distinct from the plain (final) function type of the same signature, so the two never match.
/// </summary>
internal sealed class CoreFunctionType(FuncType type, bool isFinal = true) : CoreType
{
    public FuncType Type { get; } = type;

    public bool IsFinal { get; } = isFinal;
}

/// <summary>The type of a core item; <see cref="NonFinal"/> marks a function of a non-final GC function type.</summary>
internal readonly record struct CoreExtern(ExternKind Kind, FuncType? Function, WasmTableType Table, WasmMemoryType Memory, WasmGlobalType Global, bool IsTag, bool NonFinal = false)
{
    public static CoreExtern Func(FuncType t) => new(ExternKind.Func, t, default, default, default, false);
    public static CoreExtern Func(CoreFunctionType t) => new(ExternKind.Func, t.Type, default, default, default, false, !t.IsFinal);
    public static CoreExtern Tag(FuncType t) => new(ExternKind.Func, t, default, default, default, true);
    public static CoreExtern Tag(CoreFunctionType t) => new(ExternKind.Func, t.Type, default, default, default, true, !t.IsFinal);
    public static CoreExtern OfTable(WasmTableType t) => new(ExternKind.Table, null, t, default, default, false);
    public static CoreExtern OfMemory(WasmMemoryType t) => new(ExternKind.Memory, null, default, t, default, false);
    public static CoreExtern OfGlobal(WasmGlobalType t) => new(ExternKind.Global, null, default, default, t, false);
}

internal readonly record struct CoreImport(string Module, string Name, CoreExtern Type);

internal readonly record struct CoreExport(string Name, CoreExtern Type);

/// <summary>The type of a core module: its imports and exports.</summary>
internal sealed class CoreModuleType(CoreImport[] imports, CoreExport[] exports) : CoreType
{
    public CoreImport[] Imports { get; } = imports;
    public CoreExport[] Exports { get; } = exports;
}

/// <summary>A core instance's exports (from instantiating a module, or bundled from inline exports).</summary>
internal sealed class CoreInstanceType(CoreExport[] exports)
{
    public CoreExport[] Exports { get; } = exports;

    public CoreExtern? Find(string name)
    {
        foreach (var e in Exports)
        {
            if (e.Name == name) return e.Type;
        }
        return null;
    }
}
