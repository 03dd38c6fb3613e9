using Sharptime.Vm.Pooling;

namespace Sharptime.Tests.Pooling;

/// <summary>Small pooled engines and the modules the pooling tests instantiate.</summary>
internal static class PoolingTestSupport
{
    public static Engine PooledEngine(BoundsChecks boundsChecks = BoundsChecks.GuardPages, int slots = 2, ulong maxMemorySize = 4 * 65536,
        uint tableElements = 100, int maxCoreInstanceSize = 1 << 20, int? instances = null) =>
        new(new Config { BoundsChecks = boundsChecks }.PoolingAllocation(new PoolingAllocationConfig
        {
            TotalCoreInstances = instances ?? slots,
            TotalMemories = slots,
            TotalTables = slots,
            MaxMemorySize = maxMemorySize,
            TableElements = tableElements,
            MaxCoreInstanceSize = maxCoreInstanceSize,
        }));

    public static PoolingInstanceAllocator Pool(Engine engine) => (PoolingInstanceAllocator)engine.Allocator;

    /// <summary>A memory of 1 page (growable to 8) with load/store/grow/size exports.</summary>
    public const string MemoryModule = """
        (module
          (memory (export "mem") 1 8)
          (func (export "load") (param i32) (result i32) (i32.load (local.get 0)))
          (func (export "store") (param i32 i32) (i32.store (local.get 0) (local.get 1)))
          (func (export "grow") (param i32) (result i32) (memory.grow (local.get 0)))
          (func (export "size") (result i32) (memory.size)))
        """;

    public static Instance Instantiate(Store store, Module module) => new(store, module, []);

    public static int CallI32(Instance instance, string name, params Val[] args) => instance.GetFunction(name)!.Call(args)[0].AsI32();
}
