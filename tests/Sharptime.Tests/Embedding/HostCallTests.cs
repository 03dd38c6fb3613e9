namespace Sharptime.Tests.Embedding;

public sealed class HostCallTests
{
    private sealed class Log
    {
        public List<string> Lines { get; } = [];
    }

    private static int Square(int x) => x * x;

    private static long Widen(int x, long y) => x + y;

    [Fact]
    public void WasmCallsTypedLambdaHostFunctionsOfSeveralArities()
    {
        using var store = new Store<int>(Wasm.Engine, 0);
        int zeroCalls = 0;
        var f0 = Func.FromDelegate(store, () => { zeroCalls++; });
        var f1 = Func.FromDelegate(store, (int a) => a * 10);
        var f2 = Func.FromDelegate(store, (long a, double b) => a + b);
        var f3 = Func.FromDelegate(store, (int a, int b, int c) => (a + b + c, (long)a * b * c));
        var f4 = Func.FromDelegate(store, (float a, float b, float c, float d) => a * b - c * d);
        var instance = Wasm.Instantiate(store, """
            (module
              (import "h" "f0" (func $f0))
              (import "h" "f1" (func $f1 (param i32) (result i32)))
              (import "h" "f2" (func $f2 (param i64 f64) (result f64)))
              (import "h" "f3" (func $f3 (param i32 i32 i32) (result i32 i64)))
              (import "h" "f4" (func $f4 (param f32 f32 f32 f32) (result f32)))
              (func (export "run0") (call $f0) (call $f0))
              (func (export "run1") (param i32) (result i32) (call $f1 (local.get 0)))
              (func (export "run2") (result f64) (call $f2 (i64.const 40) (f64.const 2.5)))
              (func (export "run3") (result i32 i64) (call $f3 (i32.const 2) (i32.const 3) (i32.const 4)))
              (func (export "run4") (result f32) (call $f4 (f32.const 3) (f32.const 4) (f32.const 1) (f32.const 2))))
            """, f0, f1, f2, f3, f4);

        instance.Export<ValueTuple, ValueTuple>("run0").Call(default);

        Assert.Equal(2, zeroCalls);
        Assert.Equal(70, instance.Export<int, int>("run1").Call(7));
        Assert.Equal(42.5, instance.Export<ValueTuple, double>("run2").Call(default));
        Assert.Equal((9, 24L), instance.Export<ValueTuple, (int, long)>("run3").Call(default));
        Assert.Equal(10f, instance.Export<ValueTuple, float>("run4").Call(default));
    }

    [Fact]
    public void WasmCallsMethodGroupHostFunctionsDefinedThroughTheLinker()
    {
        using var store = new Store<int>(Wasm.Engine, 0);
        var linker = new Linker<int>(Wasm.Engine);
        linker.DefineFunction<int, int>("math", "square", Square);
        linker.DefineFunction<int, long, long>("math", "widen", Widen);
        var instance = linker.Instantiate(store, Module.FromText(Wasm.Engine, """
            (module
              (import "math" "square" (func $square (param i32) (result i32)))
              (import "math" "widen" (func $widen (param i32 i64) (result i64)))
              (func (export "f") (param i32) (result i64)
                (call $widen (call $square (local.get 0)) (i64.const 0x100000000))))
            """));

        Assert.Equal(0x100000000L + 81, instance.Export<int, long>("f").Call(9));
    }

