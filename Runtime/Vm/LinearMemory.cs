using System.Runtime.InteropServices;

namespace Sharptime.Vm;

/// <summary>
/// A linear memory: the whole addressable range is reserved up front (PROT_NONE) and committed read-write as it
/// grows, so the base never moves. For guard-page bounds checks the reservation is larger than any 32-bit address
/// plus unchecked offset (<see cref="Config.GuardedMemoryReservation"/>), so such accesses past the end fault.
/// Owns a native VMMemory definition {base, length in bytes}.
/// </summary>
internal sealed unsafe class LinearMemory : IDisposable
{
    public const ulong PageSize = 65536;
    public const ulong MaxPages = 65536;

    private readonly nuint _reserved;

    public LinearMemory(ulong minimumPages, ulong? maximumPages) : this(minimumPages, maximumPages, 0)
    {
    }

    /// <param name="minimumPages">Initial size in pages.</param>
    /// <param name="maximumPages">Growth limit in pages, or null for 65536.</param>
    /// <param name="guardedReservation">
    /// 0: reserve just the maximum size (code checks every access). Otherwise the bytes to reserve whatever the
    /// maximum (<see cref="Config.GuardedMemoryReservation"/>): at least 4 GiB, so guard-page code that leaves an
    /// access unchecked always lands in this reservation, and faults past the committed pages.
    /// </param>
    public LinearMemory(ulong minimumPages, ulong? maximumPages, ulong guardedReservation)
    {
        if (minimumPages > MaxPages) throw new ArgumentOutOfRangeException(nameof(minimumPages), minimumPages, "a memory has at most 65536 pages");
        if (maximumPages is { } max && (max > MaxPages || max < minimumPages))
            throw new ArgumentOutOfRangeException(nameof(maximumPages), maximumPages, "the maximum must be between the minimum and 65536 pages");
        Minimum = minimumPages;
        Maximum = maximumPages;
        if (guardedReservation is > 0 and < MaxPages * PageSize)
            throw new ArgumentOutOfRangeException(nameof(guardedReservation), guardedReservation, "a guarded reservation covers at least 4 GiB");
        ulong reservePages = Math.Max(1, maximumPages ?? MaxPages);
        _reserved = (nuint)(guardedReservation > 0 ? guardedReservation : reservePages * PageSize);
        IsGuarded = guardedReservation > 0;
        Base = NativeMethods.Map(_reserved, NativeMethods.ProtNone);
        Definition = (nint)NativeMemory.AllocZeroed(VMMemoryLayout.Size);
        *(nint*)(Definition + VMMemoryLayout.Base) = Base;
        try
        {
            NativeMethods.Protect(Base, (nuint)(minimumPages * PageSize), NativeMethods.ProtRead | NativeMethods.ProtWrite);
        }
        catch
        {
            Dispose();
            throw;
        }
        *(ulong*)(Definition + VMMemoryLayout.Length) = minimumPages * PageSize;
    }

    /// <summary>Whether the reservation covers every address guard-page code can form (see the constructor).</summary>
    public bool IsGuarded { get; }

    public ulong Minimum { get; }
    public ulong? Maximum { get; }
    public nint Base { get; private set; }

    /// <summary>The native VMMemory definition.</summary>
    public nint Definition { get; private set; }

    public ulong ByteLength => *(ulong*)(Definition + VMMemoryLayout.Length);
    public ulong Pages => ByteLength / PageSize;

    /// <summary>Grows by <paramref name="deltaPages"/>; the old size in pages, or -1 when the maximum (or 65536 pages, or the host) forbids it.</summary>
    public long Grow(ulong deltaPages)
    {
        ulong old = Pages;
        if (deltaPages == 0) return (long)old;
        ulong limit = Maximum ?? MaxPages;
        if (deltaPages > limit || old + deltaPages > limit) return -1;
        ulong newBytes = (old + deltaPages) * PageSize;
        if (newBytes > _reserved) return -1;
        if (Base + (nint)ByteLength is var start &&
            !TryProtect(start, (nuint)(deltaPages * PageSize))) return -1;
        *(ulong*)(Definition + VMMemoryLayout.Length) = newBytes;
        return (long)old;
    }

    private static bool TryProtect(nint address, nuint length)
    {
        try
        {
            NativeMethods.Protect(address, length, NativeMethods.ProtRead | NativeMethods.ProtWrite);
            return true;
        }
        catch (OutOfMemoryException)
        {
            return false;
        }
    }

    public Span<byte> Span => new((void*)Base, checked((int)Math.Min(ByteLength, int.MaxValue)));

    public void Dispose()
    {
        if (Base != 0) NativeMethods.Unmap(Base, _reserved);
        Base = 0;
        if (Definition != 0) NativeMemory.Free((void*)Definition);
        Definition = 0;
    }
}
