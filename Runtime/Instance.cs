using System.Runtime.InteropServices;
using Sharptime.Vm;

namespace Sharptime;

/// <summary>One export of an instance.</summary>
/// <param name="Name">The export name.</param>
/// <param name="Kind">What kind of item it is.</param>
/// <param name="Item">The <see cref="Func"/>, <see cref="Table"/>, <see cref="Memory"/> or <see cref="Global"/>.</param>
public sealed record InstanceExport(string Name, ExternalKind Kind, object Item);

/// <summary>An instantiated module: its functions, memories, tables and globals, living in one store.</summary>
public sealed unsafe class Instance
{
    private readonly Dictionary<string, InstanceExport> _exportsByName = [];
    private readonly List<InstanceExport> _exports = [];

    /// <summary>
    /// Instantiates <paramref name="module"/> with <paramref name="imports"/> given in the module's import order
    /// (each a <see cref="Func"/>, <see cref="Memory"/>, <see cref="Table"/> or <see cref="Global"/>). Runs the start function.
    /// </summary>
    /// <exception cref="LinkException">An import has the wrong count, kind or type.</exception>
    /// <exception cref="TrapException">A segment was out of bounds or the start function trapped.</exception>
    /// <exception cref="ArgumentException">An import or the module belongs to another store or engine.</exception>
    public Instance(Store store, Module module, params object[] imports)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(module);
        ArgumentNullException.ThrowIfNull(imports);
        store.ThrowIfDisposed();
        Store = store;
        Module = module;
        Caller = new Caller(store, this);
        Instantiator.Run(this, imports);
    }

    /// <summary>The store the instance lives in.</summary>
    public Store Store { get; }

    /// <summary>The module it instantiates.</summary>
    public Module Module { get; }

    /// <summary>Every export, in the module's order.</summary>
    public IReadOnlyList<InstanceExport> Exports => _exports;

    internal Caller Caller { get; }

    // ---- filled by the instantiator ----
    internal nint Vmctx { get; set; }
    internal VMContextLayout Layout { get; set; } = null!;
    internal Func[] Functions { get; set; } = [];
    internal Memory[] Memories { get; set; } = [];
    internal Table[] Tables { get; set; } = [];
    internal Global[] Globals { get; set; } = [];

    /// <summary>Element segment contents (raw elements); an empty array once dropped.</summary>
    internal nint[][] ElementSegments { get; set; } = [];

    /// <summary>Data segment contents; empty once dropped.</summary>
    internal ReadOnlyMemory<byte>[] DataSegments { get; set; } = [];

    internal void AddExport(InstanceExport export)
    {
        _exports.Add(export);
        _exportsByName[export.Name] = export;
    }

    /// <summary>The managed instance owning <paramref name="vmctx"/>.</summary>
    internal static Instance? FromVmctx(nint vmctx)
    {
        nint handle = *(nint*)(vmctx + VMContextLayout.Instance);
        return handle == 0 ? null : GCHandle.FromIntPtr(handle).Target as Instance;
    }

    /// <summary>The export <paramref name="name"/> of any kind, or null.</summary>
    public object? GetExport(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        Store.ThrowIfDisposed();
        return _exportsByName.TryGetValue(name, out var e) ? e.Item : null;
    }

    /// <summary>The exported function <paramref name="name"/>, or null when there is no function of that name.</summary>
    public Func? GetFunction(string name) => GetExport(name) as Func;

    /// <summary>The exported memory <paramref name="name"/>, or null when there is no memory of that name.</summary>
    public Memory? GetMemory(string name) => GetExport(name) as Memory;

    /// <summary>The exported table <paramref name="name"/>, or null when there is no table of that name.</summary>
    public Table? GetTable(string name) => GetExport(name) as Table;

    /// <summary>The exported global <paramref name="name"/>, or null when there is no global of that name.</summary>
    public Global? GetGlobal(string name) => GetExport(name) as Global;
}
