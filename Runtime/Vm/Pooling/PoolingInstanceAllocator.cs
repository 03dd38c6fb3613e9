using System.Runtime.InteropServices;
using Sharptime.Vm.MemoryImages;

namespace Sharptime.Vm.Pooling;

/// <summary>
/// The pooling allocator (<see cref="Config.PoolingAllocation(PoolingAllocationConfig)"/>): two address-space
/// reservations made once per engine, cut into fixed-size slots for memories and tables, plus a count of instance
/// slots (VMContexts themselves come from the store's native allocations). Taking a slot is a
/// free-list unlink plus, for a memory, at most two <c>mprotect</c>s and one image <c>mmap</c> (none when the slot
/// already holds the wanted image); returning one discards its pages with <c>madvise(MADV_DONTNEED)</c>, so the next
/// user reads zeros, or the unchanged image.
/// <para>
/// A memory slot keeps the image it last held (module affinity): the discard turns written image pages back into the
/// file's pages, so the next instance of the same module reuses the mapping and pays no <c>mmap</c>. Taking a memory
/// slot prefers the most recently returned slot holding the wanted image, else the least recently returned slot (never
/// used slots first), so interleaved modules keep their own warm slots.
/// </para>
/// <para>
/// Invariant of every free memory slot: [0, Accessible) is read-write, the rest of the slot inaccessible, and the
/// image it holds (if any) lies inside [0, Accessible). Everything under <see cref="_lock"/> is free-list bookkeeping;
/// system calls happen outside it, on slots the caller owns.
/// </para>
/// </summary>
internal sealed unsafe class PoolingInstanceAllocator : IInstanceAllocator
{
    private struct MemorySlot
    {
        public ulong Accessible;
        public MemoryImageSet? Images;
        public int ImageMemory;
        public ulong ImageOffset, ImageLength;
    }

    private sealed class FreeList(int count)
    {
        public readonly int[] Slots = CreateSlots(count);
        public int Count = count;

        // Slot 0 on top, so a fresh pool fills from its start.
        private static int[] CreateSlots(int count)
        {
            var slots = new int[count];
            for (int i = 0; i < count; i++) slots[i] = count - 1 - i;
            return slots;
        }
    }

    private const ulong WasmPage = LinearMemory.PageSize;

    private readonly Lock _lock = new();
    private readonly PoolingAllocationConfig _settings;
    private readonly bool _guarded;
    private readonly nuint _memoryStride, _tableStride;
    private readonly MemorySlot[] _memorySlots;
    private readonly FreeList _freeTables, _freeInstances;

    // Free memory slots, each in two doubly linked lists (-1 ends): all of them in the order they were returned (head:
    // least recent), and those still holding an image in a list per image (head: most recent, stored in the image
    // set's PoolAffinityHeads).
    private readonly int[] _lruNext, _lruPrev, _affinityNext, _affinityPrev;
    private int _lruHead, _lruTail, _freeMemoryCount;
    private nint _memories, _tables;
    private int _inUse;
    private bool _disposed;

    public PoolingInstanceAllocator(Config config, PoolingAllocationConfig settings)
    {
        _settings = settings;
        ulong guardedReservation = config.GuardedMemoryReservation;
        _guarded = guardedReservation > 0;
        // Guard-page code may leave any access below the guarded reservation unchecked, so a slot must span all of it
        // whatever MaxMemorySize says; explicit checks need only the bytes a memory can grow to.
        _memoryStride = (nuint)(_guarded ? guardedReservation : settings.MaxMemorySize);
        _tableStride = NativeMethods.RoundUpToPage((nuint)settings.TableElements * (nuint)sizeof(nint));
        _memorySlots = new MemorySlot[settings.TotalMemories];
        int memories = settings.TotalMemories;
        _lruNext = new int[memories];
        _lruPrev = new int[memories];
        _affinityNext = new int[memories];
        _affinityPrev = new int[memories];
        for (int i = 0; i < memories; i++)
        {
            _lruPrev[i] = i - 1;
            _lruNext[i] = i + 1 < memories ? i + 1 : -1;
        }
        _lruHead = 0;
        _lruTail = memories - 1;
        _freeMemoryCount = memories;
        _freeTables = new FreeList(settings.TotalTables);
        _freeInstances = new FreeList(settings.TotalCoreInstances);
        try
        {
            _memories = Reserve(settings.TotalMemories, _memoryStride, NativeMethods.ProtNone, nameof(settings.TotalMemories),
                _guarded ? "or lower Config.MemoryReservation / Config.MemoryGuardSize" : "or lower PoolingAllocationConfig.MaxMemorySize");
            _tables = Reserve(settings.TotalTables, _tableStride, NativeMethods.ProtRead | NativeMethods.ProtWrite, nameof(settings.TotalTables),
                "or lower PoolingAllocationConfig.TableElements");
        }
        catch
        {
            Release();
            throw;
        }
    }

