using Sharptime.Format;

namespace Sharptime.Vm;

/// <summary>
/// Layout of the per-store context that compiled code and trampolines share with C#.
/// <code>
/// 0  StackLimit   lowest rsp wasm may use; checked at every function entry
/// 8  EntryFrame   innermost entry-trampoline record (null outside wasm)
/// 16 TrapCode     int: the last trap (a TrapCode, or TrapCodes.HostException)
/// 24 TrapPc       code address of the trap site
/// 32 TrapFp       frame pointer at the trap site
/// 40 LastExitFp   frame of the most recent exit trampoline (wasm → host); entry records save and restore it
/// 48 TrapHook     void (VMStoreContext*): called by the raise stub before unwinding, or null (no backtraces)
/// 56 StoreHandle  weak GCHandle of the owning Store
/// 64 EpochPtr     ulong*: the engine's epoch counter (stable native address, bumped by Engine.IncrementEpoch)
/// 72 EpochDeadline ulong: code compiled with epoch interruption calls the EpochDeadline builtin once
///                 *EpochPtr >= this, at function entry and loop headers
/// 80 FuelConsumed long: fuel used minus fuel granted (negative while fuel remains). While wasm compiled with fuel
///                 consumption runs, the live count is in r12; trampolines and libcalls store it here whenever the
///                 host can look (and reload it after), so it is current in host code and after a call or trap
/// </code>
/// </summary>
internal static class VMStoreContextLayout
{
    public const int StackLimit = 0;
    public const int EntryFrame = 8;
    public const int TrapCode = 16;
    public const int TrapPc = 24;
    public const int TrapFp = 32;
    public const int LastExitFp = 40;
    public const int TrapHook = 48;
    public const int StoreHandle = 56;
    public const int EpochPtr = 64;
    public const int EpochDeadline = 72;
    public const int FuelConsumed = 80;
    public const int Size = 88;
}

/// <summary>
/// <c>VMFuncRef</c>: what a funcref points to, 32 bytes, native, stable for the owner's lifetime.
/// <code>
/// 0  WasmCall    code address using the internal wasm convention (r14 = Vmctx, args on the stack)
/// 8  ArrayCall   entry trampoline: int (nint calleeVmctx, nint callerVmctx, ValRaw* values, nuint count), or 0 for host functions
/// 16 TypeId      int: the engine-wide canonical type id
/// 24 Vmctx       the callee's context (an instance's VMContext, or a host function's context)
/// </code>
/// </summary>
internal static class VMFuncRefLayout
{
    public const int WasmCall = 0;
    public const int ArrayCall = 8;
    public const int TypeId = 16;
    public const int Vmctx = 24;
    public const int Size = 32;
}

/// <summary>A linear memory's definition: <c>0 base</c>, <c>8 length in bytes</c>. Base never moves (the whole range is reserved up front).</summary>
internal static class VMMemoryLayout
{
    public const int Base = 0;
    public const int Length = 8;
    public const int Size = 16;
}

/// <summary>A table's definition: <c>0 base</c> (array of nint elements), <c>8 length in elements</c> (64-bit). Base moves on growth.</summary>
internal static class VMTableLayout
{
    public const int Base = 0;
    public const int Length = 8;
    public const int Size = 16;
}

/// <summary>
/// A host function's context, what r14 holds while its exit trampoline runs. The first word matches
/// <see cref="VMContextLayout.StoreContext"/> so the trap path can use it like an instance's context.
/// <code>
/// 0  StoreContext
/// 8  Dispatch    int (nint hostCtx, nint callerVmctx, ValRaw* values, nuint count), [UnmanagedCallersOnly]
/// 16 Handle      GCHandle of the managed host function
/// 32 FuncRef     this function's VMFuncRef (32 bytes)
/// </code>
/// </summary>
internal static class VMHostContextLayout
{
    public const int StoreContext = 0;
    public const int Dispatch = 8;
    public const int Handle = 16;
    public const int FuncRef = 32;
    public const int Size = 64;
}

