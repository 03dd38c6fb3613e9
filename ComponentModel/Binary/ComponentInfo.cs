using Sharptime.Format;

namespace Sharptime.ComponentModel.Binary;

/// <summary>
/// The index spaces of one scope: a component, or a component/instance type declarator (which only uses the type,
/// core type and instance spaces). Entries are resolved types, so later stages never re-read type indices.
/// </summary>
internal sealed class IndexSpaces
{
    public IndexSpaces(IndexSpaces? parent, bool isComponent)
    {
        Parent = parent;
        IsComponent = isComponent;
    }

    /// <summary>The enclosing scope, for outer aliases; null at the top level.</summary>
    public IndexSpaces? Parent { get; }

    /// <summary>True for a component scope, false for a type declarator scope.</summary>
    public bool IsComponent { get; }

    public List<FuncType> CoreFuncs { get; } = [];
    public List<WasmTableType> CoreTables { get; } = [];
    public List<WasmMemoryType> CoreMemories { get; } = [];
    public List<WasmGlobalType> CoreGlobals { get; } = [];
    public List<FuncType> CoreTags { get; } = [];
    public List<CoreType> CoreTypes { get; } = [];
    public List<CoreModuleType> CoreModules { get; } = [];
    public List<CoreInstanceType> CoreInstances { get; } = [];

    public List<ComponentFunctionType> Funcs { get; } = [];
    public List<ValueType> Values { get; } = [];
    public List<ComponentType> Types { get; } = [];
    public List<ComponentTypeInfo> Components { get; } = [];
    public List<InstanceType> Instances { get; } = [];

    /// <summary>Number of entries in a sort's index space.</summary>
    public int Count(Sort sort) => sort switch
    {
        Sort.CoreFunc => CoreFuncs.Count,
        Sort.CoreTable => CoreTables.Count,
        Sort.CoreMemory => CoreMemories.Count,
        Sort.CoreGlobal => CoreGlobals.Count,
        Sort.CoreTag => CoreTags.Count,
        Sort.CoreType => CoreTypes.Count,
        Sort.CoreModule => CoreModules.Count,
        Sort.CoreInstance => CoreInstances.Count,
        Sort.Func => Funcs.Count,
        Sort.Value => Values.Count,
        Sort.Type => Types.Count,
        Sort.Component => Components.Count,
        _ => Instances.Count,
    };
}

/// <summary>A core module defined inside a component, decoded and validated.</summary>
internal sealed record CoreModuleDefinition(ModuleInfo Module, CoreModuleType Type, int Offset);

/// <summary>How a core instance was made.</summary>
internal sealed record CoreInstanceDefinition(int Offset)
{
    /// <summary>Module instantiated, or null for an instance bundled from inline exports.</summary>
    public uint? ModuleIndex { get; init; }

    /// <summary>Instantiation arguments (name → core instance index).</summary>
    public (string Name, uint Instance)[] Arguments { get; init; } = [];

    /// <summary>Inline exports (name, sort, index), for bundled instances.</summary>
    public (string Name, Sort Sort, uint Index)[] Exports { get; init; } = [];
}

/// <summary>How a component instance was made.</summary>
internal sealed record InstanceDefinition(int Offset)
{
    /// <summary>Component instantiated, or null for an instance bundled from inline exports.</summary>
    public uint? ComponentIndex { get; init; }

    /// <summary>Instantiation arguments or inline exports (name, sort, index).</summary>
    public (string Name, Sort Sort, uint Index)[] Items { get; init; } = [];
}

internal enum AliasKind : byte
{
    InstanceExport,
    CoreInstanceExport,
    Outer,
}

/// <summary>An alias definition; <see cref="Index"/> is the index it received in its sort's space.</summary>
internal sealed record AliasDefinition(Sort Sort, AliasKind Kind, uint Instance, string? Name, uint OuterCount, uint OuterIndex, uint Index, int Offset);

internal enum StringEncoding : byte
{
    Utf8,
    Utf16,
    Latin1Utf16,
}

/// <summary>Canonical ABI options of a lift, lower or builtin.</summary>
internal sealed class CanonOptions
{
    public StringEncoding StringEncoding { get; set; }
    public bool HasStringEncoding { get; set; }
    public uint? Memory { get; set; }
    public uint? Realloc { get; set; }
    public uint? PostReturn { get; set; }
    public bool Async { get; set; }
    public uint? Callback { get; set; }

    public static readonly CanonOptions None = new();
}

