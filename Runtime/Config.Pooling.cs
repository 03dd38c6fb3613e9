namespace Sharptime;

public sealed partial class Config
{
    private PoolingAllocationConfig? _pooling;

    /// <summary>
    /// Makes engines created with this config allocate instances, memories and tables from preallocated pools sized by
    /// <paramref name="pooling"/> (a copy is kept: later changes to <paramref name="pooling"/> do not affect this config).
    /// Instantiation then takes ready slots and disposing a store resets them, which makes instantiation much cheaper;
    /// instantiating more than the pools hold at once throws <see cref="PoolingAllocationException"/>.
    /// </summary>
    /// <returns>This config, for chaining.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="pooling"/> is null.</exception>
    public Config PoolingAllocation(PoolingAllocationConfig pooling)
    {
        ArgumentNullException.ThrowIfNull(pooling);
        _pooling = pooling.Clone();
        return this;
    }

    /// <summary>Makes engines created with this config allocate every instance, memory and table on demand (the default).</summary>
    /// <returns>This config, for chaining.</returns>
    public Config OnDemandAllocation()
    {
        _pooling = null;
        return this;
    }

    /// <summary>
    /// A copy of the pooling settings given to <see cref="PoolingAllocation(PoolingAllocationConfig)"/>, or null when
    /// instances are allocated on demand (the default).
    /// </summary>
    public PoolingAllocationConfig? PoolingAllocationConfig => _pooling?.Clone();

    /// <summary>The engine's own pooling settings (never handed out, so nobody can change them).</summary>
    internal PoolingAllocationConfig? PoolingSettings => _pooling;
}