    private static nint Reserve(int count, nuint stride, int prot, string setting, string alternative)
    {
        ulong bytes = (ulong)count * stride; // at most 10^6 slots of at most 68 GiB: no overflow
        try
        {
            return NativeMethods.Map((nuint)bytes, prot);
        }
        catch (OutOfMemoryException e)
        {
            throw new PoolingAllocationException(setting,
                $"the pooling allocator cannot reserve {bytes} bytes of address space for {count} slots of {stride} bytes ({e.Message}): lower PoolingAllocationConfig.{setting}, {alternative}");
        }
    }

    /// <summary>Slots of every kind currently taken (tests).</summary>
    public int SlotsInUse
    {
        get
        {
            lock (_lock) return _inUse;
        }
    }

    public void CheckModule(Module module)
    {
        var info = module.Info;
        int memories = info.Memories.Count - info.ImportedMemoryCount;
        if (memories > _settings.TotalMemories)
            throw new PoolingAllocationException(nameof(_settings.TotalMemories),
                $"the module defines {memories} memories but the pooling allocator holds {_settings.TotalMemories}: raise PoolingAllocationConfig.TotalMemories");
        for (int i = info.ImportedMemoryCount; i < info.Memories.Count; i++)
        {
            ulong min = info.Memories[i].Limits.Min;
            if (min > _settings.MaxMemorySize / WasmPage)
                throw new PoolingAllocationException(nameof(_settings.MaxMemorySize),
                    $"memory {i} of the module starts at {min} pages ({min * WasmPage} bytes) but pooled memories hold at most {_settings.MaxMemorySize} bytes: raise PoolingAllocationConfig.MaxMemorySize");
        }
        int tables = info.Tables.Count - info.ImportedTableCount;
        if (tables > _settings.TotalTables)
            throw new PoolingAllocationException(nameof(_settings.TotalTables),
                $"the module defines {tables} tables but the pooling allocator holds {_settings.TotalTables}: raise PoolingAllocationConfig.TotalTables");
        for (int i = info.ImportedTableCount; i < info.Tables.Count; i++)
        {
            ulong min = info.Tables[i].Limits.Min;
            if (min > _settings.TableElements)
                throw new PoolingAllocationException(nameof(_settings.TableElements),
                    $"table {i} of the module starts at {min} elements but pooled tables hold at most {_settings.TableElements}: raise PoolingAllocationConfig.TableElements");
        }
        if (module.Layout.Size > _settings.MaxCoreInstanceSize)
            throw new PoolingAllocationException(nameof(_settings.MaxCoreInstanceSize),
                $"the module's instance state takes {module.Layout.Size} bytes but pooled instances hold at most {_settings.MaxCoreInstanceSize}: raise PoolingAllocationConfig.MaxCoreInstanceSize");
    }

    public nint AllocateInstance(Store store, int size)
    {
        // An instance slot is an admission, not memory: VMContexts of a few hundred bytes share malloc pages, where a
        // page-aligned slot each cost a 4 KiB page and a page fault on first use (bench/results/Pooling.md).
        int slot = Take(_freeInstances, nameof(_settings.TotalCoreInstances), "instance");
        store.Own(new InstanceSlot(this, slot));
        return store.Alloc(size);
    }

    private sealed class InstanceSlot(PoolingInstanceAllocator pool, int slot) : IDisposable
    {
        private int _slot = slot;

        public void Dispose()
        {
            if (_slot < 0) return;
            pool.Return(pool._freeInstances, _slot);
            _slot = -1;
        }
    }

