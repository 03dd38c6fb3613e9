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
        ulong limit = Math.Min(Maximum ?? uint.MaxValue, MaxElements);
        if (delta > limit || old + delta > limit) return -1;
        ulong length = old + delta;
        nint* elements;
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
        NativeMemory.Free(Elements);
        NativeMemory.Free((void*)Definition);
        Definition = 0;
    }
}
