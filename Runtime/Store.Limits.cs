using Sharptime.Vm;

namespace Sharptime;

public abstract partial class Store
{
    /// <summary>What the wasm grow builtins return when the limiter threw: the exception is parked for the caller.</summary>
    internal const long LimiterThrew = -2;

    private ResourceLimiter? _limiter;
    private int _instanceCount;
    private int _memoryCount;
    private int _tableCount;

    /// <summary>The limiter consulted before memories and tables are created or grow, or null for none.</summary>
    public ResourceLimiter? Limiter => _limiter;

    /// <summary>
    /// Installs <paramref name="limiter"/> (null removes it). It applies to everything created or grown afterwards;
    /// instances, memories and tables already in the store count towards its limits.
    /// </summary>
    /// <exception cref="ObjectDisposedException">The store is disposed.</exception>
    public void SetLimiter(ResourceLimiter? limiter)
    {
        ThrowIfDisposed();
        _limiter = limiter;
    }

    /// <summary>Installs fixed <paramref name="limits"/> built with <see cref="StoreLimitsBuilder"/>.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="limits"/> is null.</exception>
    /// <exception cref="ObjectDisposedException">The store is disposed.</exception>
    public void SetLimits(StoreLimits limits)
    {
        ArgumentNullException.ThrowIfNull(limits);
        SetLimiter(limits);
    }

    /// <summary>
    /// Installs fixed limits: bytes per memory, elements per table, and counts of instances, tables and memories
    /// (null leaves a limit at its default). The same as <see cref="SetLimits(StoreLimits)"/> with a built
    /// <see cref="StoreLimits"/>.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">A limit is negative.</exception>
    /// <exception cref="ObjectDisposedException">The store is disposed.</exception>
    public void SetLimits(long? memorySize = null, long? tableElements = null, int? instances = null, int? tables = null, int? memories = null)
    {
        var builder = new StoreLimitsBuilder();
        if (memorySize is { } m) builder.MemorySize(m);
        if (tableElements is { } t) builder.TableElements(t);
        if (instances is { } i) builder.Instances(i);
        if (tables is { } ts) builder.Tables(ts);
        if (memories is { } ms) builder.Memories(ms);
        SetLimits(builder.Build());
    }

    /// <summary>Checks the counts before an instance with these definitions is built, and counts the instance.</summary>
    internal void ReserveInstance(int definedMemories, int definedTables)
    {
        if (_limiter is { } limiter)
        {
            if (_instanceCount + 1 > limiter.Instances)
                throw new ResourceLimitExceededException(LimitedResource.Instances,
                    $"resource limit exceeded: the store already holds {_instanceCount} instance(s), its limit is {limiter.Instances}");
            CheckCount(LimitedResource.Memories, _memoryCount, definedMemories, limiter.Memories, "memories");
            CheckCount(LimitedResource.Tables, _tableCount, definedTables, limiter.Tables, "tables");
        }
        _instanceCount++;
    }

    private static void CheckCount(LimitedResource resource, int held, int more, int limit, string what)
    {
        if ((long)held + more > limit)
            throw new ResourceLimitExceededException(resource,
                $"resource limit exceeded: the store holds {held} {what} and needs {more} more, its limit is {limit}");
    }

    /// <summary>Asks the limiter before a memory of <paramref name="minimumPages"/> is created; throws when refused.</summary>
    internal void CheckNewMemory(ulong minimumPages, ulong? maximumPages)
    {
        if (_limiter is not { } limiter) return;
        CheckCount(LimitedResource.Memories, _memoryCount, 1, limiter.Memories, "memories");
        long desired = (long)(minimumPages * LinearMemory.PageSize);
        if (!limiter.MemoryGrowing(0, desired, MemoryBytes(maximumPages)))
            throw new ResourceLimitExceededException(LimitedResource.MemorySize,
                $"memory minimum size of {minimumPages} pages ({desired} bytes) exceeds the store's memory limits");
    }

    /// <summary>Asks the limiter before a table of <paramref name="minimum"/> elements is created; throws when refused.</summary>
    internal void CheckNewTable(ulong minimum, ulong? maximum)
    {
        if (_limiter is not { } limiter) return;
        CheckCount(LimitedResource.Tables, _tableCount, 1, limiter.Tables, "tables");
        if (!limiter.TableGrowing(0, Saturate(minimum), maximum is { } m ? Saturate(m) : null))
            throw new ResourceLimitExceededException(LimitedResource.TableElements,
                $"table minimum size of {minimum} elements exceeds the store's table limits");
    }

    internal void CountMemory() => _memoryCount++;

    internal void CountTable() => _tableCount++;

    /// <summary>
    /// Grows <paramref name="memory"/> after asking the limiter: the old size in pages, or -1. With
    /// <paramref name="fromWasm"/> an exception of the limiter is parked and <see cref="LimiterThrew"/> returned,
    /// because no exception may unwind into compiled code; otherwise it propagates.
    /// </summary>
    internal long GrowMemory(LinearMemory memory, ulong deltaPages, bool fromWasm)
    {
        if (_limiter is not { } limiter || deltaPages == 0) return memory.Grow(deltaPages);
        long current = (long)memory.ByteLength;
        ulong desiredPages = memory.Pages + deltaPages;
        long desired = desiredPages < memory.Pages || desiredPages > long.MaxValue / (long)LinearMemory.PageSize
            ? long.MaxValue : (long)(desiredPages * LinearMemory.PageSize);
        try
        {
            if (!limiter.MemoryGrowing(current, desired, MemoryBytes(memory.Maximum))) return -1;
            long old = memory.Grow(deltaPages);
            if (old < 0)
                limiter.MemoryGrowFailed(current, desired, memory.GrowFailureReason(desiredPages));
            return old;
        }
        catch (Exception e) when (fromWasm)
        {
            ParkException(e);
            return LimiterThrew;
        }
    }

    /// <summary>Grows <paramref name="table"/> after asking the limiter; see <see cref="GrowMemory"/>.</summary>
    internal long GrowTable(TableStorage table, ulong delta, nint init, bool fromWasm)
    {
        if (_limiter is not { } limiter || delta == 0) return table.Grow(delta, init);
        long current = (long)table.Length;
        ulong desiredElements = table.Length + delta;
        long desired = desiredElements < table.Length ? long.MaxValue : Saturate(desiredElements);
        try
        {
            if (!limiter.TableGrowing(current, desired, table.Maximum is { } m ? Saturate(m) : null)) return -1;
            long old = table.Grow(delta, init);
            if (old < 0)
                limiter.TableGrowFailed(current, desired, desiredElements > Math.Min(table.Maximum ?? uint.MaxValue, TableStorage.MaxElements)
                    ? $"the maximum is {Math.Min(table.Maximum ?? uint.MaxValue, TableStorage.MaxElements)} elements" : "allocation failed");
            return old;
        }
        catch (Exception e) when (fromWasm)
        {
            ParkException(e);
            return LimiterThrew;
        }
    }

    private static long? MemoryBytes(ulong? pages) => pages is { } p ? (long)(p * LinearMemory.PageSize) : null;

    private static long Saturate(ulong value) => value > long.MaxValue ? long.MaxValue : (long)value;
}
