using Sharptime.Tests.Embedding;

namespace Sharptime.Tests.Interruption;

/// <summary>Epoch interruption (<see cref="Config.EpochInterruption"/>, <see cref="Engine.IncrementEpoch"/>, deadlines and the callback).</summary>
public sealed class EpochTests
{
    private const string TickingLoopWat = """
        (module
          (import "h" "tick" (func $tick))
          (func $spin (export "spin") (loop (call $tick) (br 0))))
        """;

    private static Engine NewEngine() => new(new Config { EpochInterruption = true });

    [Fact]
    public void InterruptTrapCarriesABacktrace()
    {
        using var engine = NewEngine();
        using var store = new Store<int>(engine, 0);
        var spin = Wasm.Instantiate(store, TickingLoopWat, Func.FromDelegate(store, engine.IncrementEpoch)).Export<ValueTuple, ValueTuple>("spin");
        store.SetEpochDeadline(3);

        var trap = Assert.Throws<TrapException>(() => spin.Call(default));

        Assert.Equal(TrapCode.Interrupt, trap.Code);
        Assert.Equal("spin", Assert.Single(trap.Backtrace!.Frames).FunctionName);
        Assert.Contains("interrupt", trap.Message);
    }

    [Fact]
    public void NewStoreHasReachedItsDeadlineAlready()
    {
        using var engine = NewEngine();
        using var store = new Store<int>(engine, 0);
        var f = Wasm.Instantiate(store, """(module (func (export "f") (result i32) i32.const 1))""").Export<ValueTuple, int>("f");

        Assert.Equal(TrapCode.Interrupt, Assert.Throws<TrapException>(() => f.Call(default)).Code);
        store.SetEpochDeadline(1);
        Assert.Equal(1, f.Call(default));
    }

    [Fact]
    public void DeadlineIsCountedFromTheCurrentEpoch()
    {
        using var engine = NewEngine();
        using var store = new Store<int>(engine, 0);
        int ticks = 0;
        var spin = Wasm.Instantiate(store, TickingLoopWat, Func.FromDelegate(store, () => { ticks++; engine.IncrementEpoch(); }))
            .Export<ValueTuple, ValueTuple>("spin");
        for (int i = 0; i < 7; i++) engine.IncrementEpoch();
        store.SetEpochDeadline(4);

        Assert.Equal(TrapCode.Interrupt, Assert.Throws<TrapException>(() => spin.Call(default)).Code);
        Assert.Equal(4, ticks);
    }

    [Fact]
    public void CallbackCanContinueWithANewDeadlineAndThenTrap()
    {
        using var engine = NewEngine();
        using var store = new Store<int>(engine, 0);
        int ticks = 0, callbacks = 0;
        var spin = Wasm.Instantiate(store, TickingLoopWat, Func.FromDelegate(store, () => { ticks++; engine.IncrementEpoch(); }))
            .Export<ValueTuple, ValueTuple>("spin");
        store.SetEpochDeadline(1);
        store.SetEpochDeadlineCallback(s =>
        {
            Assert.Same(store, s);
            return ++callbacks < 3 ? EpochDeadlineAction.Continue(1) : EpochDeadlineAction.Trap;
        });

        var trap = Assert.Throws<TrapException>(() => spin.Call(default));

        Assert.Equal(TrapCode.Interrupt, trap.Code);
        // Each Continue(1) allowed exactly one more tick of the loop.
        Assert.Equal(3, callbacks);
        Assert.Equal(3, ticks);
    }

    [Fact]
    public void CallbackExceptionIsRethrownToTheHostWithAWasmBacktrace()
    {
        using var engine = NewEngine();
        using var store = new Store<int>(engine, 0);
        var spin = Wasm.Instantiate(store, TickingLoopWat, Func.FromDelegate(store, engine.IncrementEpoch)).Export<ValueTuple, ValueTuple>("spin");
        var boom = new InvalidOperationException("deadline callback failed");
        store.SetEpochDeadline(1);
        store.SetEpochDeadlineCallback(_ => throw boom);

        var thrown = Assert.Throws<InvalidOperationException>(() => spin.Call(default));

        Assert.Same(boom, thrown);
        Assert.Equal("spin", Assert.Single(WasmBacktrace.FromException(thrown)!.Frames).FunctionName);
    }

    private const string NestedWat = """
        (module
          (import "h" "tick" (func $tick))
          (func $deep (call $tick))
          (func $spin (export "spin") (loop (call $deep) (br 0)))
          (func $outer (export "outer") (call $spin))
          (func $fail (export "fail") (unreachable)))
        """;

