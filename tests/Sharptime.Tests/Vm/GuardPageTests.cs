using System.Runtime.CompilerServices;
using Sharptime.Tests.Embedding;
using Sharptime.Vm.Signals;

namespace Sharptime.Tests.Vm;

/// <summary>Guard-page memories: unchecked loads and stores whose faults the native signal handler turns into traps.</summary>
public sealed class GuardPageTests
{
    private static readonly Engine Guarded = new(new Config { BoundsChecks = BoundsChecks.GuardPages });
    private static readonly Engine Explicit = new(new Config { BoundsChecks = BoundsChecks.Explicit });

    private static Instance Instantiate(Store store, string wat) => new(store, Module.FromText(store.Engine, wat), []);

    private static string AccessModule(string access) => $$"""
        (module $m
          (memory (export "mem") 1 3)
          (func $access (param $a i32) (result i64) {{access}})
          (func (export "run") (param i32) (result i64) (call $access (local.get 0))))
        """;

    public static TheoryData<string, uint> OutOfBoundsAccesses() => new()
    {
        { "(i64.extend_i32_u (i32.load (local.get $a)))", 65533 },
        { "(i64.load offset=8 (local.get $a))", 65528 },
        { "(i64.extend_i32_u (i32.load8_u offset=65536 (local.get $a)))", 0 },
        { "(i64.extend_i32_u (i32.load16_s offset=0x7fff0000 (local.get $a)))", 0x10000 },
        { "(i64.load offset=0x7ffffff0 (local.get $a))", 0xFFFFFFFF },
        { "(i32.store offset=4 (local.get $a) (i32.const 1)) (i64.const 0)", 65532 },
        { "(i64.store (local.get $a) (i64.const 0x123456789)) (i64.const 0)", 65529 },
        { "(f64.store offset=100000 (local.get $a) (f64.const 1)) (i64.const 0)", 0 },
        { "(i64.extend_i32_u (i32.load (local.get $a)))", 0xFFFFFFFF },
    };

    [Theory]
    [MemberData(nameof(OutOfBoundsAccesses))]
    public void OutOfBoundsAccessTrapsThroughTheHandlerAtTheAccess(string access, uint address)
    {
        using var store = new Store<int>(Guarded, 0);
        var instance = Instantiate(store, AccessModule(access));
        long before = FaultHandler.TrapsFromFaults;

        var e = Assert.Throws<TrapException>(() => instance.GetFunction("run")!.Call((int)address));

        Assert.Equal(TrapCode.MemoryOutOfBounds, e.Code);
        Assert.True(FaultHandler.TrapsFromFaults > before, "the trap did not come from a fault");
        Assert.Equal(["access", null], e.Backtrace!.Frames.Select(f => f.FunctionName));
        Assert.NotNull(e.Backtrace.Frames[0].FunctionOffset);
    }

    [Fact]
    public void TrapPointsAtTheFaultingOperator()
    {
        const string wat = """
            (module
              (memory 1)
              (func $f (export "f") (param i32) (result i32)
                (i32.add (i32.const 1) (i32.load offset=16 (local.get 0)))))
            """;
        var bytes = Module.ConvertText(wat);
        var info = Sharptime.Format.ModuleParser.Parse(bytes);
        using var store = new Store<int>(Guarded, 0);
        var instance = new Instance(store, Module.FromBytes(Guarded, bytes), []);

        var e = Assert.Throws<TrapException>(() => instance.GetFunction("f")!.Call(70000));

        var body = info.FunctionBodies[0];
        int load = bytes.AsSpan(body.Offset, body.Length).LastIndexOf((byte)0x28);
        Assert.Equal(load, e.Backtrace!.Frames[0].FunctionOffset);
    }