internal enum CanonKind : byte
{
    Lift = 0x00,
    Lower = 0x01,
    ResourceNew = 0x02,
    ResourceDrop = 0x03,
    ResourceRep = 0x04,
    TaskCancel = 0x05,
    SubtaskCancel = 0x06,
    ResourceDropAsync = 0x07,
    BackpressureSet = 0x08,
    TaskReturn = 0x09,
    ContextGet = 0x0A,
    ContextSet = 0x0B,
    ThreadYield = 0x0C,
    SubtaskDrop = 0x0D,
    StreamNew = 0x0E,
    StreamRead = 0x0F,
    StreamWrite = 0x10,
    StreamCancelRead = 0x11,
    StreamCancelWrite = 0x12,
    StreamDropReadable = 0x13,
    StreamDropWritable = 0x14,
    FutureNew = 0x15,
    FutureRead = 0x16,
    FutureWrite = 0x17,
    FutureCancelRead = 0x18,
    FutureCancelWrite = 0x19,
    FutureDropReadable = 0x1A,
    FutureDropWritable = 0x1B,
    ErrorContextNew = 0x1C,
    ErrorContextDebugMessage = 0x1D,
    ErrorContextDrop = 0x1E,
    WaitableSetNew = 0x1F,
    WaitableSetWait = 0x20,
    WaitableSetPoll = 0x21,
    WaitableSetDrop = 0x22,
    WaitableJoin = 0x23,
    BackpressureInc = 0x24,
    BackpressureDec = 0x25,
    ThreadIndex = 0x26,
    ThreadNewIndirect = 0x27,
    ThreadResumeLater = 0x28,
    ThreadSuspend = 0x29,
    ThreadSuspendThenResume = 0x2A,
    ThreadYieldThenResume = 0x2B,
    ThreadSuspendThenPromote = 0x2C,
    ThreadYieldThenPromote = 0x2D,
    ThreadSpawnRef = 0x40,
    ThreadSpawnIndirect = 0x41,
    ThreadAvailableParallelism = 0x42,
}

/// <summary>
/// A canonical definition. <see cref="Index"/> is the index it received: in the func space for lift, in the core
/// func space for everything else.
/// </summary>
internal sealed record CanonDefinition(CanonKind Kind, int Offset)
{
    /// <summary>The core function lifted, or the component function lowered.</summary>
    public uint Function { get; init; }

    /// <summary>The component function type (lift), the resource/stream/future type (builtins), when there is one.</summary>
    public ComponentType? Type { get; init; }

    /// <summary>Result type of <c>task.return</c>.</summary>
    public ValueType? Result { get; init; }

    public CanonOptions Options { get; init; } = CanonOptions.None;

    /// <summary>The flag immediate of builtins that have one (async, cancellable, shared).</summary>
    public bool Flag { get; init; }

    /// <summary>Numeric immediate: context slot, core table index.</summary>
    public uint Immediate { get; init; }

    /// <summary>Core value type immediate of context.get/set.</summary>
    public ValType CoreValueType { get; init; }

    /// <summary>Core type index immediate of thread builtins.</summary>
    public uint CoreTypeIndex { get; init; }

    /// <summary>The core function type this definition produces (lower and builtins), or null for lift.</summary>
    public FuncType? CoreType { get; init; }

    public uint Index { get; init; }
}

internal sealed record StartDefinition(uint Function, uint[] Arguments, uint ResultCount, int Offset);

/// <summary>An import or export of the component; <see cref="Index"/> is the index it received in its sort's space.</summary>
internal sealed record ExternDefinition(string Name, ExternType Type, uint Index, int Offset)
{
    /// <summary>For exports: the index of the definition exported.</summary>
    public uint SourceIndex { get; init; }

    /// <summary>The <c>implements</c> attribute, when present.</summary>
    public string? Implements { get; init; }

    /// <summary>The <c>versionsuffix</c> attribute, when present.</summary>
    public string? VersionSuffix { get; init; }

    /// <summary>The <c>external-id</c> attribute, when present.</summary>
    public string? ExternalId { get; init; }
}

/// <summary>A custom section: name and where its payload sits in the component bytes.</summary>
internal sealed record ComponentCustomSection(string Name, int DataOffset, int DataLength);

/// <summary>
/// A decoded and validated component: its definitions in order, grouped by kind, and the resolved index spaces.
/// Offsets index <see cref="Bytes"/> (the outermost component's bytes, also for nested components).
/// </summary>
internal sealed class ComponentInfo
{
    public ComponentInfo(ReadOnlyMemory<byte> bytes, IndexSpaces spaces, int offset)
    {
        Bytes = bytes;
        Spaces = spaces;
        Offset = offset;
    }

    /// <summary>The outermost component's bytes.</summary>
    public ReadOnlyMemory<byte> Bytes { get; }

    /// <summary>Offset of this component's preamble in <see cref="Bytes"/>.</summary>
    public int Offset { get; }

    public IndexSpaces Spaces { get; }

    public List<CoreModuleDefinition> CoreModules { get; } = [];
    public List<CoreInstanceDefinition> CoreInstances { get; } = [];
    public List<ComponentInfo> Components { get; } = [];
    public List<InstanceDefinition> Instances { get; } = [];
    public List<AliasDefinition> Aliases { get; } = [];
    public List<CanonDefinition> Canons { get; } = [];
    public List<StartDefinition> Starts { get; } = [];
    public List<ExternDefinition> Imports { get; } = [];
    public List<ExternDefinition> Exports { get; } = [];
    public List<ComponentCustomSection> CustomSections { get; } = [];

    /// <summary>
    /// The names of the first <c>component-name</c> custom section, or null when there is none or it does not decode
    /// (a bad name section never rejects a component).
    /// </summary>
    public ComponentNames? Names { get; set; }

    /// <summary>The component's type: its imports and exports. Set once the whole component is validated.</summary>
    public ComponentTypeInfo Type { get; set; } = new([], []);
}