    [Fact]
    public void BacktraceCapturedInTheCallbackShowsTheInterruptedFrames()
    {
        using var engine = NewEngine();
        using var store = new Store<int>(engine, 0);
        var instance = Wasm.Instantiate(store, NestedWat, Func.FromDelegate(store, engine.IncrementEpoch));
        WasmBacktrace? captured = null;
        store.SetEpochDeadline(1);
        // The loop called a host function, one frame deeper, just before the check: that exit frame is gone by now.
        store.SetEpochDeadlineCallback(s => { captured = WasmBacktrace.Capture(s); return EpochDeadlineAction.Trap; });

        Assert.Throws<TrapException>(() => instance.Export<ValueTuple, ValueTuple>("outer").Call(default));

        Assert.Equal(["spin", "outer"], captured!.Frames.Select(f => f.FunctionName));
    }

    [Fact]
    public void ATrapInWasmCalledFromTheCallbackHasTheWholeBacktrace()
    {
        using var engine = NewEngine();
        using var store = new Store<int>(engine, 0);
        var instance = Wasm.Instantiate(store, NestedWat, Func.FromDelegate(store, engine.IncrementEpoch));
        var fail = instance.Export<ValueTuple, ValueTuple>("fail");
        TrapException? nested = null;
        store.SetEpochDeadline(1);
        store.SetEpochDeadlineCallback(s =>
        {
            s.SetEpochDeadline(1000);
            nested = Assert.Throws<TrapException>(() => fail.Call(default));
            return EpochDeadlineAction.Trap;
        });

        Assert.Throws<TrapException>(() => instance.Export<ValueTuple, ValueTuple>("outer").Call(default));

        Assert.Equal(["fail", "spin", "outer"], nested!.Backtrace!.Frames.Select(f => f.FunctionName));
    }

    [Fact]
    public void EpochDeadlineTrapRemovesTheCallback()
    {
        using var engine = NewEngine();
        using var store = new Store<int>(engine, 0);
        int callbacks = 0;
        var spin = Wasm.Instantiate(store, TickingLoopWat, Func.FromDelegate(store, engine.IncrementEpoch)).Export<ValueTuple, ValueTuple>("spin");
        store.SetEpochDeadlineCallback(_ => { callbacks++; return EpochDeadlineAction.Continue(1); });
        store.EpochDeadlineTrap();
        store.SetEpochDeadline(2);

        Assert.Equal(TrapCode.Interrupt, Assert.Throws<TrapException>(() => spin.Call(default)).Code);
        Assert.Equal(0, callbacks);
    }

    [Fact]
    public void RecursionWithoutLoopsIsInterruptedAtFunctionEntry()
    {
        using var engine = NewEngine();
        using var store = new Store<int>(engine, 0);
        int ticks = 0;
        var rec = Wasm.Instantiate(store, """
            (module
              (import "h" "tick" (func $tick))
              (func $rec (export "rec") (param i32)
                (if (local.get 0)
                  (then (call $tick) (call $rec (i32.sub (local.get 0) (i32.const 1)))))))
            """, Func.FromDelegate(store, () => { ticks++; engine.IncrementEpoch(); })).Export<int, ValueTuple>("rec");
        store.SetEpochDeadline(5);

        var trap = Assert.Throws<TrapException>(() => rec.Call(100));

        Assert.Equal(TrapCode.Interrupt, trap.Code);
        Assert.Equal(5, ticks);
        // The fifth tick ran in the fifth frame; the sixth call's entry check trapped.
        Assert.Equal(6, trap.Backtrace!.Frames.Count);
        Assert.All(trap.Backtrace.Frames, f => Assert.Equal("rec", f.FunctionName));
    }

    [Fact]
    public void HostFunctionCanExtendTheDeadlineOfTheRunningCall()
    {
        using var engine = NewEngine();
        using var store = new Store<int>(engine, 0);
        var count = Wasm.Instantiate(store, """
            (module
              (import "h" "tick" (func $tick))
              (func (export "count") (param $n i32) (result i32) (local $i i32)
                (loop
                  (call $tick)
                  (local.set $i (i32.add (local.get $i) (i32.const 1)))
                  (br_if 0 (i32.lt_u (local.get $i) (local.get $n))))
                (local.get $i)))
            """, Func.FromDelegate(store, (Caller caller) =>
            {
                engine.IncrementEpoch();
                caller.Store.SetEpochDeadline(1);
            })).Export<int, int>("count");
        store.SetEpochDeadline(1);

        Assert.Equal(50, count.Call(50));
    }

    [Fact]
    public void InterruptInWasmCalledFromAHostFunctionReachesThatHostFunction()
    {
        using var engine = NewEngine();
        using var store = new Store<int>(engine, 0);
        Func? spin = null;
        TrapCode? innerTrap = null;
        var host = Func.FromDelegate(store, (Caller caller) =>
        {
            try
            {
                spin!.Call();
            }
            catch (TrapException e)
            {
                innerTrap = e.Code;
            }
            caller.Store.SetEpochDeadline(1_000);
            return 7;
        });
        var instance = Wasm.Instantiate(store, """
            (module
              (import "h" "host" (func $host (result i32)))
              (import "h" "tick" (func $tick))
              (func (export "spin") (loop (call $tick) (br 0)))
              (func (export "outer") (result i32) (i32.add (call $host) (i32.const 1))))
            """, host, Func.FromDelegate(store, engine.IncrementEpoch));
        spin = instance.GetFunction("spin");
        store.SetEpochDeadline(3);

        Assert.Equal(8, instance.Export<ValueTuple, int>("outer").Call(default));
        Assert.Equal(TrapCode.Interrupt, innerTrap);
    }

