using Sharptime.Vm.Pooling;

namespace Sharptime;

public sealed partial class Engine
{
    private IInstanceAllocator? _allocator;
    private readonly Lock _allocatorLock = new();
    private bool _allocatorDisposed;

    /// <summary>
    /// Where instances get their native state, memories and tables: the pooling allocator when the config asks for it
    /// (its address space reserved on first use, not when the engine is created), else on demand.
    /// </summary>
    internal IInstanceAllocator Allocator
    {
        get
        {
            if (Volatile.Read(ref _allocator) is { } allocator) return allocator;
            lock (_allocatorLock)
            {
                // A pool made after Dispose would never be released; on-demand allocation needs no release.
                ObjectDisposedException.ThrowIf(_allocatorDisposed && Config.PoolingSettings is not null, this);
                if (_allocator is null)
                {
                    IInstanceAllocator created = Config.PoolingSettings is { } pooling
                        ? new PoolingInstanceAllocator(Config, pooling)
                        : new OnDemandInstanceAllocator(Config);
                    Volatile.Write(ref _allocator, created);
                }
                return _allocator;
            }
        }
    }

    /// <summary>Releases the pools (once every store using them has been disposed).</summary>
    private void DisposeAllocator()
    {
        IInstanceAllocator? allocator;
        lock (_allocatorLock)
        {
            _allocatorDisposed = true;
            allocator = _allocator;
        }
        allocator?.Dispose();
    }
}