/// <summary>
/// Layout of one instance's VMContext, computed per module. Fixed header, then arrays indexed by wasm index spaces.
/// <code>
/// 0  StoreContext   VMStoreContext*
/// 8  Builtins       nint*: table of libcall entry points, indexed by <see cref="Builtin"/>
/// 16 Instance       GCHandle of the managed instance
/// 24 ...            TypeIds: int per module type (canonical engine type ids), padded to 8
///                   FuncRefs: VMFuncRef* per function index (imports point at the exporter's)
///                   Memories: VMMemory* per memory index
///                   Tables: VMTable* per table index
///                   Globals: 16-byte value cell pointer per global index
///                   DefinedFuncRefs: VMFuncRef (32 bytes) per defined function
/// </code>
/// </summary>
internal sealed class VMContextLayout
{
    public const int StoreContext = 0;
    public const int Builtins = 8;
    public const int Instance = 16;
    private const int HeaderSize = 24;

    public VMContextLayout(ModuleInfo module)
    {
        TypeCount = module.Types.Count;
        FunctionCount = module.FunctionTypeIndices.Count;
        DefinedFunctionCount = FunctionCount - module.ImportedFunctionCount;
        ImportedFunctionCount = module.ImportedFunctionCount;
        MemoryCount = module.Memories.Count;
        TableCount = module.Tables.Count;
        GlobalCount = module.Globals.Count;

        int offset = HeaderSize;
        TypeIds = offset;
        offset += 4 * TypeCount;
        offset = (offset + 7) & ~7;
        FuncRefs = offset;
        offset += 8 * FunctionCount;
        Memories = offset;
        offset += 8 * MemoryCount;
        Tables = offset;
        offset += 8 * TableCount;
        Globals = offset;
        offset += 8 * GlobalCount;
        offset = (offset + 15) & ~15;
        DefinedFuncRefs = offset;
        offset += VMFuncRefLayout.Size * DefinedFunctionCount;
        Size = offset;
    }

    public int TypeCount { get; }
    public int FunctionCount { get; }
    public int ImportedFunctionCount { get; }
    public int DefinedFunctionCount { get; }
    public int MemoryCount { get; }
    public int TableCount { get; }
    public int GlobalCount { get; }

    public int TypeIds { get; }
    public int FuncRefs { get; }
    public int Memories { get; }
    public int Tables { get; }
    public int Globals { get; }
    public int DefinedFuncRefs { get; }
    public int Size { get; }

    public int TypeId(uint typeIndex) => TypeIds + 4 * (int)typeIndex;
    public int FuncRef(uint functionIndex) => FuncRefs + 8 * (int)functionIndex;
    public int Memory(uint memoryIndex) => Memories + 8 * (int)memoryIndex;
    public int Table(uint tableIndex) => Tables + 8 * (int)tableIndex;
    public int Global(uint globalIndex) => Globals + 8 * (int)globalIndex;
    public int DefinedFuncRef(int definedIndex) => DefinedFuncRefs + VMFuncRefLayout.Size * definedIndex;
}

/// <summary>
/// Libcalls compiled code reaches through <see cref="VMContextLayout.Builtins"/>. SysV calling convention;
/// the first argument is always the calling instance's vmctx. "→ trap" builtins return 0 or a <see cref="Sharptime.TrapCode"/>.
/// </summary>
internal enum Builtin
{
    /// <summary>long (vmctx, uint memory, ulong deltaPages) → old size in pages, or -1.</summary>
    MemoryGrow,
    /// <summary>int (vmctx, uint memory, ulong dst, uint value, ulong length) → trap.</summary>
    MemoryFill,
    /// <summary>int (vmctx, uint dstMemory, uint srcMemory, ulong dst, ulong src, ulong length) → trap.</summary>
    MemoryCopy,
    /// <summary>int (vmctx, uint memory, uint data, ulong dst, uint src, uint length) → trap.</summary>
    MemoryInit,
    /// <summary>void (vmctx, uint data).</summary>
    DataDrop,
    /// <summary>long (vmctx, uint table, nint init, ulong delta) → old size, or -1.</summary>
    TableGrow,
    /// <summary>int (vmctx, uint table, ulong dst, nint value, ulong length) → trap.</summary>
    TableFill,
    /// <summary>int (vmctx, uint dstTable, uint srcTable, ulong dst, ulong src, ulong length) → trap.</summary>
    TableCopy,
    /// <summary>int (vmctx, uint table, uint elem, ulong dst, uint src, uint length) → trap.</summary>
    TableInit,
    /// <summary>void (vmctx, uint elem).</summary>
    ElemDrop,
    /// <summary>int (vmctx) → trap: the epoch deadline passed; runs the store's deadline callback (0: continue).</summary>
    EpochDeadline,
    Count,
}
