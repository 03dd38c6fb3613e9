using Sharptime.Vm;

namespace Sharptime;

/// <summary>A WebAssembly table of references (funcref or externref). Belongs to one store.</summary>
public sealed unsafe class Table
{
    internal Table(Store store, ValKind elementKind, TableStorage storage)
    {
        Store = store;
        ElementKind = elementKind;
        Storage = storage;
        store.Own(storage);
        store.CountTable();
    }

    /// <summary>
    /// Creates a table of <paramref name="initial"/> elements set to <paramref name="init"/>. The store's
    /// <see cref="Store.Limiter"/> is asked first, and the table counts towards its <see cref="ResourceLimiter.Tables"/>.
    /// </summary>
    /// <exception cref="ArgumentException">The element kind is not a reference type, or <paramref name="init"/> has another kind or store.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The maximum is below the initial size, or the size is beyond what tables support.</exception>
    /// <exception cref="ResourceLimitExceededException">The store's limiter refused the table.</exception>
    public Table(Store store, ValKind elementKind, uint initial, uint? maximum, Val init)
        : this(CheckStore(store, initial, maximum), CheckKind(elementKind), new TableStorage(initial, maximum, store.ToRaw(CheckInit(elementKind, init)).Ref))
    {
    }

    private static Store CheckStore(Store store, uint initial, uint? maximum)
    {
        ArgumentNullException.ThrowIfNull(store);
        store.ThrowIfDisposed();
        // Validate before asking the limiter, so it only ever sees sizes that could exist.
        if (initial > TableStorage.MaxElements)
            throw new ArgumentOutOfRangeException(nameof(initial), initial, $"tables are limited to {TableStorage.MaxElements} elements");
        if (maximum < initial) throw new ArgumentOutOfRangeException(nameof(maximum), maximum, "the maximum is below the initial size");
        store.CheckNewTable(initial, maximum);
        return store;
    }

    private static ValKind CheckKind(ValKind kind) =>
        kind is ValKind.FuncRef or ValKind.ExternRef ? kind : throw new ArgumentException($"a table holds funcref or externref, not {kind}", nameof(kind));

    private static Val CheckInit(ValKind kind, Val init) =>
        init.Kind == kind ? init : throw new ArgumentException($"the value is {ValKinds.Name(init.Kind)}, the table holds {ValKinds.Name(kind)}", nameof(init));

    /// <summary>The store the table belongs to.</summary>
    public Store Store { get; }

    /// <summary>The element type: <see cref="ValKind.FuncRef"/> or <see cref="ValKind.ExternRef"/>.</summary>
    public ValKind ElementKind { get; }

    internal TableStorage Storage { get; }

    /// <summary>The minimum size the table was created with.</summary>
    public uint Minimum => (uint)Storage.Minimum;

    /// <summary>The maximum size, or null when unbounded.</summary>
    public uint? Maximum => (uint?)Storage.Maximum;

    /// <summary>The current number of elements.</summary>
    public uint Size
    {
        get
        {
            Store.ThrowIfDisposed();
            return (uint)Storage.Length;
        }
    }

    /// <summary>The element at <paramref name="index"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The index is beyond the table's end.</exception>
    public Val Get(uint index)
    {
        Check(index);
        var raw = new ValRaw { Ref = Storage.Elements[index] };
        return Store.FromRaw(ElementKind, raw);
    }

    /// <summary>Sets the element at <paramref name="index"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The index is beyond the table's end.</exception>
    /// <exception cref="ArgumentException">The value has the wrong kind or belongs to another store.</exception>
    public void Set(uint index, Val value)
    {
        Check(index);
        CheckInit(ElementKind, value);
        Storage.Elements[index] = Store.ToRaw(value).Ref;
    }

    /// <summary>
    /// Grows the table by <paramref name="delta"/> elements set to <paramref name="init"/>, after asking the store's
    /// <see cref="Store.Limiter"/>; an exception the limiter throws propagates.
    /// </summary>
    /// <returns>The size before growing.</returns>
    /// <exception cref="InvalidOperationException">The table cannot grow that much, or the limiter refused.</exception>
    public uint Grow(uint delta, Val init)
    {
        Store.ThrowIfDisposed();
        CheckInit(ElementKind, init);
        long old = Store.GrowTable(Storage, delta, Store.ToRaw(init).Ref, fromWasm: false);
        if (old < 0)
            throw new InvalidOperationException($"cannot grow table of {Size} elements by {delta} (maximum {Maximum?.ToString() ?? "none"}" +
                (Store.Limiter is { } limiter ? $", or refused by the store's limiter {limiter})" : ")"));
        return (uint)old;
    }

    private void Check(uint index)
    {
        Store.ThrowIfDisposed();
        if (index >= Storage.Length)
            throw new ArgumentOutOfRangeException(nameof(index), index, $"the table has {Storage.Length} elements");
    }

    /// <summary>The table type in WAT notation, e.g. <c>(table 0 funcref)</c>.</summary>
    public override string ToString() => $"(table {Minimum}{(Maximum is { } m ? $" {m}" : "")} {ValKinds.Name(ElementKind)})";
}