    [Fact]
    public void HostileModuleReadingFarPastItsMemoryTraps()
    {
        // Largest index plus the largest static offset: far beyond the reservation, so this one keeps an explicit check.
        const string wat = """
            (module
              (memory 1)
              (func (export "far") (result i64) (i64.load offset=0xffffffff (i32.const -1)))
              (func (export "guard") (result i64) (i64.load offset=0x7ffffff7 (i32.const -1)))
              (func (export "scan") (param $i i32) (result i64) (local $sum i64)
                (loop $next
                  (local.set $sum (i64.add (local.get $sum) (i64.load (local.get $i))))
                  (local.set $i (i32.add (local.get $i) (i32.const 0x10000)))
                  (br $next))
                (local.get $sum)))
            """;
        using var store = new Store<int>(Guarded, 0);
        var instance = Instantiate(store, wat);

        Assert.Equal(TrapCode.MemoryOutOfBounds, Assert.Throws<TrapException>(() => instance.GetFunction("far")!.Call()).Code);
        Assert.Equal(TrapCode.MemoryOutOfBounds, Assert.Throws<TrapException>(() => instance.GetFunction("guard")!.Call()).Code);
        Assert.Equal(TrapCode.MemoryOutOfBounds, Assert.Throws<TrapException>(() => instance.GetFunction("scan")!.Call(0)).Code);
    }

    [Fact]
    public void OutOfBoundsStoreChangesNothing()
    {
        const string wat = """
            (module
              (memory (export "mem") 1)
              (func (export "store") (param i32) (i64.store (local.get 0) (i64.const -1))))
            """;
        using var store = new Store<int>(Guarded, 0);
        var instance = Instantiate(store, wat);

        Assert.Throws<TrapException>(() => instance.GetFunction("store")!.Call(65532));

        Assert.All(instance.GetMemory("mem")!.GetSpan().Slice(65520).ToArray(), b => Assert.Equal(0, b));
    }

    [Fact]
    public void GrownPagesAreAccessible()
    {
        const string wat = """
            (module
              (memory 1 4)
              (func (export "grow") (result i32) (memory.grow (i32.const 2)))
              (func (export "poke") (param i32 i32) (i32.store (local.get 0) (local.get 1)))
              (func (export "peek") (param i32) (result i32) (i32.load (local.get 0))))
            """;
        using var store = new Store<int>(Guarded, 0);
        var instance = Instantiate(store, wat);
        var poke = instance.GetFunction("poke")!;
        var peek = instance.GetFunction("peek")!;
        Assert.Throws<TrapException>(() => poke.Call(0x20000, 7));

        Assert.Equal(1, instance.GetFunction("grow")!.Call()[0].AsI32());
        poke.Call(0x2FFFC, 1234);

        Assert.Equal(1234, peek.Call(0x2FFFC)[0].AsI32());
        Assert.Equal(TrapCode.MemoryOutOfBounds, Assert.Throws<TrapException>(() => peek.Call(0x2FFFD)).Code);
    }

    private sealed class Holder
    {
        public int Value = 1;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static int ValueOf(Holder h) => h.Value;

    [Fact]
    public void ManagedNullDereferenceStillThrowsNullReferenceException()
    {
        using (var store = new Store<int>(Guarded, 0))
        {
            // Compiling a module with unchecked accesses installs the handler; trap once so it has certainly run.
            var instance = Instantiate(store, AccessModule("(i64.load (local.get $a))"));
            Assert.Throws<TrapException>(() => instance.GetFunction("run")!.Call(70000));
        }
        Assert.True(FaultHandler.IsInstalled);

        Assert.Throws<NullReferenceException>(() => ValueOf(null!));
        Assert.Equal(1, ValueOf(new Holder()));
    }

    [Fact]
    public void GarbageCollectionWhileWasmCallsTheHost()
    {
        const string wat = """
            (module
              (import "host" "gc" (func $gc))
              (memory 1)
              (func (export "run") (param i32) (result i32)
                (call $gc)
                (i32.load (local.get 0))))
            """;
        using var store = new Store<int>(Guarded, 0);
        var gc = Func.FromDelegate(store, () => GC.Collect(2, GCCollectionMode.Forced, blocking: true));
        var instance = new Instance(store, Module.FromText(Guarded, wat), [gc]);
        var run = instance.GetFunction("run")!;

        Assert.Equal(0, run.Call(8)[0].AsI32());
        Assert.Equal(TrapCode.MemoryOutOfBounds, Assert.Throws<TrapException>(() => run.Call(65536)).Code);
        Assert.Equal(0, run.Call(8)[0].AsI32());
    }

