using Sharptime.Tests.Embedding;

namespace Sharptime.Tests.Interruption;

/// <summary>
/// Fuel (<see cref="Config.ConsumeFuel"/>). Expected amounts are worked out by hand from the cost table documented on
/// <see cref="Config.ConsumeFuel"/>: 1 per operator run, 0 for nop, drop, block, loop, end and else.
/// </summary>
public sealed class FuelTests
{
    private static readonly Engine FuelEngine = new(new Config { ConsumeFuel = true });

    private const string SumWat = """
        (module
          (func (export "sum") (param $n i32) (result i32) (local $acc i32)
            block
              loop
                local.get $n
                i32.eqz
                br_if 1
                local.get $acc
                local.get $n
                i32.add
                local.set $acc
                local.get $n
                i32.const 1
                i32.sub
                local.set $n
                br 0
              end
            end
            local.get $acc))
        """;

    /// <summary>12 operators per iteration, 3 for the final test, 1 for the result: 12n + 4.</summary>
    private static ulong SumCost(int n) => 12UL * (ulong)n + 4;

    private static ulong FuelUsedBy(Store store, Action call, ulong grant = 1_000_000)
    {
        store.SetFuel(grant);
        call();
        return grant - store.GetFuel();
    }

    [Fact]
    public void StraightLineCodeCostsOnePerOperator()
    {
        using var store = new Store<int>(FuelEngine, 0);
        var add = Wasm.Instantiate(store, """
            (module (func (export "add") (param i32 i32) (result i32) local.get 0 local.get 1 i32.add))
            """).Export<(int, int), int>("add");

        Assert.Equal(3UL, FuelUsedBy(store, () => add.Call((2, 3))));
    }

    [Fact]
    public void NopDropBlockLoopEndAndElseCostNothing()
    {
        using var store = new Store<int>(FuelEngine, 0);
        var f = Wasm.Instantiate(store, """
            (module (func (export "f")
              nop nop
              block nop end
              loop nop end
              i32.const 1
              drop
              nop))
            """).Export<ValueTuple, ValueTuple>("f");

        Assert.Equal(1UL, FuelUsedBy(store, () => f.Call(default)));
    }

    [Fact]
    public void LoopIsChargedPerIteration()
    {
        using var store = new Store<int>(FuelEngine, 0);
        var sum = Wasm.Instantiate(store, SumWat).Export<int, int>("sum");

        Assert.Equal(SumCost(10), FuelUsedBy(store, () => Assert.Equal(55, sum.Call(10))));
        Assert.Equal(SumCost(0), FuelUsedBy(store, () => sum.Call(0)));
    }

    [Fact]
    public void OnlyTheTakenBranchOfAnIfIsCharged()
    {
        using var store = new Store<int>(FuelEngine, 0);
        var f = Wasm.Instantiate(store, """
            (module (func (export "f") (param i32) (result i32)
              local.get 0
              if (result i32)
                i32.const 1
                i32.const 2
                i32.add
              else
                i32.const 7
              end))
            """).Export<int, int>("f");

        // local.get, if, then three operators / else one.
        Assert.Equal(5UL, FuelUsedBy(store, () => f.Call(1)));
        Assert.Equal(3UL, FuelUsedBy(store, () => f.Call(0)));
    }

    [Fact]
    public void UnreachedCodeAfterABranchIsFree()
    {
        using var store = new Store<int>(FuelEngine, 0);
        var f = Wasm.Instantiate(store, """
            (module (func (export "f") (result i32)
              block
                br 0
                i32.const 1
                i32.const 2
                i32.add
                drop
              end
              i32.const 3))
            """).Export<ValueTuple, int>("f");

        Assert.Equal(2UL, FuelUsedBy(store, () => f.Call(default)));
    }

    [Fact]
    public void CallChargesTheCallAndTheCallee()
    {
        using var store = new Store<int>(FuelEngine, 0);
        var f = Wasm.Instantiate(store, """
            (module
              (func $inner (result i32) i32.const 4)
              (func (export "f") (result i32) call $inner i32.const 1 i32.add))
            """).Export<ValueTuple, int>("f");

        // call, i32.const (callee), i32.const, i32.add.
        Assert.Equal(4UL, FuelUsedBy(store, () => f.Call(default)));
    }

    [Fact]
    public void RunningOutTrapsWithOutOfFuelAndABacktrace()
    {
        using var store = new Store<int>(FuelEngine, 0);
        var spin = Wasm.Instantiate(store, """
            (module (func $spin (export "spin") (loop (br 0))))
            """).Export<ValueTuple, ValueTuple>("spin");
        store.SetFuel(10_000);

        var trap = Assert.Throws<TrapException>(() => spin.Call(default));

        Assert.Equal(TrapCode.OutOfFuel, trap.Code);
        Assert.Equal("spin", Assert.Single(trap.Backtrace!.Frames).FunctionName);
        Assert.Equal(0UL, store.GetFuel());
    }

