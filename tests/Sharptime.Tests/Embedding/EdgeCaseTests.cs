using System.Text;

namespace Sharptime.Tests.Embedding;

public sealed class EdgeCaseTests
{
    private static string Params(string type, int n) => string.Join(" ", Enumerable.Repeat(type, n));

    [Fact]
    public void UntypedCallOfAWasmFunctionWithFortyParameters()
    {
        using var store = new Store<int>(Wasm.Engine, 0);
        var body = new StringBuilder("(i64.const 0)");
        for (int i = 0; i < 40; i++) body.Append($" (local.get {i}) (i64.mul (i64.const {i + 1})) (i64.add)");
        var instance = Wasm.Instantiate(store, $"""
            (module (func (export "f") (param {Params("i64", 40)}) (result i64) {body}))
            """);
        var args = Enumerable.Range(0, 40).Select(i => Val.FromI64(i)).ToArray();

        var result = instance.GetFunction("f")!.Call(args);

        Assert.Equal(Enumerable.Range(0, 40).Sum(i => (long)i * (i + 1)), result[0].AsI64());
    }

    [Fact]
    public void WasmCallsAHostFunctionWithManyMixedParametersAndResults()
    {
        using var store = new Store<int>(Wasm.Engine, 0);
        var kinds = Enumerable.Range(0, 20).Select(i => (i % 4) switch { 0 => ValKind.I32, 1 => ValKind.I64, 2 => ValKind.F32, _ => ValKind.F64 }).ToArray();
        // Returns its arguments reversed, plus one each.
        var host = Func.FromCallback(store, new FunctionType(kinds, kinds.Reverse()), (_, args, results) =>
        {
            for (int i = 0; i < args.Length; i++)
            {
                var a = args[args.Length - 1 - i];
                results[i] = a.Kind switch
                {
                    ValKind.I32 => (Val)(a.AsI32() + 1),
                    ValKind.I64 => (Val)(a.AsI64() + 1),
                    ValKind.F32 => (Val)(a.AsF32() + 1),
                    _ => (Val)(a.AsF64() + 1),
                };
            }
        });
        string Name(ValKind k) => k.ToString().ToLowerInvariant();
        var call = new StringBuilder();
        for (int i = 0; i < 20; i++) call.Append($" ({Name(kinds[i])}.const {i * 10})");
        // Fold the 20 results (reversed kinds) into one f64 sum.
        var fold = new StringBuilder();
        var reversed = kinds.Reverse().ToArray();
        for (int i = 19; i >= 0; i--)
        {
            fold.Append($" (local.set {i})");
        }
        var locals = string.Join(" ", reversed.Select(Name));
        var sum = new StringBuilder("(f64.const 0)");
        for (int i = 0; i < 20; i++)
        {
            string get = $"(local.get {i})";
            string asF64 = reversed[i] switch
            {
                ValKind.I32 => $"(f64.convert_i32_s {get})",
                ValKind.I64 => $"(f64.convert_i64_s {get})",
                ValKind.F32 => $"(f64.promote_f32 {get})",
                _ => get,
            };
            sum.Append($" {asF64} (f64.add)");
        }
        var instance = Wasm.Instantiate(store, $"""
            (module
              (import "h" "many" (func $many (param {string.Join(" ", kinds.Select(Name))}) (result {locals})))
              (func (export "run") (result f64) (local {locals})
                (call $many{call}){fold}
                {sum}))
            """, host);

        double expected = Enumerable.Range(0, 20).Sum(i => i * 10 + 1.0);
        Assert.Equal(expected, instance.Export<ValueTuple, double>("run").Call(default));
    }

    [Fact]
    public void HostFunctionMaySwallowAnExceptionFromANestedWasmCall()
    {
        using var store = new Store<int>(Wasm.Engine, 0);
        var linker = new Linker<int>(Wasm.Engine);
        linker.DefineFunction("env", "boom", (int x) => x == 0 ? throw new InvalidOperationException("inner") : x);
        linker.DefineFunction("env", "guard", (Caller caller, int x) =>
        {
            try
            {
                return caller.GetFunction("inner")!.Typed<int, int>().Call(x);
            }
            catch (InvalidOperationException)
            {
                return -1;
            }
        });
        var instance = linker.Instantiate(store, Module.FromText(Wasm.Engine, """
            (module
              (import "env" "boom" (func $boom (param i32) (result i32)))
              (import "env" "guard" (func $guard (param i32) (result i32)))
              (func (export "inner") (param i32) (result i32) (call $boom (local.get 0)))
              (func (export "outer") (param i32) (result i32) (i32.add (call $guard (local.get 0)) (i32.const 100)))
              (func (export "div") (param i32) (result i32) (i32.div_u (i32.const 1) (local.get 0))))
            """));
        var outer = instance.Export<int, int>("outer");

        Assert.Equal(99, outer.Call(0));
        Assert.Equal(105, outer.Call(5));
        Assert.Equal(TrapCode.IntegerDivisionByZero, Assert.Throws<TrapException>(() => instance.Export<int, int>("div").Call(0)).Code);
        Assert.Equal(99, outer.Call(0));
    }

    [Fact]
    public void HostFunctionCalledDirectlyFromTheHostHasNoCallerInstance()
    {
        using var store = new Store<string>(Wasm.Engine, "data");
        Caller? seen = null;
        var f = Func.FromDelegate(store, (Caller c) => { seen = c; });

        f.Call();

        Assert.NotNull(seen);
        Assert.Null(seen.Instance);
        Assert.Null(seen.GetMemory("memory"));
        Assert.Equal("data", seen.GetData<string>());
        Assert.Throws<InvalidCastException>(() => seen.GetData<int>());
    }

