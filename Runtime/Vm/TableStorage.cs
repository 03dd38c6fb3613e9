using System.Runtime.InteropServices;

namespace Sharptime.Vm;

/// <summary>
/// A table's native storage: a VMTable definition {base, length} whose base is a NativeMemory array of nint
/// elements (VMFuncRef* for funcref, store handles for externref). Growth reallocates and updates the base.
/// </summary>
internal sealed unsafe class TableStorage : IDisposable
{
    public const ulong MaxElements = 10_000_000;

    public TableStorage(ulong minimum, ulong? maximum, nint init)
    {
        if (minimum > MaxElements) throw new ArgumentOutOfRangeException(nameof(minimum), minimum, $"tables are limited to {MaxElements} elements");
        if (maximum is { } max && max < minimum) throw new ArgumentOutOfRangeException(nameof(maximum), maximum, "the maximum is below the minimum");
        Minimum = minimum;
        Maximum = maximum;
        Definition = (nint)NativeMemory.AllocZeroed(VMTableLayout.Size);
        var elements = (nint*)NativeMemory.AllocZeroed((nuint)Math.Max(minimum, 1), (nuint)sizeof(nint));
        for (ulong i = 0; i < minimum; i++) elements[i] = init;
        *(nint**)(Definition + VMTableLayout.Base) = elements;
        *(ulong*)(Definition + VMTableLayout.Length) = minimum;
    }

    // Set for a table living in a slot of the pooling allocator: its elements never move (growth stops at the slot's
    // capacity) and Dispose hands the slot back instead of freeing them.
    private readonly Pooling.PoolingInstanceAllocator? _pool;
    private readonly int _slot;
    private readonly ulong _capacity = MaxElements;

    /// <summary>A table in a pooled slot of <paramref name="capacity"/> zeroed elements at <paramref name="elements"/>.</summary>
    internal TableStorage(ulong minimum, ulong? maximum, nint init, nint* elements, ulong capacity, Pooling.PoolingInstanceAllocator pool, int slot)
    {
        if (minimum > capacity) throw new ArgumentOutOfRangeException(nameof(minimum), minimum, $"the table slot holds {capacity} elements");
        Minimum = minimum;
        Maximum = maximum;
        _pool = pool;
        _slot = slot;
        _capacity = capacity;
        Definition = (nint)NativeMemory.AllocZeroed(VMTableLayout.Size);
        if (init != 0) for (ulong i = 0; i < minimum; i++) elements[i] = init;
        *(nint**)(Definition + VMTableLayout.Base) = elements;
        *(ulong*)(Definition + VMTableLayout.Length) = minimum;
    }

    public ulong Minimum { get; }
    public ulong? Maximum { get; }
    public nint Definition { get; private set; }

    public nint* Elements => *(nint**)(Definition + VMTableLayout.Base);
    public ulong Length => *(ulong*)(Definition + VMTableLayout.Length);

    public Span<nint> Span => new(Elements, (int)Length);

    /// <summary>Grows by <paramref name="delta"/> elements set to <paramref name="init"/>; the old length, or -1.</summary>
    public long Grow(ulong delta, nint init)
    {
        ulong old = Length;
        if (delta == 0) return (long)old;
        ulong limit = Math.Min(Maximum ?? uint.MaxValue, _capacity);
        if (delta > limit || old + delta > limit) return -1;
        ulong length = old + delta;
        nint* elements;
        if (_pool is not null)
        {
            // The slot already holds `_capacity` zeroed elements: growing is filling them.
            elements = Elements;
            for (ulong i = old; i < length; i++) elements[i] = init;
            *(ulong*)(Definition + VMTableLayout.Length) = length;
            return (long)old;
        }
        try
        {
            elements = (nint*)NativeMemory.Realloc(Elements, (nuint)(length * (ulong)sizeof(nint)));
        }
        catch (OutOfMemoryException)
        {
            return -1;
        }
        for (ulong i = old; i < length; i++) elements[i] = init;
        *(nint**)(Definition + VMTableLayout.Base) = elements;
        *(ulong*)(Definition + VMTableLayout.Length) = length;
        return (long)old;
    }

    public void Dispose()
    {
        if (Definition == 0) return;
        if (_pool is not null) _pool.ReturnTable(_slot, Length);
        else NativeMemory.Free(Elements);
        NativeMemory.Free((void*)Definition);
        Definition = 0;
    }
}
