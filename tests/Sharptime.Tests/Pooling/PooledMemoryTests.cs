using Sharptime.Tests.Vm.MemoryImages;
using Sharptime.Vm.Signals;
using static Sharptime.Tests.Pooling.PoolingTestSupport;

namespace Sharptime.Tests.Pooling;

/// <summary>Pooled memories: a reused slot starts clean, data images come back unchanged, growth stops at the slot, and faults still trap.</summary>
public sealed class PooledMemoryTests
{
    [Theory]
    [InlineData(BoundsChecks.GuardPages)]
    [InlineData(BoundsChecks.Explicit)]
    public void ReusedSlotReadsZerosWhereThePreviousInstanceWrote(BoundsChecks boundsChecks)
    {
        using var engine = PooledEngine(boundsChecks, slots: 1);
        var module = Module.FromText(engine, MemoryModule);
        nint firstBase;
        using (var store = new Store<int>(engine, 0))
        {
            var instance = Instantiate(store, module);
            CallI32(instance, "grow", 1);
            instance.GetFunction("store")!.Call(100, 0x1234567);
            instance.GetFunction("store")!.Call(65536 + 8, -1);
            firstBase = instance.GetMemory("mem")!.Linear.Base;
        }

        using var next = new Store<int>(engine, 0);
        var reused = Instantiate(next, module);

        Assert.Equal(firstBase, reused.GetMemory("mem")!.Linear.Base);
        Assert.Equal(1, CallI32(reused, "size"));
        Assert.Equal(0, CallI32(reused, "load", 100));
        Assert.Equal(1, CallI32(reused, "grow", 1));
        Assert.Equal(0, CallI32(reused, "load", 65536 + 8));
    }

    [Theory]
    [InlineData(BoundsChecks.GuardPages)]
    [InlineData(BoundsChecks.Explicit)]
    public void PagesGrownByThePreviousInstanceAreOutOfBoundsForTheNext(BoundsChecks boundsChecks)
    {
        using var engine = PooledEngine(boundsChecks, slots: 1);
        var module = Module.FromText(engine, MemoryModule);
        using (var store = new Store<int>(engine, 0))
        {
            var instance = Instantiate(store, module);
            CallI32(instance, "grow", 3);
            instance.GetFunction("store")!.Call(3 * 65536, 5);
        }

        using var next = new Store<int>(engine, 0);
        var reused = Instantiate(next, module);

        var e = Assert.Throws<TrapException>(() => reused.GetFunction("load")!.Call(3 * 65536));
        Assert.Equal(TrapCode.MemoryOutOfBounds, e.Code);
    }

    [Theory]
    [InlineData(BoundsChecks.GuardPages)]
    [InlineData(BoundsChecks.Explicit)]
    public void OutOfBoundsAccessInPooledMemoryTraps(BoundsChecks boundsChecks)
    {
        using var engine = PooledEngine(boundsChecks);
        using var store = new Store<int>(engine, 0);
        var instance = Instantiate(store, Module.FromText(engine, MemoryModule));

        var e = Assert.Throws<TrapException>(() => instance.GetFunction("store")!.Call(65534, 1));

        Assert.Equal(TrapCode.MemoryOutOfBounds, e.Code);
    }

    [Fact]
    public void AccessFarBeyondTheSlotMaximumTrapsInGuardPageMode()
    {
        // Past MaxMemorySize but inside the 4 GiB index range: must land in the slot's own inaccessible pages.
        using var engine = PooledEngine(BoundsChecks.GuardPages, slots: 2);
        using var first = new Store<int>(engine, 0);
        using var second = new Store<int>(engine, 0);
        var module = Module.FromText(engine, MemoryModule);
        var a = Instantiate(first, module);
        Instantiate(second, module);
        long before = FaultHandler.TrapsFromFaults;

        var e = Assert.Throws<TrapException>(() => a.GetFunction("load")!.Call(unchecked((int)0xFFFF_FF00)));

        Assert.Equal(TrapCode.MemoryOutOfBounds, e.Code);
        Assert.True(FaultHandler.TrapsFromFaults > before, "the trap did not come from a fault in the slot's guard region");
    }

    [Fact]
    public void GrowWithinTheSlotMaximumSucceeds()
    {
        using var engine = PooledEngine(maxMemorySize: 4 * 65536);
        using var store = new Store<int>(engine, 0);
        var instance = Instantiate(store, Module.FromText(engine, MemoryModule));

        Assert.Equal(1, CallI32(instance, "grow", 3));
        instance.GetFunction("store")!.Call(4 * 65536 - 4, 9);
        Assert.Equal(9, CallI32(instance, "load", 4 * 65536 - 4));
    }

