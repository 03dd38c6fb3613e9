using System.Text;
using static Sharptime.Tests.Pooling.PoolingTestSupport;

namespace Sharptime.Tests.Pooling;

/// <summary>Pool slots: exhaustion and oversized modules fail clearly, disposing a store frees its slots, tables come back clean, threads share the pool.</summary>
public sealed class PoolSlotTests
{
    public static TheoryData<string, string> ExhaustingModules => new()
    {
        { "TotalMemories", "(module (memory 1))" },
        { "TotalTables", "(module (table 1 funcref))" },
        { "TotalCoreInstances", "(module)" },
    };

    [Theory]
    [MemberData(nameof(ExhaustingModules))]
    public void InstantiatingMoreThanThePoolHoldsThrowsNamingTheSetting(string setting, string wat)
    {
        using var engine = PooledEngine(slots: 2, instances: setting == "TotalCoreInstances" ? 2 : 10);
        var module = Module.FromText(engine, wat);
        using var store = new Store<int>(engine, 0);
        Instantiate(store, module);
        Instantiate(store, module);

        var e = Assert.Throws<PoolingAllocationException>(() => Instantiate(store, module));

        Assert.Equal(setting, e.Setting);
        Assert.Contains($"PoolingAllocationConfig.{setting}", e.Message);
    }

    [Fact]
    public void DisposingAStoreGivesItsSlotsBack()
    {
        using var engine = PooledEngine(slots: 1);
        var module = Module.FromText(engine, "(module (memory 1) (table 1 funcref))");
        var first = new Store<int>(engine, 0);
        Instantiate(first, module);
        Assert.Throws<PoolingAllocationException>(() => Instantiate(new Store<int>(engine, 0), module));

        first.Dispose();
        using var second = new Store<int>(engine, 0);
        Instantiate(second, module);

        Assert.Equal(3, Pool(engine).SlotsInUse);
    }

    [Fact]
    public void AllSlotsAreFreeOnceEveryStoreIsDisposed()
    {
        using var engine = PooledEngine(slots: 4);
        var module = Module.FromText(engine, "(module (memory 1) (table 1 funcref))");
        var stores = new List<Store<int>>();
        for (int i = 0; i < 4; i++)
        {
            var store = new Store<int>(engine, 0);
            Instantiate(store, module);
            stores.Add(store);
        }

        foreach (var store in stores) store.Dispose();

        Assert.Equal(0, Pool(engine).SlotsInUse);
    }

    [Fact]
    public void MemoryMinimumAboveMaxMemorySizeFailsBeforeTakingSlots()
    {
        using var engine = PooledEngine(maxMemorySize: 2 * 65536);
        using var store = new Store<int>(engine, 0);

        var e = Assert.Throws<PoolingAllocationException>(() => Instantiate(store, Module.FromText(engine, "(module (memory 3))")));

        Assert.Equal("MaxMemorySize", e.Setting);
        Assert.Contains("PoolingAllocationConfig.MaxMemorySize", e.Message);
        Assert.Equal(0, Pool(engine).SlotsInUse);
    }

    [Fact]
    public void TableMinimumAboveTableElementsFailsBeforeTakingSlots()
    {
        using var engine = PooledEngine(tableElements: 10);
        using var store = new Store<int>(engine, 0);

        var e = Assert.Throws<PoolingAllocationException>(() => Instantiate(store, Module.FromText(engine, "(module (table 11 funcref))")));

        Assert.Equal("TableElements", e.Setting);
        Assert.Equal(0, Pool(engine).SlotsInUse);
    }

    [Fact]
    public void InstanceStateAboveMaxCoreInstanceSizeFailsBeforeTakingSlots()
    {
        using var engine = PooledEngine(maxCoreInstanceSize: 4096);
        using var store = new Store<int>(engine, 0);
        var wat = new StringBuilder("(module");
        for (int i = 0; i < 300; i++) wat.Append(" (func)");
        var module = Module.FromText(engine, wat.Append(')').ToString());

        var e = Assert.Throws<PoolingAllocationException>(() => Instantiate(store, module));

        Assert.Equal("MaxCoreInstanceSize", e.Setting);
        Assert.Equal(0, Pool(engine).SlotsInUse);
    }

    [Fact]
    public void ModuleWithMoreTablesThanThePoolFailsBeforeTakingSlots()
    {
        using var engine = PooledEngine(slots: 1);
        using var store = new Store<int>(engine, 0);

        var e = Assert.Throws<PoolingAllocationException>(() => Instantiate(store, Module.FromText(engine, "(module (table 1 funcref) (table 1 funcref))")));

        Assert.Equal("TotalTables", e.Setting);
        Assert.Equal(0, Pool(engine).SlotsInUse);
    }

    private const string TableModule = """
        (module
          (table (export "t") 4 8 funcref)
          (func $f (result i32) (i32.const 7))
          (elem declare func $f)
          (func (export "fill") (table.set 0 (i32.const 1) (ref.func $f)) (drop (table.grow 0 (ref.func $f) (i32.const 2))))
          (func (export "grow") (param i32) (result i32) (table.grow 0 (ref.null func) (local.get 0)))
          (func (export "isnull") (param i32) (result i32) (ref.is_null (table.get 0 (local.get 0)))))
        """;

