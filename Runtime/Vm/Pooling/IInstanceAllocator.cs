using Sharptime.Vm.MemoryImages;

namespace Sharptime.Vm.Pooling;

/// <summary>
/// Where instantiation gets an instance's native state, memories and tables from: mapped on demand
/// (<see cref="OnDemandInstanceAllocator"/>) or taken from the engine's preallocated slots
/// (<see cref="PoolingInstanceAllocator"/>). Everything returned is released by disposing its owner (the store, the
/// <see cref="LinearMemory"/>, the <see cref="TableStorage"/>). Thread-safe: stores on many threads share one allocator.
/// The allocation methods are called only for a module <see cref="CheckModule"/> accepted, with its (validated) sizes.
/// </summary>
internal interface IInstanceAllocator : IDisposable
{
    /// <summary>Throws when <paramref name="module"/> can never be instantiated with this allocator, before anything is taken.</summary>
    void CheckModule(Module module);

    /// <summary><paramref name="size"/> zeroed bytes for a VMContext, released when <paramref name="store"/> is disposed.</summary>
    nint AllocateInstance(Store store, int size);

    /// <summary>
    /// A memory of <paramref name="minimumPages"/> zeroed pages holding, where the OS allows, the image of memory
    /// <paramref name="memoryIndex"/> from <paramref name="images"/> (then <see cref="LinearMemory.HasImage"/> is set).
    /// </summary>
    LinearMemory AllocateMemory(ulong minimumPages, ulong? maximumPages, MemoryImageSet? images, int memoryIndex);

    /// <summary>A table of <paramref name="minimum"/> null elements.</summary>
    TableStorage AllocateTable(ulong minimum, ulong? maximum);
}

/// <summary>Maps every memory, allocates every table and VMContext when it is needed, and frees it with its owner.</summary>
internal sealed class OnDemandInstanceAllocator(Config config) : IInstanceAllocator
{
    private readonly ulong _guardedReservation = config.GuardedMemoryReservation;

    public void CheckModule(Module module)
    {
    }

    public nint AllocateInstance(Store store, int size) => store.Alloc(size);

    public LinearMemory AllocateMemory(ulong minimumPages, ulong? maximumPages, MemoryImageSet? images, int memoryIndex)
    {
        var linear = new LinearMemory(minimumPages, maximumPages, _guardedReservation);
        if (images is not null && images.TryGetImage(memoryIndex, out var image))
            linear.TryMapImage(image.MemoryOffset, image.Length, images.File, image.FileOffset);
        return linear;
    }

    public TableStorage AllocateTable(ulong minimum, ulong? maximum) => new(minimum, maximum, 0);

    public void Dispose()
    {
    }
}