    [Fact]
    public void ZeroFuelTrapsAtFunctionEntry()
    {
        using var store = new Store<int>(FuelEngine, 0);
        var f = Wasm.Instantiate(store, """(module (func (export "f") (result i32) i32.const 1))""").Export<ValueTuple, int>("f");
        store.SetFuel(0);

        Assert.Equal(TrapCode.OutOfFuel, Assert.Throws<TrapException>(() => f.Call(default)).Code);
    }

    [Fact]
    public void ExactlyEnoughFuelForEveryCheckRunsToCompletion()
    {
        using var store = new Store<int>(FuelEngine, 0);
        var sum = Wasm.Instantiate(store, SumWat).Export<int, int>("sum");
        // The last check, the fourth loop header, comes after three iterations of 12 operators; 4 more run after it
        // (the final test and the result), overrunning the grant without another check.
        store.SetFuel(12 * 3 + 1);
        Assert.Equal(6, sum.Call(3));
        Assert.Equal(0UL, store.GetFuel());

        store.SetFuel(12 * 3);
        Assert.Equal(TrapCode.OutOfFuel, Assert.Throws<TrapException>(() => sum.Call(3)).Code);
    }

    [Fact]
    public void TrapChargesEveryOperatorUpToAndIncludingTheTrappingOne()
    {
        using var store = new Store<int>(FuelEngine, 0);
        var div = Wasm.Instantiate(store, """
            (module (func (export "div") (result i32) i32.const 5 i32.const 0 i32.div_s i32.const 1 i32.add))
            """).Export<ValueTuple, int>("div");

        Assert.Equal(3UL, FuelUsedBy(store, () => Assert.Throws<TrapException>(() => div.Call(default))));
    }

    [Theory]
    [InlineData(BoundsChecks.Explicit)]
    [InlineData(BoundsChecks.GuardPages)]
    public void MemoryTrapChargesUpToTheAccessInBothBoundsCheckModes(BoundsChecks mode)
    {
        using var engine = new Engine(new Config { ConsumeFuel = true, BoundsChecks = mode });
        using var store = new Store<int>(engine, 0);
        var load = Wasm.Instantiate(store, """
            (module (memory 1) (func (export "load") (result i32) i32.const 1 drop i32.const 70000 i32.load i32.const 1 i32.add))
            """).Export<ValueTuple, int>("load");

        var used = FuelUsedBy(store, () => Assert.Equal(TrapCode.MemoryOutOfBounds, Assert.Throws<TrapException>(() => load.Call(default)).Code));

        Assert.Equal(3UL, used);
    }

    [Fact]
    public void HostFunctionSeesExactFuelAndCanSetIt()
    {
        using var store = new Store<int>(FuelEngine, 0);
        ulong seen = 0;
        var host = Func.FromDelegate(store, (Caller caller) =>
        {
            seen = caller.Fuel;
            caller.Fuel = 50;
        });
        var f = Wasm.Instantiate(store, """
            (module
              (import "h" "host" (func $host))
              (func (export "f") (result i32)
                i32.const 1 drop nop
                call $host
                i32.const 5 i32.const 6 i32.add))
            """, host).Export<ValueTuple, int>("f");
        store.SetFuel(1000);

        Assert.Equal(11, f.Call(default));

        // i32.const and call ran before the host function; three operators after it.
        Assert.Equal(998UL, seen);
        Assert.Equal(47UL, store.GetFuel());
    }

    [Fact]
    public void WasmCalledFromAHostFunctionCalledFromWasmSharesTheStoreFuel()
    {
        using var store = new Store<int>(FuelEngine, 0);
        Func? inner = null;
        ulong before = 0, after = 0;
        var host = Func.FromDelegate(store, (Caller caller) =>
        {
            before = caller.Fuel;
            inner!.Call();
            after = caller.Fuel;
        });
        var instance = Wasm.Instantiate(store, """
            (module
              (import "h" "host" (func $host))
              (func (export "inner") i32.const 1 i32.const 2 i32.add drop)
              (func (export "outer") call $host i32.const 0 drop))
            """, host);
        inner = instance.GetFunction("inner");
        store.SetFuel(100);

        instance.Export<ValueTuple, ValueTuple>("outer").Call(default);

        Assert.Equal(99UL, before);
        Assert.Equal(96UL, after);
        Assert.Equal(95UL, store.GetFuel());
    }