    public LinearMemory AllocateMemory(ulong minimumPages, ulong? maximumPages, MemoryImageSet? images, int memoryIndex)
    {
        int slot = TakeMemorySlot(images, memoryIndex);
        try
        {
            bool hasImage = PrepareMemory(slot, minimumPages * WasmPage, images, memoryIndex);
            return new LinearMemory(minimumPages, maximumPages, SlotBase(slot), _settings.MaxMemorySize, _guarded, hasImage, this, slot);
        }
        catch
        {
            ResetMemorySlot(slot);
            ReturnMemorySlot(slot);
            throw;
        }
    }

    private nint SlotBase(int slot) => _memories + (nint)((nuint)slot * _memoryStride);

    /// <summary>Makes [0, <paramref name="bytes"/>) of the slot read-write and the rest inaccessible, with the wanted image; whether it has it.</summary>
    private bool PrepareMemory(int slot, ulong bytes, MemoryImageSet? images, int memoryIndex)
    {
        ref var s = ref _memorySlots[slot];
        nint slotBase = SlotBase(slot);
        MemoryImageMapping image = default;
        bool wanted = images is not null && images.TryGetImage(memoryIndex, out image);
        bool kept = wanted && ReferenceEquals(s.Images, images) && s.ImageMemory == memoryIndex;
        if (s.Images is not null && !kept)
        {
            // The old image lies inside [0, Accessible), so zeroed read-write pages in its place keep the invariant.
            NativeMethods.MapAnonymousFixed(slotBase + (nint)s.ImageOffset, (nuint)s.ImageLength, NativeMethods.ProtRead | NativeMethods.ProtWrite);
            s.Images = null;
        }
        if (s.Accessible < bytes)
            NativeMethods.Protect(slotBase + (nint)s.Accessible, (nuint)(bytes - s.Accessible), NativeMethods.ProtRead | NativeMethods.ProtWrite);
        else if (s.Accessible > bytes)
            NativeMethods.Protect(slotBase + (nint)bytes, (nuint)(s.Accessible - bytes), NativeMethods.ProtNone);
        s.Accessible = bytes;
        if (kept) return true;
        if (!wanted) return false;
        bool added = false;
        var file = images!.File;
        try
        {
            file.DangerousAddRef(ref added);
            // The image set checked the image lies inside the memory's minimum, so this only replaces pages of our slot.
            int errno = NativeMethods.MapFilePrivateFixed(slotBase + (nint)image.MemoryOffset, (nuint)image.Length, (int)file.DangerousGetHandle(), image.FileOffset);
            if (errno != 0)
            {
                // A failed MAP_FIXED may have dropped the pages already: put zeroed read-write ones back and copy instead.
                NativeMethods.MapAnonymousFixed(slotBase + (nint)image.MemoryOffset, (nuint)image.Length, NativeMethods.ProtRead | NativeMethods.ProtWrite);
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
        s.Images = images;
        s.ImageMemory = memoryIndex;
        s.ImageOffset = image.MemoryOffset;
        s.ImageLength = image.Length;
        return true;
    }

    /// <summary>Called by a pooled memory's Dispose with its size: discards what it touched and frees the slot.</summary>
    internal void ReturnMemory(int slot, ulong byteLength)
    {
        ref var s = ref _memorySlots[slot];
        // The memory only grew, so [0, byteLength) is everything it made read-write.
        if (NativeMethods.DiscardPages(SlotBase(slot), (nuint)byteLength) == 0) s.Accessible = byteLength;
        else
        {
            try
            {
                ResetMemorySlot(slot);
            }
            catch (OutOfMemoryException)
            {
                // Neither reset worked: never hand out a slot that may hold the last tenant's bytes.
                Return(null, slot);
                return;
            }
        }
        ReturnMemorySlot(slot);
    }

    /// <summary>Puts a fresh inaccessible mapping over the whole slot, whatever state it was left in.</summary>
    private void ResetMemorySlot(int slot)
    {
        ref var s = ref _memorySlots[slot];
        s.Images = null;
        s.Accessible = 0;
        NativeMethods.MapAnonymousFixed(SlotBase(slot), _memoryStride, NativeMethods.ProtNone);
    }

    public TableStorage AllocateTable(ulong minimum, ulong? maximum)
    {
        int slot = Take(_freeTables, nameof(_settings.TotalTables), "table");
        var elements = (nint*)(_tables + (nint)((nuint)slot * _tableStride));
        return new TableStorage(minimum, maximum, 0, elements, _settings.TableElements, this, slot);
    }

    /// <summary>Called by a pooled table's Dispose with its length: zeroes what it used and frees the slot.</summary>
    internal void ReturnTable(int slot, ulong length)
    {
        nint address = _tables + (nint)((nuint)slot * _tableStride);
        nuint bytes = (nuint)length * (nuint)sizeof(nint);
        // Small tables: clearing is cheaper than a system call; large ones: give the pages back too.
        if (bytes < 16 * NativeMethods.PageSize || NativeMethods.DiscardPages(address, NativeMethods.RoundUpToPage(bytes)) != 0)
            NativeMemory.Clear((void*)address, bytes);
        Return(_freeTables, slot);
    }

    private int TakeMemorySlot(MemoryImageSet? images, int memoryIndex)
    {
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_freeMemoryCount == 0)
                throw new PoolingAllocationException(nameof(_settings.TotalMemories),
                    $"all {_settings.TotalMemories} memory slots of the pooling allocator are in use: dispose stores that are done with their instances, or raise PoolingAllocationConfig.TotalMemories");
            int warm = images is null ? -1 : images.PoolAffinityHeads[memoryIndex];
            int slot = warm >= 0 ? warm : _lruHead;
            UnlinkFreeMemory(slot);
            _freeMemoryCount--;
            _inUse++;
            return slot;
        }
    }