    [Fact]
    public void GrowBeyondTheSlotMaximumFails()
    {
        // The module allows 8 pages; the pool only 4.
        using var engine = PooledEngine(maxMemorySize: 4 * 65536);
        using var store = new Store<int>(engine, 0);
        var instance = Instantiate(store, Module.FromText(engine, MemoryModule));

        Assert.Equal(-1, CallI32(instance, "grow", 4));
        Assert.Equal(1, CallI32(instance, "size"));
    }

    private sealed class ReasonRecorder : ResourceLimiter
    {
        public List<string> Reasons { get; } = [];

        public override bool MemoryGrowing(long currentBytes, long desiredBytes, long? maximumBytes) => true;

        public override bool TableGrowing(long currentElements, long desiredElements, long? maximumElements) => true;

        public override void MemoryGrowFailed(long currentBytes, long desiredBytes, string reason) => Reasons.Add(reason);
    }

    [Fact]
    public void GrowBeyondTheSlotMaximumTellsTheLimiterTheSlotIsTooSmall()
    {
        using var engine = PooledEngine(maxMemorySize: 4 * 65536);
        using var store = new Store<int>(engine, 0);
        var limiter = new ReasonRecorder();
        store.SetLimiter(limiter);
        var instance = Instantiate(store, Module.FromText(engine, MemoryModule));

        Assert.Equal(-1, CallI32(instance, "grow", 4));

        var reason = Assert.Single(limiter.Reasons);
        Assert.Contains("PoolingAllocationConfig.MaxMemorySize", reason);
        Assert.Contains("262144 bytes", reason);
    }

    [Fact]
    public void HostGrowBeyondTheSlotMaximumThrows()
    {
        using var engine = PooledEngine(maxMemorySize: 4 * 65536);
        using var store = new Store<int>(engine, 0);
        var memory = Instantiate(store, Module.FromText(engine, MemoryModule)).GetMemory("mem")!;

        Assert.Throws<InvalidOperationException>(() => memory.Grow(4));
    }

    private static byte[] ImageModule() => DataModules.WithData(2, (0, DataModules.Pattern(65536, 1)), (65536 + 4096, DataModules.Pattern(100, 2)));