    public static TheoryData<string, int> Programs() => new()
    {
        { "(i32.load offset=3 (local.get 0))", 65532 },
        { "(i32.load offset=3 (local.get 0))", 65529 },
        { "(i32.load16_u offset=65535 (local.get 0))", 0 },
        { "(i32.load8_s (local.get 0))", 65535 },
        { "(i32.wrap_i64 (i64.load offset=0x80000000 (local.get 0)))", 0 },
        { "(i32.store8 offset=65535 (local.get 0) (i32.const 9)) (i32.load8_u offset=65535 (local.get 0))", 0 },
        { "(i32.store8 offset=65535 (local.get 0) (i32.const 9)) (i32.load8_u offset=65535 (local.get 0))", 1 },
        { "(f32.store (local.get 0) (f32.const 2.5)) (i32.trunc_f32_s (f32.load (local.get 0)))", 100 },
        { "(i32.load (i32.const 65534))", 0 },
        { "(i32.load offset=65532 (i32.const 0))", 0 },
    };

    [Theory]
    [MemberData(nameof(Programs))]
    public void BothModesAgree(string body, int argument)
    {
        string wat = $"(module (memory 1) (data (i32.const 65528) \"\\01\\02\\03\\04\\05\\06\\07\\08\") (func (export \"f\") (param i32) (result i32) {body}))";
        Assert.Equal(Outcome(Explicit, wat, argument), Outcome(Guarded, wat, argument));
    }

    private static string Outcome(Engine engine, string wat, int argument)
    {
        using var store = new Store<int>(engine, 0);
        var instance = Instantiate(store, wat);
        try
        {
            return instance.GetFunction("f")!.Call(argument)[0].AsI32().ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
        catch (TrapException e)
        {
            return e.Code.ToString();
        }
    }

    [Fact]
    public async Task ThreadsTrapWhileOtherModulesAreRegistered()
    {
        using var stop = new CancellationTokenSource();
        var loader = Task.Run(() =>
        {
            // Each compiled module republishes the handler's registry while the traps below read it.
            for (int i = 0; !stop.IsCancellationRequested && i < 200; i++)
            {
                using var store = new Store<int>(Guarded, 0);
                _ = Instantiate(store, AccessModule($"(i64.load offset={i} (local.get $a))"));
            }
        });
        var workers = Enumerable.Range(0, 3).Select(_ => Task.Run(() =>
        {
            using var store = new Store<int>(Guarded, 0);
            var run = Instantiate(store, AccessModule("(i64.load (local.get $a))")).GetFunction("run")!;
            for (int i = 0; i < 300; i++)
            {
                Assert.Equal(TrapCode.MemoryOutOfBounds, Assert.Throws<TrapException>(() => run.Call(65536 + i)).Code);
                Assert.Equal(0L, run.Call(i)[0].AsI64());
            }
        })).ToArray();
        await Task.WhenAll(workers);
        await stop.CancelAsync();
        await loader;
    }

    [Fact]
    public void ExplicitModeReservesOnlyTheMaximum()
    {
        using var store = new Store<int>(Explicit, 0);
        var memory = new Memory(store, 1, 2);
        Assert.False(memory.Linear.IsGuarded);
        using var guarded = new Store<int>(Guarded, 0);
        Assert.True(new Memory(guarded, 1, 2).Linear.IsGuarded);
    }

    [Fact]
    public void ConfigRejectsReservationsThatCannotCoverTheIndexRange()
    {
        var config = new Config();
        Assert.Throws<ArgumentOutOfRangeException>(() => config.MemoryReservation = 1UL << 31);
        Assert.Throws<ArgumentOutOfRangeException>(() => config.MemoryGuardSize = 12345);
        Assert.Equal(BoundsChecks.Explicit, Config.ParseBoundsChecks("explicit"));
        Assert.Equal(BoundsChecks.GuardPages, Config.ParseBoundsChecks("guard"));
    }
}

/// <summary>Faults the handler must not swallow, in a child process because they end it.</summary>
public sealed class GuardPageChildProcessTests
{
    [Fact]
    public void FaultInNativeCodeThatIsNotOursStillKillsTheProcess()
    {
        var (exit, output) = ChildProcess.Run("native-fault");

        Assert.Contains("installed", output);
        Assert.DoesNotContain("survived", output);
        Assert.Equal(128 + 11, exit);   // killed by SIGSEGV: the default action ran
    }
}