    [Fact]
    public void CallerTakingHostFunctionReadsStoreDataAndTheCallersMemory()
    {
        using var store = new Store<Log>(Wasm.Engine, new Log());
        var linker = new Linker<Log>(Wasm.Engine);
        Instance? seenInstance = null;
        linker.DefineFunction("env", "log", (Caller caller, int ptr, int len) =>
        {
            seenInstance = caller.Instance;
            var memory = caller.GetMemory("memory")!;
            caller.GetData<Log>().Lines.Add(memory.ReadString(ptr, len));
        });
        var instance = linker.Instantiate(store, Module.FromText(Wasm.Engine, """
            (module
              (import "env" "log" (func $log (param i32 i32)))
              (memory (export "memory") 1)
              (data (i32.const 16) "hello")
              (data (i32.const 32) "world!")
              (func (export "run")
                (call $log (i32.const 16) (i32.const 5))
                (call $log (i32.const 32) (i32.const 6))))
            """));

        instance.Export<ValueTuple, ValueTuple>("run").Call(default);

        Assert.Equal(["hello", "world!"], store.Data.Lines);
        Assert.Same(instance, seenInstance);
    }

    [Fact]
    public void CallerSeesTheCallingInstanceNotTheDefiningOne()
    {
        using var store = new Store<int>(Wasm.Engine, 0);
        var readMarker = Func.FromDelegate(store, (Caller c) => c.GetGlobal("marker")!.Value.AsI32());
        const string Wat = """
            (module
              (import "h" "read" (func $read (result i32)))
              (global (export "marker") i32 (i32.const {0}))
              (func (export "run") (result i32) (call $read)))
            """;
        var a = Wasm.Instantiate(store, Wat.Replace("{0}", "111"), readMarker);
        var b = Wasm.Instantiate(store, Wat.Replace("{0}", "222"), readMarker);

        Assert.Equal(111, a.Export<ValueTuple, int>("run").Call(default));
        Assert.Equal(222, b.Export<ValueTuple, int>("run").Call(default));
    }

    [Fact]
    public void HostFunctionMayWriteTheCallersMemory()
    {
        using var store = new Store<int>(Wasm.Engine, 0);
        var fill = Func.FromDelegate(store, (Caller c, int ptr) => { c.GetMemory("memory")!.WriteInt32(ptr, 0x12345678); });
        var instance = Wasm.Instantiate(store, """
            (module
              (import "h" "fill" (func $fill (param i32)))
              (memory (export "memory") 1)
              (func (export "run") (result i32) (call $fill (i32.const 100)) (i32.load (i32.const 100))))
            """, fill);

        Assert.Equal(0x12345678, instance.Export<ValueTuple, int>("run").Call(default));
    }

    [Fact]
    public void ReentrantCallsHostWasmHostWasmComputeCorrectResults()
    {
        using var store = new Store<int>(Wasm.Engine, 0);
        int maxDepth = 0, depth = 0;
        var linker = new Linker<int>(Wasm.Engine);
        // host(n) calls back into wasm's sum(n); wasm's sum(n) = n + host(n - 1), and 0 for n = 0.
        linker.DefineFunction("env", "host", (Caller caller, int n) =>
        {
            depth++;
            maxDepth = Math.Max(maxDepth, depth);
            try
            {
                return caller.GetFunction("sum")!.Typed<int, int>().Call(n);
            }
            finally
            {
                depth--;
            }
        });
        var instance = linker.Instantiate(store, Module.FromText(Wasm.Engine, """
            (module
              (import "env" "host" (func $host (param i32) (result i32)))
              (func (export "sum") (param i32) (result i32)
                (if (result i32) (i32.eqz (local.get 0))
                  (then (i32.const 0))
                  (else (i32.add (local.get 0) (call $host (i32.sub (local.get 0) (i32.const 1))))))))
            """));
        var sum = instance.Export<int, int>("sum");

        Assert.Equal(15, sum.Call(5));
        Assert.Equal(5, maxDepth);
        Assert.Equal(0, depth);
        Assert.Equal(5050, sum.Call(100));
    }