    [Fact]
    public void OutOfFuelInsideNestedWasmUnwindsThroughTheHostFunction()
    {
        using var store = new Store<int>(FuelEngine, 0);
        Func? spin = null;
        var host = Func.FromDelegate(store, () => { spin!.Call(); });
        var instance = Wasm.Instantiate(store, """
            (module
              (import "h" "host" (func $host))
              (func (export "spin") (loop (br 0)))
              (func (export "outer") call $host))
            """, host);
        spin = instance.GetFunction("spin");
        store.SetFuel(1000);

        var trap = Assert.Throws<TrapException>(() => instance.Export<ValueTuple, ValueTuple>("outer").Call(default));

        Assert.Equal(TrapCode.OutOfFuel, trap.Code);
    }

    [Fact]
    public void SameFuelFromACompiledModuleAndItsDeserializedArtifact()
    {
        var module = Module.FromText(FuelEngine, SumWat);
        var loaded = Module.Deserialize(FuelEngine, module.Serialize());
        ulong Run(Module m)
        {
            using var store = new Store<int>(FuelEngine, 0);
            var sum = new Instance(store, m).Export<int, int>("sum");
            return FuelUsedBy(store, () => sum.Call(100));
        }

        Assert.Equal(SumCost(100), Run(module));
        Assert.Equal(SumCost(100), Run(loaded));
    }

    [Fact]
    public void SameFuelOnEveryRun()
    {
        using var store = new Store<int>(FuelEngine, 0);
        var sum = Wasm.Instantiate(store, SumWat).Export<int, int>("sum");
        var used = new HashSet<ulong>();
        for (int i = 0; i < 5; i++) used.Add(FuelUsedBy(store, () => sum.Call(1000)));

        Assert.Equal(SumCost(1000), Assert.Single(used));
    }

    [Fact]
    public void StartFunctionConsumesFuelDuringInstantiation()
    {
        using var store = new Store<int>(FuelEngine, 0);
        store.SetFuel(0);

        var trap = Assert.Throws<TrapException>(() => Wasm.Instantiate(store, """(module (func $s nop) (start $s))"""));

        Assert.Equal(TrapCode.OutOfFuel, trap.Code);
    }

    [Fact]
    public void FuelApiWithoutConsumeFuelNamesTheConfigSetting()
    {
        using var store = new Store<int>(Wasm.Engine, 0);

        var set = Assert.Throws<InvalidOperationException>(() => store.SetFuel(10));
        var get = Assert.Throws<InvalidOperationException>(() => store.GetFuel());

        Assert.Contains("Config.ConsumeFuel", set.Message);
        Assert.Contains("Config.ConsumeFuel", get.Message);
    }

    [Fact]
    public void FuelIsPerStore()
    {
        using var a = new Store<int>(FuelEngine, 0);
        using var b = new Store<int>(FuelEngine, 0);
        var sumA = Wasm.Instantiate(a, SumWat).Export<int, int>("sum");
        a.SetFuel(1000);
        b.SetFuel(1000);

        sumA.Call(2);

        Assert.Equal(1000 - SumCost(2), a.GetFuel());
        Assert.Equal(1000UL, b.GetFuel());
    }

    [Fact]
    public void FuelSetByAHostFunctionThatThrowsIsKept()
    {
        using var store = new Store<int>(FuelEngine, 0);
        var host = Func.FromDelegate(store, (Caller caller) =>
        {
            caller.Fuel = 5;
            throw new InvalidOperationException("host failed");
        });
        var f = Wasm.Instantiate(store, """
            (module (import "h" "host" (func $host)) (func (export "f") i32.const 1 drop call $host))
            """, host).Export<ValueTuple, ValueTuple>("f");
        store.SetFuel(1000);

        Assert.Throws<InvalidOperationException>(() => f.Call(default));

        Assert.Equal(5UL, store.GetFuel());
    }

    [Fact]
    public void MemoryGrowAndBulkOperationsAreChargedOneEach()
    {
        using var store = new Store<int>(FuelEngine, 0);
        var f = Wasm.Instantiate(store, """
            (module (memory 1)
              (func (export "f") (result i32)
                (memory.fill (i32.const 0) (i32.const 7) (i32.const 100))
                (drop (memory.grow (i32.const 1)))
                (memory.size)))
            """).Export<ValueTuple, int>("f");

        // Three i32.const and memory.fill, i32.const and memory.grow (drop is free), memory.size.
        Assert.Equal(7UL, FuelUsedBy(store, () => Assert.Equal(2, f.Call(default))));
    }
}