    /// <summary>Puts a memory slot back as the most recently returned, and first in its image's list.</summary>
    private void ReturnMemorySlot(int slot)
    {
        bool release;
        lock (_lock)
        {
            _lruNext[slot] = -1;
            _lruPrev[slot] = _lruTail;
            if (_lruTail >= 0) _lruNext[_lruTail] = slot;
            else _lruHead = slot;
            _lruTail = slot;
            if (_memorySlots[slot].Images is { } images)
            {
                ref int head = ref images.PoolAffinityHeads[_memorySlots[slot].ImageMemory];
                _affinityPrev[slot] = -1;
                _affinityNext[slot] = head;
                if (head >= 0) _affinityPrev[head] = slot;
                head = slot;
            }
            _freeMemoryCount++;
            release = --_inUse == 0 && _disposed;
        }
        if (release) Release();
    }

    /// <summary>Removes a free memory slot from both its lists (under the lock).</summary>
    private void UnlinkFreeMemory(int slot)
    {
        int next = _lruNext[slot], prev = _lruPrev[slot];
        if (prev >= 0) _lruNext[prev] = next;
        else _lruHead = next;
        if (next >= 0) _lruPrev[next] = prev;
        else _lruTail = prev;
        if (_memorySlots[slot].Images is not { } images) return;
        next = _affinityNext[slot];
        prev = _affinityPrev[slot];
        if (prev >= 0) _affinityNext[prev] = next;
        else images.PoolAffinityHeads[_memorySlots[slot].ImageMemory] = next;
        if (next >= 0) _affinityPrev[next] = prev;
    }

    private int Take(FreeList list, string setting, string kind)
    {
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (list.Count == 0)
                throw new PoolingAllocationException(setting,
                    $"all {list.Slots.Length} {kind} slots of the pooling allocator are in use: dispose stores that are done with their instances, or raise PoolingAllocationConfig.{setting}");
            _inUse++;
            return list.Slots[--list.Count];
        }
    }

    /// <summary>Puts a slot back on <paramref name="list"/> (null: retires it for good).</summary>
    private void Return(FreeList? list, int slot)
    {
        bool release;
        lock (_lock)
        {
            if (list is not null) list.Slots[list.Count++] = slot;
            release = --_inUse == 0 && _disposed;
        }
        if (release) Release();
    }

    /// <summary>Frees the reservations now, or when the last slot comes back (stores may outlive the engine's Dispose call).</summary>
    public void Dispose()
    {
        bool release;
        lock (_lock)
        {
            if (_disposed) return;
            _disposed = true;
            release = _inUse == 0;
        }
        if (release) Release();
    }

    private void Release()
    {
        NativeMethods.Unmap(_memories, (nuint)_settings.TotalMemories * _memoryStride);
        NativeMethods.Unmap(_tables, (nuint)_settings.TotalTables * _tableStride);
        _memories = _tables = 0;
        // Drop the image sets the slots kept; Release runs once every slot is back, so no other thread touches these.
        Array.Clear(_memorySlots);
    }
}
