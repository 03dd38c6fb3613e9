using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

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

    // Set for a memory living in a slot of the pooling allocator: Dispose hands the slot back instead of unmapping.
    private readonly Pooling.PoolingInstanceAllocator? _pool;
    private readonly int _slot;

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

    /// <summary>
    /// A memory in a pooled slot at <paramref name="slotBase"/> whose first <paramref name="minimumPages"/> pages the
    /// pool has already made read-write (the rest of the slot inaccessible), and, when <paramref name="hasImage"/>, mapped
    /// the initialisation image into.
    /// </summary>
    /// <param name="minimumPages">Initial size in pages (already read-write in the slot).</param>
    /// <param name="maximumPages">Growth limit in pages, or null for 65536.</param>
    /// <param name="slotBase">Start of the slot.</param>
    /// <param name="growthLimit">Bytes the memory may grow to inside the slot.</param>
    /// <param name="guarded">Whether the slot spans the guarded reservation (see the other constructor).</param>
    /// <param name="hasImage">Whether the pool mapped the memory's initialisation image.</param>
    /// <param name="pool">The allocator the slot goes back to on Dispose.</param>
    /// <param name="slot">The slot's index in <paramref name="pool"/>.</param>
    internal LinearMemory(ulong minimumPages, ulong? maximumPages, nint slotBase, ulong growthLimit, bool guarded, bool hasImage,
        Pooling.PoolingInstanceAllocator pool, int slot)
    {
        Minimum = minimumPages;
        Maximum = maximumPages;
        _reserved = (nuint)growthLimit;
        IsGuarded = guarded;
        HasImage = hasImage;
        _pool = pool;
        _slot = slot;
        Base = slotBase;
        Definition = (nint)NativeMemory.AllocZeroed(VMMemoryLayout.Size);
        *(nint*)(Definition + VMMemoryLayout.Base) = Base;
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

    /// <summary>Why <see cref="Grow"/> to <paramref name="desiredPages"/> in all (wrapped past 2^64 or not) returned -1.</summary>
    public string GrowFailureReason(ulong desiredPages)
    {
        ulong limit = Maximum ?? MaxPages;
        if (desiredPages < Pages || desiredPages > limit) return $"the maximum is {limit} pages";
        if (desiredPages * PageSize > _reserved)
            return _pool is not null
                ? $"a pooled memory slot holds at most {_reserved} bytes (PoolingAllocationConfig.MaxMemorySize)"
                : $"the memory's reservation holds at most {_reserved} bytes";
        return "the operating system refused";
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

    /// <summary>Whether <see cref="TryMapImage"/> has mapped an initialisation image into this memory.</summary>
    public bool HasImage { get; private set; }

    /// <summary>
    /// Replaces the committed bytes [<paramref name="offset"/>, +<paramref name="length"/>) with a private copy-on-write
    /// mapping of <paramref name="file"/> from <paramref name="fileOffset"/>: the pages are shared with the file until
    /// written, so a large image costs one mmap instead of a copy. Call it before anything writes the range.
    /// </summary>
    /// <returns>false (the memory unchanged and still zero) when the range is not page-aligned, not inside the committed
    /// size, or the OS refuses the mapping; the caller then copies instead.</returns>
    public bool TryMapImage(ulong offset, ulong length, SafeFileHandle file, long fileOffset)
    {
        ulong page = NativeMethods.PageSize;
        if (Base == 0 || HasImage || length == 0 || offset % page != 0 || length % page != 0 || fileOffset < 0 ||
            (ulong)fileOffset % page != 0 || offset > ByteLength || length > ByteLength - offset)
            return false;
        bool added = false;
        try
        {
            file.DangerousAddRef(ref added);
            // The range lies inside the committed part of our own reservation (checked above), so MAP_FIXED only
            // replaces pages this memory owns; the reservation's bounds, and so Grow and Dispose, are unchanged.
            int errno = NativeMethods.MapFilePrivateFixed(Base + (nint)offset, (nuint)length, (int)file.DangerousGetHandle(), fileOffset);
            if (errno != 0)
            {
                // A failed MAP_FIXED may already have dropped the old pages: put zeroed read-write memory back.
                NativeMethods.MapAnonymousFixed(Base + (nint)offset, (nuint)length, NativeMethods.ProtRead | NativeMethods.ProtWrite);
                return false;
            }
        }
        catch (ObjectDisposedException)
        {
            return false;
        }
        finally
        {
            if (added) file.DangerousRelease();
        }
        HasImage = true;
        return true;
    }

    public Span<byte> Span => new((void*)Base, checked((int)Math.Min(ByteLength, int.MaxValue)));

    public void Dispose()
    {
        if (_pool is not null)
        {
            if (Base != 0) _pool.ReturnMemory(_slot, ByteLength);
        }
        else if (Base != 0) NativeMethods.Unmap(Base, _reserved);
        Base = 0;
        if (Definition != 0) NativeMemory.Free((void*)Definition);
        Definition = 0;
    }
}
