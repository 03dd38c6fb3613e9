using System.Runtime.InteropServices;

namespace Sharptime;

/// <summary>A WebAssembly global: one value in a 16-byte native cell. Belongs to one store.</summary>
public sealed unsafe class Global
{
    internal Global(Store store, ValKind kind, bool mutable, nint cell)
    {
        Store = store;
        Kind = kind;
        Mutable = mutable;
        Cell = cell;
    }

    /// <summary>Creates a global of <paramref name="kind"/> holding <paramref name="initial"/>.</summary>
    /// <exception cref="ArgumentException"><paramref name="initial"/> has another kind or belongs to another store.</exception>
    public Global(Store store, ValKind kind, bool mutable, Val initial)
        : this(CheckStore(store), kind, mutable, store.Alloc(16))
    {
        CheckKind(initial);
        *(ValRaw*)Cell = store.ToRaw(initial);
    }

    private static Store CheckStore(Store store)
    {
        ArgumentNullException.ThrowIfNull(store);
        store.ThrowIfDisposed();
        return store;
    }

    private void CheckKind(in Val value)
    {
        if (value.Kind != Kind)
            throw new ArgumentException($"the value is {ValKinds.Name(value.Kind)}, the global holds {ValKinds.Name(Kind)}", nameof(value));
    }

    /// <summary>The store the global belongs to.</summary>
    public Store Store { get; }

    /// <summary>The value type.</summary>
    public ValKind Kind { get; }

    /// <summary>Whether the value may change.</summary>
    public bool Mutable { get; }

    /// <summary>The native 16-byte cell.</summary>
    internal nint Cell { get; }

    /// <summary>The current value.</summary>
    /// <exception cref="InvalidOperationException">Setting an immutable global.</exception>
    /// <exception cref="ArgumentException">The new value has another kind or belongs to another store.</exception>
    public Val Value
    {
        get
        {
            Store.ThrowIfDisposed();
            return Store.FromRaw(Kind, *(ValRaw*)Cell);
        }
        set
        {
            Store.ThrowIfDisposed();
            if (!Mutable) throw new InvalidOperationException($"the global is immutable ({this})");
            CheckKind(value);
            *(ValRaw*)Cell = Store.ToRaw(value);
        }
    }

    /// <summary>The global type in WAT notation, e.g. <c>(global (mut i32))</c>.</summary>
    public override string ToString() => Mutable ? $"(global (mut {ValKinds.Name(Kind)}))" : $"(global {ValKinds.Name(Kind)})";
}