    [Fact]
    public void HostExceptionReachesTheCallerAsTheSameObject()
    {
        using var store = new Store<int>(Wasm.Engine, 0);
        var thrown = new InvalidOperationException("from the host");
        var boom = Func.FromDelegate(store, (int x) => x == 0 ? throw thrown : x);
        var instance = Wasm.Instantiate(store, """
            (module
              (import "h" "boom" (func $boom (param i32) (result i32)))
              (func (export "run") (param i32) (result i32) (i32.add (call $boom (local.get 0)) (i32.const 1))))
            """, boom);
        var run = instance.Export<int, int>("run");

        var caught = Assert.Throws<InvalidOperationException>(() => run.Call(0));

        Assert.Same(thrown, caught);
        Assert.Equal(6, run.Call(5));
    }

    [Fact]
    public void HostExceptionThroughUntypedCallIsTheSameObject()
    {
        using var store = new Store<int>(Wasm.Engine, 0);
        var thrown = new FormatException("untyped");
        var boom = Func.FromCallback(store, new FunctionType([], []), (_, _, _) => throw thrown);
        var instance = Wasm.Instantiate(store, """
            (module
              (import "h" "boom" (func $boom))
              (func (export "run") (call $boom))
              (func (export "ok") (result i32) (i32.const 7)))
            """, boom);

        var caught = Assert.Throws<FormatException>(() => instance.GetFunction("run")!.Call());

        Assert.Same(thrown, caught);
        Assert.Equal([Val.FromI32(7)], instance.GetFunction("ok")!.Call());
    }

    [Fact]
    public void HostExceptionFromDeepReentrancyReachesTheOutermostCallerAsTheSameObject()
    {
        using var store = new Store<int>(Wasm.Engine, 0);
        var thrown = new ArithmeticException("deep");
        var linker = new Linker<int>(Wasm.Engine);
        linker.DefineFunction("env", "host", (Caller caller, int n) =>
            n == 0 ? throw thrown : caller.GetFunction("sum")!.Typed<int, int>().Call(n));
        var instance = linker.Instantiate(store, Module.FromText(Wasm.Engine, """
            (module
              (import "env" "host" (func $host (param i32) (result i32)))
              (func (export "sum") (param i32) (result i32)
                (i32.add (local.get 0) (call $host (i32.sub (local.get 0) (i32.const 1)))))
              (func (export "plain") (param i32) (result i32) (i32.mul (local.get 0) (i32.const 2))))
            """));

        var caught = Assert.Throws<ArithmeticException>(() => instance.Export<int, int>("sum").Call(4));

        Assert.Same(thrown, caught);
        Assert.Equal(42, instance.Export<int, int>("plain").Call(21));
    }

    [Fact]
    public void TrapInNestedWasmPropagatesThroughTheHostFunction()
    {
        using var store = new Store<int>(Wasm.Engine, 0);
        var linker = new Linker<int>(Wasm.Engine);
        linker.DefineFunction("env", "host", (Caller caller) => caller.GetFunction("inner")!.Typed<ValueTuple, int>().Call(default));
        var instance = linker.Instantiate(store, Module.FromText(Wasm.Engine, """
            (module
              (import "env" "host" (func $host (result i32)))
              (func (export "inner") (result i32) unreachable)
              (func (export "outer") (result i32) (call $host))
              (func (export "ok") (result i32) (i32.const 1)))
            """));

        var e = Assert.Throws<TrapException>(() => instance.Export<ValueTuple, int>("outer").Call(default));

        Assert.Equal(TrapCode.Unreachable, e.Code);
        Assert.Equal(1, instance.Export<ValueTuple, int>("ok").Call(default));
    }

    [Fact]
    public void HostFunctionReturningWrongKindFromUntypedCallbackFailsTheCall()
    {
        using var store = new Store<int>(Wasm.Engine, 0);
        var bad = Func.FromCallback(store, new FunctionType([], [ValKind.I32]), (_, _, results) => results[0] = 1L);
        var instance = Wasm.Instantiate(store, """
            (module (import "h" "bad" (func $bad (result i32))) (func (export "run") (result i32) (call $bad)))
            """, bad);

        Assert.Throws<InvalidOperationException>(() => instance.Export<ValueTuple, int>("run").Call(default));
    }
}
