using BenchmarkDotNet.Attributes;

namespace Sharptime.Benchmarks;

/// <summary>
/// Crossing the host/wasm boundary: a typed host→wasm call of <c>(i32, i32) → i32</c>, a wasm→host call of a typed
/// host function (measured as a wasm loop of 1,000 calls, reported per call), and instantiating a small module.
/// </summary>
[MemoryDiagnoser]
[MedianColumn]
public class CallBenchmarks
{
    private const int HostCallsPerInvoke = 1000;

    private Engine _engine = null!;
    private Store<int> _store = null!;
    private Linker<int> _linker = null!;
    private Module _small = null!;
    private TypedFunc<(int, int), int> _add = null!;
    private TypedFunc<int, int> _callHostLoop = null!;
    private TypedFunc<int, int> _emptyLoop = null!;

    [GlobalSetup]
    public void Setup()
    {
        _engine = new Engine();
        _store = new Store<int>(_engine, 0);
        _linker = new Linker<int>(_engine);
        _linker.DefineFunction("host", "inc", (int x) => x + 1);
        _small = Module.FromText(_engine, """
            (module
              (import "host" "inc" (func $inc (param i32) (result i32)))
              (memory 1)
              (global $g (mut i32) (i32.const 0))
              (func (export "add") (param i32 i32) (result i32) local.get 0 local.get 1 i32.add)
              (func (export "call_host") (param i32) (result i32) (local i32)
                loop
                  local.get 1 call $inc local.set 1
                  local.get 0 i32.const 1 i32.sub local.tee 0
                  br_if 0
                end
                local.get 1)
              (func (export "empty_loop") (param i32) (result i32) (local i32)
                loop
                  local.get 1 i32.const 1 i32.add local.set 1
                  local.get 0 i32.const 1 i32.sub local.tee 0
                  br_if 0
                end
                local.get 1))
            """);
        var instance = _linker.Instantiate(_store, _small);
        _add = instance.GetFunction("add")!.Typed<(int, int), int>();
        _callHostLoop = instance.GetFunction("call_host")!.Typed<int, int>();
        _emptyLoop = instance.GetFunction("empty_loop")!.Typed<int, int>();
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _store.Dispose();
        _engine.Dispose();
    }

    /// <summary>Host → wasm: one typed call of <c>(i32, i32) → i32</c>.</summary>
    [Benchmark]
    public int TypedCallIntoWasm() => _add.Call((1, 2));

    /// <summary>Wasm → host: 1,000 calls of a typed host function from a wasm loop (divide by 1,000).</summary>
    [Benchmark(OperationsPerInvoke = HostCallsPerInvoke)]
    public int TypedHostCallFromWasm() => _callHostLoop.Call(HostCallsPerInvoke);

    /// <summary>The same loop without the host call, to subtract the loop's own cost.</summary>
    [Benchmark(OperationsPerInvoke = HostCallsPerInvoke)]
    public int LoopWithoutHostCall() => _emptyLoop.Call(HostCallsPerInvoke);

    /// <summary>Instantiating the small module (one import, a memory, a global, three functions) in a fresh store.</summary>
    [Benchmark]
    public void InstantiateSmallModule()
    {
        using var store = new Store<int>(_engine, 0);
        _linker.Instantiate(store, _small);
    }
}