    private static Module LoadImageModule(Engine engine, bool fromFile)
    {
        if (!fromFile) return Module.FromBytes(engine, ImageModule());
        var path = Path.Combine(Path.GetTempPath(), $"sharptime-pooling-{Guid.NewGuid():N}.cwasm");
        File.WriteAllBytes(path, engine.PrecompileModule(ImageModule()));
        try
        {
            return Module.DeserializeFile(engine, path);
        }
        finally
        {
            File.Delete(path); // the artifact's mapping keeps its pages
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void DataImageIsIntactAfterThePreviousInstanceOverwroteIt(bool fromFile)
    {
        using var engine = PooledEngine(slots: 1);
        var module = LoadImageModule(engine, fromFile);
        var expected = DataModules.Pattern(65536, 1);
        using (var store = new Store<int>(engine, 0))
        {
            var memory = Instantiate(store, module).GetMemory("mem")!;
            Assert.True(memory.Linear.HasImage);
            memory.GetSpan().Fill(0xEE);
        }

        using var next = new Store<int>(engine, 0);
        var reused = Instantiate(next, module).GetMemory("mem")!;

        Assert.True(reused.Linear.HasImage);
        Assert.Equal(expected, reused.GetSpan()[..65536].ToArray());
        Assert.Equal(DataModules.Pattern(100, 2), reused.GetSpan().Slice(65536 + 4096, 100).ToArray());
        Assert.True(reused.GetSpan()[(65536 + 4096 + 100)..].IndexOfAnyExcept((byte)0) < 0, "bytes after the data are not zero");
    }

    [Fact]
    public void SlotThatHeldAnImageIsZeroForAModuleWithoutData()
    {
        using var engine = PooledEngine(slots: 1);
        using (var store = new Store<int>(engine, 0))
            Assert.True(Instantiate(store, Module.FromBytes(engine, ImageModule())).GetMemory("mem")!.Linear.HasImage);

        using var next = new Store<int>(engine, 0);
        var memory = Instantiate(next, Module.FromText(engine, MemoryModule)).GetMemory("mem")!;

        Assert.False(memory.Linear.HasImage);
        Assert.True(memory.GetSpan().IndexOfAnyExcept((byte)0) < 0, "the previous module's image is still visible");
    }

    [Fact]
    public void SlotThatHeldAnImageTakesAnotherModulesImage()
    {
        using var engine = PooledEngine(slots: 1);
        using (var store = new Store<int>(engine, 0))
            Instantiate(store, Module.FromBytes(engine, ImageModule()));
        var other = DataModules.Pattern(8192, 3);

        using var next = new Store<int>(engine, 0);
        var memory = Instantiate(next, Module.FromBytes(engine, DataModules.WithData(1, (4096, other)))).GetMemory("mem")!;

        Assert.True(memory.Linear.HasImage);
        Assert.True(memory.GetSpan()[..4096].IndexOfAnyExcept((byte)0) < 0, "the previous module's image is still visible");
        Assert.Equal(other, memory.GetSpan().Slice(4096, 8192).ToArray());
        Assert.True(memory.GetSpan()[(4096 + 8192)..].IndexOfAnyExcept((byte)0) < 0, "the previous module's image is still visible");
    }

    [Fact]
    public void InterleavedModulesEachGetBackTheSlotHoldingTheirImage()
    {
        using var engine = PooledEngine(slots: 3);
        var a = Module.FromBytes(engine, ImageModule());
        var b = Module.FromBytes(engine, DataModules.WithData(1, (0, DataModules.Pattern(4096, 4))));
        var bases = new List<(Module Module, nint Base)>();
        foreach (var module in new[] { a, b, a, b, a })
        {
            using var store = new Store<int>(engine, 0);
            var memory = Instantiate(store, module).GetMemory("mem")!;
            bases.Add((module, memory.Linear.Base));
        }

        Assert.Equal([bases[0].Base, bases[0].Base], [bases[2].Base, bases[4].Base]);
        Assert.Equal(bases[1].Base, bases[3].Base);
        Assert.NotEqual(bases[0].Base, bases[1].Base);
    }

    [Fact]
    public void SlotTakenFromAnotherModuleHoldsTheNewModulesData()
    {
        // Two slots, three modules: the third must take a slot warm with another module's image and replace it.
        using var engine = PooledEngine(slots: 2);
        var modules = new[] { 1, 2, 3 }.Select(seed => Module.FromBytes(engine, DataModules.WithData(1, (4096, DataModules.Pattern(8192, seed))))).ToArray();
        for (int round = 0; round < 3; round++)
        {
            for (int i = 0; i < modules.Length; i++)
            {
                using var store = new Store<int>(engine, 0);
                var memory = Instantiate(store, modules[i]).GetMemory("mem")!;
                Assert.Equal(DataModules.Pattern(8192, i + 1), memory.GetSpan().Slice(4096, 8192).ToArray());
                Assert.True(memory.GetSpan()[..4096].IndexOfAnyExcept((byte)0) < 0, "bytes before the data are not zero");
                memory.GetSpan().Fill(0x55);
            }
        }
    }

    [Fact]
    public void CopiedDataIsClearedForTheNextInstance()
    {
        using var engine = PooledEngine(slots: 1);
        var module = Module.FromBytes(engine, ImageModule());
        Sharptime.Vm.Instantiator.MemoryImagesDisabled = true;
        try
        {
            using (var store = new Store<int>(engine, 0))
                Assert.False(Instantiate(store, module).GetMemory("mem")!.Linear.HasImage);
        }
        finally
        {
            Sharptime.Vm.Instantiator.MemoryImagesDisabled = false;
        }

        using var next = new Store<int>(engine, 0);
        var memory = Instantiate(next, Module.FromText(engine, MemoryModule)).GetMemory("mem")!;

        Assert.True(memory.GetSpan().IndexOfAnyExcept((byte)0) < 0, "copied data of the previous instance is still visible");
    }

    [Fact]
    public void HostCreatedMemoryWorksAlongsidePooledOnes()
    {
        using var engine = PooledEngine(slots: 1);
        using var store = new Store<int>(engine, 0);
        var memory = new Memory(store, 1, 2);

        memory.WriteInt32(8, 42);

        Assert.Equal(42, memory.ReadInt32(8));
        Assert.Equal(0, Pool(engine).SlotsInUse);
    }
}
