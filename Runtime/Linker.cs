using System.Runtime.CompilerServices;

namespace Sharptime;

/// <summary>
/// Resolves a module's imports by name and instantiates it. Definitions are either items of a store
/// (<see cref="Define"/>, <see cref="DefineInstance"/>) or store-independent host functions
/// (<c>DefineFunction</c>), created in each store at instantiation.
/// </summary>
/// <typeparam name="T">The store data type.</typeparam>
public sealed partial class Linker<T>
{
    private readonly Dictionary<(string Module, string Name), object> _definitions = [];

    /// <summary>Creates an empty linker for modules of <paramref name="engine"/>.</summary>
    public Linker(Engine engine)
    {
        ArgumentNullException.ThrowIfNull(engine);
        Engine = engine;
    }

    /// <summary>The engine.</summary>
    public Engine Engine { get; }

    /// <summary>Whether a definition may replace an earlier one of the same name (default false).</summary>
    public bool AllowShadowing { get; set; }

    /// <summary>Defines <c>module::name</c> as <paramref name="item"/>: a <see cref="Func"/>, <see cref="Memory"/>, <see cref="Table"/> or <see cref="Global"/>.</summary>
    /// <exception cref="ArgumentException"><paramref name="item"/> is of another type.</exception>
    /// <exception cref="InvalidOperationException">The name is already defined and <see cref="AllowShadowing"/> is false.</exception>
    public void Define(string module, string name, object item)
    {
        ArgumentNullException.ThrowIfNull(item);
        if (item is not (Func or Memory or Table or Global))
            throw new ArgumentException($"{item.GetType()} is not a Func, Memory, Table or Global", nameof(item));
        Add(module, name, item);
    }

    /// <summary>Defines <c>module::name</c> as an untyped host function of <paramref name="type"/>, created in each store at instantiation.</summary>
    /// <exception cref="InvalidOperationException">The name is already defined and <see cref="AllowShadowing"/> is false.</exception>
    public void DefineFunction(string module, string name, FunctionType type, HostCallback callback)
    {
        ArgumentNullException.ThrowIfNull(type);
        ArgumentNullException.ThrowIfNull(callback);
        DefineFactory(module, name, store => Func.FromCallback(store, type, callback));
    }

    /// <summary>Defines every export of <paramref name="instance"/> under <paramref name="moduleName"/>.</summary>
    /// <exception cref="ArgumentException">The instance belongs to another store.</exception>
    /// <exception cref="InvalidOperationException">A name is already defined and <see cref="AllowShadowing"/> is false.</exception>
    public void DefineInstance(Store<T> store, string moduleName, Instance instance)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(instance);
        store.ThrowIfDisposed();
        store.CheckOwns(instance.Store, "instance");
        foreach (var e in instance.Exports) Add(moduleName, e.Name, e.Item);
    }

    /// <summary>The item defined as <c>module::name</c> in <paramref name="store"/> (creating a host function if needed), or null.</summary>
    public object? Get(Store<T> store, string module, string name)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(module);
        ArgumentNullException.ThrowIfNull(name);
        return _definitions.TryGetValue((module, name), out var d) ? Resolve(store, d) : null;
    }

    /// <summary>Instantiates <paramref name="module"/> in <paramref name="store"/>, resolving its imports by name.</summary>
    /// <exception cref="LinkException">An import is missing, or has the wrong kind or type.</exception>
    /// <exception cref="TrapException">A segment was out of bounds or the start function trapped.</exception>
    /// <exception cref="ArgumentException">A definition, or the module, belongs to another store or engine.</exception>
    public Instance Instantiate(Store<T> store, Module module)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(module);
        store.ThrowIfDisposed();
        if (!ReferenceEquals(module.Engine, Engine) || !ReferenceEquals(store.Engine, Engine))
            throw new ArgumentException("the linker, the store and the module must belong to the same engine");
        var imports = new object[module.Imports.Count];
        for (int i = 0; i < imports.Length; i++)
        {
            var import = module.Imports[i];
            if (!_definitions.TryGetValue((import.ModuleName, import.Name), out var d))
                throw new LinkException($"unknown import: `{import.ModuleName}::{import.Name}` has not been defined");
            imports[i] = Resolve(store, d);
        }
        return new Instance(store, module, imports);
    }

    private void DefineFactory(string module, string name, System.Func<Store, Func> factory) =>
        Add(module, name, new HostDefinition(factory));

    private void Add(string module, string name, object definition)
    {
        ArgumentNullException.ThrowIfNull(module);
        ArgumentNullException.ThrowIfNull(name);
        if (!AllowShadowing && _definitions.ContainsKey((module, name)))
            throw new InvalidOperationException($"`{module}::{name}` is already defined");
        _definitions[(module, name)] = definition;
    }

    private static object Resolve(Store store, object definition) =>
        definition is HostDefinition host ? host.For(store) : definition;

    /// <summary>A store-independent host function: one <see cref="Func"/> per store, created on first use.</summary>
    private sealed class HostDefinition(System.Func<Store, Func> factory)
    {
        private readonly ConditionalWeakTable<Store, Func> _perStore = [];

        public Func For(Store store)
        {
            store.ThrowIfDisposed();
            if (_perStore.TryGetValue(store, out var f)) return f;
            f = factory(store);
            _perStore.Add(store, f);
            return f;
        }
    }
}