    [Fact]
    public void ReusedTableSlotHoldsOnlyNulls()
    {
        using var engine = PooledEngine(slots: 1);
        var module = Module.FromText(engine, TableModule);
        using (var store = new Store<int>(engine, 0))
            Instantiate(store, module).GetFunction("fill")!.Call();

        using var next = new Store<int>(engine, 0);
        var reused = Instantiate(next, module);
        CallI32(reused, "grow", 2);

        for (int i = 0; i < 6; i++) Assert.Equal(1, CallI32(reused, "isnull", i));
    }

    [Fact]
    public void ReusedLargeTableSlotHoldsOnlyNulls()
    {
        // 20,000 elements are 160 KB: the slot is reset by discarding its pages rather than by clearing them.
        using var engine = PooledEngine(slots: 1, tableElements: 20_000);
        var module = Module.FromText(engine, TableModule.Replace("(table (export \"t\") 4 8 funcref)", "(table (export \"t\") 20000 funcref)"));
        using (var store = new Store<int>(engine, 0))
        {
            var instance = Instantiate(store, module);
            var table = instance.GetTable("t")!;
            var f = Val.FromFunc(instance.GetFunction("isnull"));
            for (uint i = 0; i < 20_000; i += 1000) table.Set(i, f);
            table.Set(19_999, f);
        }

        using var next = new Store<int>(engine, 0);
        var reused = Instantiate(next, module);

        Assert.Equal(1, CallI32(reused, "isnull", 0));
        Assert.Equal(1, CallI32(reused, "isnull", 5000));
        Assert.Equal(1, CallI32(reused, "isnull", 19_999));
    }

    [Fact]
    public void TableGrowBeyondTableElementsFails()
    {
        using var engine = PooledEngine(tableElements: 5);
        using var store = new Store<int>(engine, 0);
        var instance = Instantiate(store, Module.FromText(engine, TableModule));

        Assert.Equal(-1, CallI32(instance, "grow", 2));
        Assert.Equal(4, CallI32(instance, "grow", 1));
    }

    [Fact]
    public void ElementSegmentsFillPooledTables()
    {
        using var engine = PooledEngine();
        using var store = new Store<int>(engine, 0);
        var instance = Instantiate(store, Module.FromText(engine, """
            (module
              (table 2 funcref)
              (func $seven (result i32) (i32.const 7))
              (elem (i32.const 1) $seven)
              (func (export "call") (result i32) (call_indirect (result i32) (i32.const 1))))
            """));

        Assert.Equal(7, CallI32(instance, "call"));
    }

    [Fact]
    public void ManyThreadsTakeAndReturnSlotsConcurrently()
    {
        const int Threads = 4, Rounds = 200;
        using var engine = PooledEngine(slots: Threads);
        var module = Module.FromText(engine, MemoryModule);
        var tableModule = Module.FromText(engine, TableModule);
        var failures = new System.Collections.Concurrent.ConcurrentQueue<string>();

        var threads = new Thread[Threads];
        for (int t = 0; t < Threads; t++)
        {
            int id = t + 1;
            threads[t] = new Thread(() =>
            {
                try
                {
                    for (int round = 0; round < Rounds; round++)
                    {
                        using var store = new Store<int>(engine, 0);
                        var instance = Instantiate(store, round % 2 == 0 ? module : tableModule);
                        if (round % 2 == 0)
                        {
                            if (CallI32(instance, "load", 64) != 0) failures.Enqueue($"thread {id} round {round}: memory not clean");
                            instance.GetFunction("store")!.Call(64, id);
                            if (CallI32(instance, "load", 64) != id) failures.Enqueue($"thread {id} round {round}: another thread wrote the memory");
                        }
                        else
                        {
                            if (CallI32(instance, "isnull", 1) != 1) failures.Enqueue($"thread {id} round {round}: table not clean");
                            instance.GetFunction("fill")!.Call();
                        }
                    }
                }
                catch (Exception e)
                {
                    failures.Enqueue($"thread {id}: {e}");
                }
            });
            threads[t].Start();
        }
        foreach (var thread in threads) thread.Join();

        Assert.Empty(failures);
        Assert.Equal(0, Pool(engine).SlotsInUse);
    }

    [Fact]
    public void PoolLargerThanTheAddressSpaceFailsNamingTheSetting()
    {
        // A million 4 GiB slots is 4 PiB, far beyond the 128 TiB of user address space on x86-64.
        using var engine = new Engine(new Config { BoundsChecks = BoundsChecks.Explicit }.PoolingAllocation(
            new PoolingAllocationConfig { TotalMemories = PoolingAllocationConfig.MaxSlots }));
        using var store = new Store<int>(engine, 0);

        var e = Assert.Throws<PoolingAllocationException>(() => Instantiate(store, Module.FromText(engine, "(module)")));

        Assert.Equal("TotalMemories", e.Setting);
        Assert.Contains("PoolingAllocationConfig.TotalMemories", e.Message);
    }

    [Fact]
    public void StoreOutlivingItsEngineKeepsWorking()
    {
        var engine = PooledEngine();
        var store = new Store<int>(engine, 0);
        var instance = Instantiate(store, Module.FromText(engine, MemoryModule));

        engine.Dispose();
        instance.GetFunction("store")!.Call(8, 3);

        Assert.Equal(3, CallI32(instance, "load", 8));
        store.Dispose();
    }

    [Fact]
    public void InstantiatingAfterTheEngineIsDisposedThrows()
    {
        var engine = PooledEngine();
        var module = Module.FromText(engine, MemoryModule);
        using var store = new Store<int>(engine, 0);
        engine.Dispose();

        Assert.Throws<ObjectDisposedException>(() => Instantiate(store, module));
    }
}