    [Fact]
    public void LinkerHostFunctionIsOneFuncPerStore()
    {
        using var store = new Store<int>(Wasm.Engine, 0);
        using var other = new Store<int>(Wasm.Engine, 0);
        var linker = new Linker<int>(Wasm.Engine);
        linker.DefineFunction("env", "f", () => 1);
        var module = Module.FromText(Wasm.Engine, """
            (module (import "env" "f" (func $f (result i32))) (elem declare func $f) (func (export "get") (result funcref) (ref.func $f)))
            """);

        var a = linker.Instantiate(store, module).Export<ValueTuple, Func?>("get").Call(default);
        var b = linker.Instantiate(store, module).Export<ValueTuple, Func?>("get").Call(default);
        var c = linker.Instantiate(other, module).Export<ValueTuple, Func?>("get").Call(default);

        Assert.Same(a, b);
        Assert.Same(a, linker.Get(store, "env", "f"));
        Assert.NotSame(a, c);
        Assert.Same(other, c!.Store);
    }

    [Fact]
    public void WasmOfOneStoreMayCallWasmOfAnotherStoreFromAHostFunction()
    {
        using var outerStore = new Store<int>(Wasm.Engine, 0);
        using var innerStore = new Store<int>(Wasm.Engine, 0);
        var inner = Wasm.Instantiate(innerStore, """
            (module
              (func (export "square") (param i32) (result i32) (i32.mul (local.get 0) (local.get 0)))
              (func (export "trap") (param i32) (result i32) unreachable))
            """);
        var square = inner.Export<int, int>("square");
        var trap = inner.Export<int, int>("trap");
        var bridge = Func.FromDelegate(outerStore, (int x) => x < 0 ? trap.Call(x) : square.Call(x));
        var outer = Wasm.Instantiate(outerStore, """
            (module
              (import "h" "bridge" (func $bridge (param i32) (result i32)))
              (func (export "run") (param i32) (result i32) (i32.add (call $bridge (local.get 0)) (i32.const 1))))
            """, bridge);
        var run = outer.Export<int, int>("run");

        Assert.Equal(50, run.Call(7));
        Assert.Equal(TrapCode.Unreachable, Assert.Throws<TrapException>(() => run.Call(-1)).Code);
        Assert.Equal(10, run.Call(3));
        Assert.Equal(16, square.Call(4));
    }

    [Fact]
    public void TrapInsideAHostFunctionCalledDirectlyKeepsItsCode()
    {
        using var store = new Store<int>(Wasm.Engine, 0);
        var instance = Wasm.Instantiate(store, """
            (module (func (export "oob") (result i32) (i32.load (i32.const 0))) (memory 0))
            """);
        var oob = instance.Export<ValueTuple, int>("oob");
        var host = Func.FromDelegate(store, () => oob.Call(default));

        Assert.Equal(TrapCode.MemoryOutOfBounds, Assert.Throws<TrapException>(() => host.Call()).Code);
    }

    [Fact]
    public void UnsignedClrTypesMapToWasmIntegers()
    {
        using var store = new Store<int>(Wasm.Engine, 0);
        var instance = Wasm.Instantiate(store, """
            (module
              (func (export "shr32") (param i32) (result i32) (i32.shr_u (local.get 0) (i32.const 1)))
              (func (export "shr64") (param i64) (result i64) (i64.shr_u (local.get 0) (i64.const 1))))
            """);

        Assert.Equal(0x7FFF_FFFFu, instance.Export<uint, uint>("shr32").Call(uint.MaxValue));
        Assert.Equal(0x7FFF_FFFF_FFFF_FFFFul, instance.Export<ulong, ulong>("shr64").Call(ulong.MaxValue));
    }

    [Fact]
    public void TypedWithAnUnsupportedClrTypeThrowsArgumentException()
    {
        using var store = new Store<int>(Wasm.Engine, 0);
        var instance = Wasm.Instantiate(store, """(module (func (export "f") (param i32) (result i32) (local.get 0)))""");

        Assert.Throws<ArgumentException>(() => instance.GetFunction("f")!.Typed<short, int>());
        Assert.Throws<ArgumentException>(() => instance.GetFunction("f")!.Typed<int, decimal>());
    }

    [Fact]
    public void FloatBitPatternsSurviveTheRoundTrip()
    {
        using var store = new Store<int>(Wasm.Engine, 0);
        var instance = Wasm.Instantiate(store, """
            (module
              (func (export "id32") (param f32) (result f32) (local.get 0))
              (func (export "id64") (param f64) (result f64) (local.get 0)))
            """);
        float nan32 = BitConverter.Int32BitsToSingle(0x7FA0_0001);
        double nan64 = BitConverter.Int64BitsToDouble(0x7FF4_0000_0000_0001);

        Assert.Equal(0x7FA0_0001, BitConverter.SingleToInt32Bits(instance.Export<float, float>("id32").Call(nan32)));
        Assert.Equal(0x7FF4_0000_0000_0001, BitConverter.DoubleToInt64Bits(instance.Export<double, double>("id64").Call(nan64)));
        Assert.Equal(BitConverter.SingleToInt32Bits(-0f), BitConverter.SingleToInt32Bits(instance.Export<float, float>("id32").Call(-0f)));
    }
}