    [Fact]
    public void WithoutEpochInterruptionNothingIsChecked()
    {
        using var store = new Store<int>(Wasm.Engine, 0);
        int ticks = 0;
        var count = Wasm.Instantiate(store, """
            (module
              (import "h" "tick" (func $tick))
              (func (export "count") (param $n i32) (result i32) (local $i i32)
                (loop
                  (call $tick)
                  (local.set $i (i32.add (local.get $i) (i32.const 1)))
                  (br_if 0 (i32.lt_u (local.get $i) (local.get $n))))
                (local.get $i)))
            """, Func.FromDelegate(store, () => { ticks++; Wasm.Engine.IncrementEpoch(); })).Export<int, int>("count");

        // The store never set a deadline (0, long passed): code compiled with checks would trap at once.
        Assert.Equal(100, count.Call(100));
        Assert.Equal(100, ticks);
    }

    [Fact]
    public void EpochApiWithoutEpochInterruptionNamesTheConfigSetting()
    {
        using var store = new Store<int>(Wasm.Engine, 0);

        Assert.Contains("Config.EpochInterruption", Assert.Throws<InvalidOperationException>(() => store.SetEpochDeadline(1)).Message);
        Assert.Contains("Config.EpochInterruption", Assert.Throws<InvalidOperationException>(() => store.SetEpochDeadlineCallback(_ => EpochDeadlineAction.Trap)).Message);
        Assert.Contains("Config.EpochInterruption", Assert.Throws<InvalidOperationException>(() => store.EpochDeadlineTrap()).Message);
    }

    [Fact]
    public void IncrementEpochIsSafeFromManyThreads()
    {
        using var engine = NewEngine();
        using var store = new Store<int>(engine, 0);
        var f = Wasm.Instantiate(store, """(module (func (export "f") (result i32) i32.const 1))""").Export<ValueTuple, int>("f");
        store.SetEpochDeadline(4001);

        Parallel.For(0, 4, _ => { for (int i = 0; i < 1000; i++) engine.IncrementEpoch(); });

        // No tick was lost: 4000 leaves the deadline one tick away, the next one reaches it.
        Assert.Equal(1, f.Call(default));
        engine.IncrementEpoch();
        Assert.Equal(TrapCode.Interrupt, Assert.Throws<TrapException>(() => f.Call(default)).Code);
    }

    [Fact]
    public void WorksTogetherWithFuel()
    {
        using var engine = new Engine(new Config { EpochInterruption = true, ConsumeFuel = true });
        using var store = new Store<int>(engine, 0);
        var spin = Wasm.Instantiate(store, TickingLoopWat, Func.FromDelegate(store, engine.IncrementEpoch)).Export<ValueTuple, ValueTuple>("spin");
        store.SetFuel(1_000_000);
        store.SetEpochDeadline(10);

        Assert.Equal(TrapCode.Interrupt, Assert.Throws<TrapException>(() => spin.Call(default)).Code);
        // Ten iterations of call + br before the eleventh loop header.
        Assert.Equal(1_000_000UL - 20, store.GetFuel());

        store.SetEpochDeadline(1_000_000);
        store.SetFuel(100);
        Assert.Equal(TrapCode.OutOfFuel, Assert.Throws<TrapException>(() => spin.Call(default)).Code);
    }

    [Fact]
    public void CallbackSeesExactFuelAndItsChangeSurvivesTheTrap()
    {
        using var engine = new Engine(new Config { EpochInterruption = true, ConsumeFuel = true });
        using var store = new Store<int>(engine, 0);
        var spin = Wasm.Instantiate(store, TickingLoopWat, Func.FromDelegate(store, engine.IncrementEpoch)).Export<ValueTuple, ValueTuple>("spin");
        ulong seen = 0;
        store.SetFuel(1000);
        store.SetEpochDeadline(1);
        store.SetEpochDeadlineCallback(s =>
        {
            seen = s.GetFuel();
            s.SetFuel(10);
            return EpochDeadlineAction.Trap;
        });

        Assert.Equal(TrapCode.Interrupt, Assert.Throws<TrapException>(() => spin.Call(default)).Code);

        // One iteration (call, br) before the second loop header's check.
        Assert.Equal(998UL, seen);
        Assert.Equal(10UL, store.GetFuel());
    }
}
