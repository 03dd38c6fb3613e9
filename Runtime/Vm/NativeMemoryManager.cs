using System.Buffers;

namespace Sharptime.Vm;

/// <summary>
/// Exposes native memory that outlives every user of the <see cref="Memory{T}"/> it hands out (an artifact mapping
/// kept alive by its module) as <see cref="Memory{T}"/>, so decoded tables can point into the mapping instead of copying.
/// </summary>
internal sealed unsafe class NativeMemoryManager<T>(T* pointer, int length) : MemoryManager<T> where T : unmanaged
{
    // Invariant: [pointer, pointer + length) stays mapped and readable while this manager is reachable.
    public override Span<T> GetSpan() => new(pointer, length);

    public override MemoryHandle Pin(int elementIndex = 0) => new(pointer + elementIndex);

    public override void Unpin() { }

    protected override void Dispose(bool disposing) { }
}
