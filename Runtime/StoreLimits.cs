namespace Sharptime;

/// <summary>
/// A <see cref="ResourceLimiter"/> with fixed limits: the size of each memory, the elements of each table, and the
/// number of instances, tables and memories in the store. Build one with <see cref="StoreLimitsBuilder"/> and install it
/// with <see cref="Store.SetLimits(StoreLimits)"/>. Immutable, so one instance may be shared by many stores.
/// </summary>
public sealed class StoreLimits : ResourceLimiter
{
    private readonly int _instances;
    private readonly int _tables;
    private readonly int _memories;

    internal StoreLimits(long? memorySize, long? tableElements, int instances, int tables, int memories, bool trapOnGrowFailure)
    {
        MemorySize = memorySize;
        TableElements = tableElements;
        _instances = instances;
        _tables = tables;
        _memories = memories;
        TrapOnGrowFailure = trapOnGrowFailure;
    }

    /// <summary>The most bytes any one linear memory may have, or null for no limit beyond the memory's own.</summary>
    public long? MemorySize { get; }

    /// <summary>The most elements any one table may have, or null for no limit beyond the table's own.</summary>
    public long? TableElements { get; }

    /// <summary>
    /// Whether a refused or failed growth throws <see cref="ResourceLimitExceededException"/> (a trap-like stop of the
    /// wasm code) instead of making <c>memory.grow</c>/<c>table.grow</c> return -1.
    /// </summary>
    public bool TrapOnGrowFailure { get; }

    /// <inheritdoc/>
    public override int Instances => _instances;

    /// <inheritdoc/>
    public override int Tables => _tables;

    /// <inheritdoc/>
    public override int Memories => _memories;

    /// <inheritdoc/>
    public override bool MemoryGrowing(long currentBytes, long desiredBytes, long? maximumBytes) =>
        Allow(LimitedResource.MemorySize, desiredBytes, MemorySize, maximumBytes, "bytes of memory");

    /// <inheritdoc/>
    public override bool TableGrowing(long currentElements, long desiredElements, long? maximumElements) =>
        Allow(LimitedResource.TableElements, desiredElements, TableElements, maximumElements, "table elements");

    /// <inheritdoc/>
    public override void MemoryGrowFailed(long currentBytes, long desiredBytes, string reason)
    {
        if (TrapOnGrowFailure)
            throw new ResourceLimitExceededException(LimitedResource.MemorySize, $"growing memory from {currentBytes} to {desiredBytes} bytes failed: {reason}");
    }

    /// <inheritdoc/>
    public override void TableGrowFailed(long currentElements, long desiredElements, string reason)
    {
        if (TrapOnGrowFailure)
            throw new ResourceLimitExceededException(LimitedResource.TableElements, $"growing table from {currentElements} to {desiredElements} elements failed: {reason}");
    }

    private bool Allow(LimitedResource resource, long desired, long? limit, long? maximum, string unit)
    {
        // The declared maximum is checked here too, as Wasmtime does, so a forced trap also covers it.
        bool allowed = !(desired > limit) && !(desired > maximum);
        if (!allowed && TrapOnGrowFailure)
            throw new ResourceLimitExceededException(resource, $"forcing a trap: {desired} {unit} exceeds the limit of {Math.Min(limit ?? long.MaxValue, maximum ?? long.MaxValue)}");
        return allowed;
    }

    /// <summary>The limits, e.g. <c>StoreLimits(memory 65536 bytes, table elements unlimited, 1 instances, 10000 tables, 10000 memories)</c>.</summary>
    public override string ToString() =>
        $"StoreLimits(memory {(MemorySize is { } m ? $"{m} bytes" : "unlimited")}, table elements {(TableElements is { } t ? t.ToString() : "unlimited")}, " +
        $"{_instances} instances, {_tables} tables, {_memories} memories{(TrapOnGrowFailure ? ", trap on grow failure" : "")})";
}

/// <summary>
/// Builds <see cref="StoreLimits"/>: <c>new StoreLimitsBuilder().MemorySize(1 &lt;&lt; 20).Instances(1).Build()</c>.
/// Unset limits stay unlimited (sizes) or <see cref="ResourceLimiter.DefaultCountLimit"/> (counts).
/// </summary>
public sealed class StoreLimitsBuilder
{
    private long? _memorySize;
    private long? _tableElements;
    private int _instances = ResourceLimiter.DefaultCountLimit;
    private int _tables = ResourceLimiter.DefaultCountLimit;
    private int _memories = ResourceLimiter.DefaultCountLimit;
    private bool _trapOnGrowFailure;

    /// <summary>Limits every linear memory of the store to <paramref name="bytes"/> bytes (checked at creation and on growth).</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="bytes"/> is negative.</exception>
    public StoreLimitsBuilder MemorySize(long bytes)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(bytes);
        _memorySize = bytes;
        return this;
    }

    /// <summary>Limits every table of the store to <paramref name="elements"/> elements (checked at creation and on growth).</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="elements"/> is negative.</exception>
    public StoreLimitsBuilder TableElements(long elements)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(elements);
        _tableElements = elements;
        return this;
    }

    /// <summary>Limits the number of instances the store may hold.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="count"/> is negative.</exception>
    public StoreLimitsBuilder Instances(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        _instances = count;
        return this;
    }

    /// <summary>Limits the number of tables the store may hold.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="count"/> is negative.</exception>
    public StoreLimitsBuilder Tables(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        _tables = count;
        return this;
    }

    /// <summary>Limits the number of linear memories the store may hold.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="count"/> is negative.</exception>
    public StoreLimitsBuilder Memories(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        _memories = count;
        return this;
    }

    /// <summary>
    /// Whether a refused or failed growth throws <see cref="ResourceLimitExceededException"/> instead of returning -1 to
    /// the wasm code. Default false.
    /// </summary>
    public StoreLimitsBuilder TrapOnGrowFailure(bool trap)
    {
        _trapOnGrowFailure = trap;
        return this;
    }

    /// <summary>The limits set so far. The builder may be reused; later changes do not affect the result.</summary>
    public StoreLimits Build() => new(_memorySize, _tableElements, _instances, _tables, _memories, _trapOnGrowFailure);
}
