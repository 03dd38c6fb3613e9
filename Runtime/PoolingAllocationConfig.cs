namespace Sharptime;

/// <summary>
/// Sizes of the pooling instance allocator (<see cref="Config.PoolingAllocation(PoolingAllocationConfig)"/>): how many
/// instances, memories and tables may be live at once across all stores of an engine, and how big each slot is. The
/// engine reserves address space for every memory and table slot the first time something is instantiated, so
/// instantiation takes a ready slot instead of mapping memory, and disposing a store resets its slots for the next
/// instance.
/// </summary>
/// <remarks>
/// In <see cref="BoundsChecks.GuardPages"/> mode every memory slot spans <see cref="Config.MemoryReservation"/> plus
/// <see cref="Config.MemoryGuardSize"/> of address space (6 GiB by default), whatever <see cref="MaxMemorySize"/> is, so
/// that unchecked accesses past a memory still fault; <see cref="TotalMemories"/> of 1000 then reserves 6 TiB of
/// (unbacked) address space. In explicit mode a slot spans <see cref="MaxMemorySize"/>.
/// </remarks>
public sealed class PoolingAllocationConfig
{
    /// <summary>The largest value accepted for <see cref="TotalCoreInstances"/>, <see cref="TotalMemories"/> and <see cref="TotalTables"/>.</summary>
    public const int MaxSlots = 1_000_000;

    private int _totalCoreInstances = 1000;
    private int _totalMemories = 1000;
    private int _totalTables = 1000;
    private ulong _maxMemorySize = 1UL << 32;
    private uint _tableElements = 20_000;
    private int _maxCoreInstanceSize = 1 << 20;

    /// <summary>How many core instances may be live at once in the engine (each takes one instance slot). Default 1000; 1 to <see cref="MaxSlots"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is outside that range.</exception>
    public int TotalCoreInstances
    {
        get => _totalCoreInstances;
        set => _totalCoreInstances = CheckCount(value, nameof(TotalCoreInstances));
    }

    /// <summary>How many memories defined by instances may be live at once in the engine. Default 1000; 1 to <see cref="MaxSlots"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is outside that range.</exception>
    public int TotalMemories
    {
        get => _totalMemories;
        set => _totalMemories = CheckCount(value, nameof(TotalMemories));
    }

    /// <summary>How many tables defined by instances may be live at once in the engine. Default 1000; 1 to <see cref="MaxSlots"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is outside that range.</exception>
    public int TotalTables
    {
        get => _totalTables;
        set => _totalTables = CheckCount(value, nameof(TotalTables));
    }

    /// <summary>
    /// The most bytes a pooled memory may hold: a module whose memory minimum is larger cannot be instantiated, and
    /// <c>memory.grow</c> past it fails (returns -1). Default 4 GiB; a multiple of 64 KiB between 64 KiB and 4 GiB.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is not a multiple of 64 KiB in that range.</exception>
    public ulong MaxMemorySize
    {
        get => _maxMemorySize;
        set
        {
            if (value < 65536 || value > 1UL << 32 || value % 65536 != 0)
                throw new ArgumentOutOfRangeException(nameof(value), value, "MaxMemorySize must be a multiple of 64 KiB between 64 KiB and 4 GiB.");
            _maxMemorySize = value;
        }
    }

    /// <summary>
    /// The most elements a pooled table may hold: a module whose table minimum is larger cannot be instantiated, and
    /// <c>table.grow</c> past it fails (returns -1). Default 20,000; 1 to 10,000,000.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is outside that range.</exception>
    public uint TableElements
    {
        get => _tableElements;
        set
        {
            if (value < 1 || value > Vm.TableStorage.MaxElements)
                throw new ArgumentOutOfRangeException(nameof(value), value, $"TableElements must be between 1 and {Vm.TableStorage.MaxElements}.");
            _tableElements = value;
        }
    }

    /// <summary>
    /// The most bytes of per-instance native state (the VMContext: function references, memory, table and global
    /// pointers) a pooled instance may need; modules needing more cannot be instantiated. The state itself is allocated
    /// at its real size, so this is a limit, not a reservation. Default 1 MiB; 4 KiB to 1 GiB.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is outside that range.</exception>
    public int MaxCoreInstanceSize
    {
        get => _maxCoreInstanceSize;
        set
        {
            if (value < 4096 || value > 1 << 30)
                throw new ArgumentOutOfRangeException(nameof(value), value, "MaxCoreInstanceSize must be between 4 KiB and 1 GiB.");
            _maxCoreInstanceSize = value;
        }
    }

    /// <summary>A copy with the same settings.</summary>
    public PoolingAllocationConfig Clone() => (PoolingAllocationConfig)MemberwiseClone();

    /// <summary>The settings as text, e.g. for logs.</summary>
    public override string ToString() =>
        $"pooling: {TotalCoreInstances} instances, {TotalMemories} memories of at most {MaxMemorySize} bytes, {TotalTables} tables of at most {TableElements} elements, {MaxCoreInstanceSize}-byte instance state";

    private static int CheckCount(int value, string name) =>
        value is >= 1 and <= MaxSlots ? value : throw new ArgumentOutOfRangeException(name, value, $"{name} must be between 1 and {MaxSlots}.");
}
