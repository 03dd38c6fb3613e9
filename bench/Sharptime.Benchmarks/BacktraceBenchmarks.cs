using BenchmarkDotNet.Attributes;

namespace Sharptime.Benchmarks;

/// <summary>
/// Backtrace capture from inside a host function with 1, 10 and 100 wasm frames below it (100 captures per
/// invocation, reported per capture), and the cost of a trap with backtraces on and off.
/// </summary>
[MemoryDiagnoser]
[MedianColumn]
public class BacktraceBenchmarks
{
    private const int CapturesPerCall = 100;
    private const string Wat = """
        (module $bench
          (import "host" "capture" (func $capture))
          (func $down (export "down") (param i32)
            local.get 0 i32.eqz
            if call $capture return end
            local.get 0 i32.const 1 i32.sub call $down)
          (func (export "trap") (result i32) i32.const 1 i32.const 0 i32.div_s))
        """;

    private Store<int> _store = null!;
    private Store<int> _storeNoBacktrace = null!;
    private TypedFunc<int, ValueTuple> _down = null!;
    private TypedFunc<ValueTuple, int> _trap = null!;
    private TypedFunc<ValueTuple, int> _trapNoBacktrace = null!;
    private int _frames;

    [Params(1, 10, 100)]
    public int Frames { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        (_store, var instance) = Instantiate(new Engine());
        (_storeNoBacktrace, var plain) = Instantiate(new Engine(new Config { WasmBacktrace = false }));
        _down = instance.GetFunction("down")!.Typed<int, ValueTuple>();
        _trap = instance.GetFunction("trap")!.Typed<ValueTuple, int>();
        _trapNoBacktrace = plain.GetFunction("trap")!.Typed<ValueTuple, int>();
    }

    private (Store<int>, Instance) Instantiate(Engine engine)
    {
        var store = new Store<int>(engine, 0);
        var linker = new Linker<int>(engine);
        linker.DefineFunction("host", "capture", (Caller caller) =>
        {
            for (int i = 0; i < CapturesPerCall; i++) _frames += WasmBacktrace.Capture(caller).Frames.Count;
        });
        return (store, linker.Instantiate(store, Module.FromText(engine, Wat)));
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _store.Dispose();
        _storeNoBacktrace.Dispose();
    }

    /// <summary>`down(n-1)` leaves n wasm frames under the host function.</summary>
    [Benchmark(OperationsPerInvoke = CapturesPerCall)]
    public void CaptureBacktrace() => _down.Call(Frames - 1);

    internal int TrapWithBacktrace()
    {
        try { return _trap.Call(default); }
        catch (TrapException e) { return (int)e.Code; }
    }

    internal int TrapWithoutBacktrace()
    {
        try { return _trapNoBacktrace.Call(default); }
        catch (TrapException e) { return (int)e.Code; }
    }
}


/// <summary>A trapping call (integer divide by zero) caught in C#, with backtraces on and off.</summary>
[MemoryDiagnoser]
[MedianColumn]
public class TrapBenchmarks
{
    private readonly BacktraceBenchmarks _setup = new() { Frames = 1 };

    [GlobalSetup]
    public void Setup() => _setup.Setup();

    [GlobalCleanup]
    public void Cleanup() => _setup.Cleanup();

    [Benchmark(Baseline = true)]
    public int TrapWithoutBacktrace() => _setup.TrapWithoutBacktrace();

    [Benchmark]
    public int TrapWithBacktrace() => _setup.TrapWithBacktrace();
}
