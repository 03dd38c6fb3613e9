namespace Sharptime.Tests.Embedding;

public sealed class TrapTests
{
    private const string TrapModule = """
        (module
          (type $v_i (func (result i32)))
          (type $i_i (func (param i32) (result i32)))
          (memory 1)
          (table $t 2 funcref)
          (table $e 1 externref)
          (func $const7 (type $v_i) (i32.const 7))
          (elem (table $t) (i32.const 1) func $const7)
          (func (export "unreachable") unreachable)
          (func (export "div_s") (param i32 i32) (result i32) (i32.div_s (local.get 0) (local.get 1)))
          (func (export "rem_u") (param i32 i32) (result i32) (i32.rem_u (local.get 0) (local.get 1)))
          (func (export "div_s64") (param i64 i64) (result i64) (i64.div_s (local.get 0) (local.get 1)))
          (func (export "trunc") (param f32) (result i32) (i32.trunc_f32_s (local.get 0)))
          (func (export "trunc64") (param f64) (result i64) (i64.trunc_f64_u (local.get 0)))
          (func (export "load") (param i32) (result i32) (i32.load (local.get 0)))
          (func (export "store") (param i32) (i32.store8 (local.get 0) (i32.const 1)))
          (func (export "table_get") (param i32) (result externref) (table.get $e (local.get 0)))
          (func (export "table_set") (param i32) (table.set $t (local.get 0) (ref.null func)))
          (func (export "call_v_i") (param i32) (result i32) (call_indirect $t (type $v_i) (local.get 0)))
          (func (export "call_i_i") (param i32) (result i32) (call_indirect $t (type $i_i) (i32.const 5) (local.get 0)))
          (func (export "ok") (result i32) (i32.const 42)))
        """;

    private static (Store<int> Store, Instance Instance) Create()
    {
        var store = new Store<int>(Wasm.Engine, 0);
        return (store, Wasm.Instantiate(store, TrapModule));
    }

    private static TrapCode TrapOf(Action action) => Assert.Throws<TrapException>(action).Code;

    [Fact]
    public void UnreachableTraps()
    {
        var (store, instance) = Create();
        using var _ = store;
        Assert.Equal(TrapCode.Unreachable, TrapOf(() => instance.Export<ValueTuple, ValueTuple>("unreachable").Call(default)));
    }

    [Fact]
    public void IntegerDivisionByZeroTraps()
    {
        var (store, instance) = Create();
        using var _ = store;
        Assert.Equal(TrapCode.IntegerDivisionByZero, TrapOf(() => instance.Export<(int, int), int>("div_s").Call((1, 0))));
        Assert.Equal(TrapCode.IntegerDivisionByZero, TrapOf(() => instance.Export<(int, int), int>("rem_u").Call((1, 0))));
        Assert.Equal(TrapCode.IntegerDivisionByZero, TrapOf(() => instance.Export<(long, long), long>("div_s64").Call((1, 0))));
    }

    [Fact]
    public void SignedDivisionOverflowTraps()
    {
        var (store, instance) = Create();
        using var _ = store;
        Assert.Equal(TrapCode.IntegerOverflow, TrapOf(() => instance.Export<(int, int), int>("div_s").Call((int.MinValue, -1))));
        Assert.Equal(TrapCode.IntegerOverflow, TrapOf(() => instance.Export<(long, long), long>("div_s64").Call((long.MinValue, -1))));
    }

    [Fact]
    public void TruncationOutOfRangeTrapsAsIntegerOverflow()
    {
        var (store, instance) = Create();
        using var _ = store;
        Assert.Equal(TrapCode.IntegerOverflow, TrapOf(() => instance.Export<float, int>("trunc").Call(3e9f)));
        Assert.Equal(TrapCode.IntegerOverflow, TrapOf(() => instance.Export<double, long>("trunc64").Call(-1.0)));
    }

    [Fact]
    public void TruncationOfNaNTrapsAsInvalidConversion()
    {
        var (store, instance) = Create();
        using var _ = store;
        Assert.Equal(TrapCode.BadConversionToInteger, TrapOf(() => instance.Export<float, int>("trunc").Call(float.NaN)));
        Assert.Equal(TrapCode.BadConversionToInteger, TrapOf(() => instance.Export<double, long>("trunc64").Call(double.NaN)));
    }

    [Fact]
    public void OutOfBoundsMemoryAccessTraps()
    {
        var (store, instance) = Create();
        using var _ = store;
        Assert.Equal(TrapCode.MemoryOutOfBounds, TrapOf(() => instance.Export<int, int>("load").Call(65533)));
        Assert.Equal(TrapCode.MemoryOutOfBounds, TrapOf(() => instance.Export<int, int>("load").Call(-1)));
        Assert.Equal(TrapCode.MemoryOutOfBounds, TrapOf(() => instance.Export<int, ValueTuple>("store").Call(65536)));
        Assert.Equal(0, instance.Export<int, int>("load").Call(65532));
    }

    [Fact]
    public void OutOfBoundsTableAccessTraps()
    {
        var (store, instance) = Create();
        using var _ = store;
        Assert.Equal(TrapCode.TableOutOfBounds, TrapOf(() => instance.Export<int, object?>("table_get").Call(1)));
        Assert.Equal(TrapCode.TableOutOfBounds, TrapOf(() => instance.Export<int, ValueTuple>("table_set").Call(2)));
    }

    [Fact]
    public void IndirectCallToNullTraps()
    {
        var (store, instance) = Create();
        using var _ = store;
        Assert.Equal(TrapCode.IndirectCallToNull, TrapOf(() => instance.Export<int, int>("call_v_i").Call(0)));
    }

    [Fact]
    public void IndirectCallWithWrongSignatureTraps()
    {
        var (store, instance) = Create();
        using var _ = store;
        Assert.Equal(TrapCode.BadSignature, TrapOf(() => instance.Export<int, int>("call_i_i").Call(1)));
        Assert.Equal(7, instance.Export<int, int>("call_v_i").Call(1));
    }

    [Fact]
    public void IndirectCallPastTheTableEndTrapsAsUndefinedElement()
    {
        var (store, instance) = Create();
        using var _ = store;
        Assert.Equal(TrapCode.UndefinedElement, TrapOf(() => instance.Export<int, int>("call_v_i").Call(2)));
        Assert.Equal(TrapCode.UndefinedElement, TrapOf(() => instance.Export<int, int>("call_v_i").Call(-1)));
    }

    [Fact]
    public void StoreKeepsWorkingAfterEveryKindOfTrap()
    {
        var (store, instance) = Create();
        using var _ = store;
        Assert.Throws<TrapException>(() => instance.Export<ValueTuple, ValueTuple>("unreachable").Call(default));
        Assert.Throws<TrapException>(() => instance.Export<int, int>("load").Call(70000));
        Assert.Throws<TrapException>(() => instance.Export<int, int>("call_v_i").Call(0));

        Assert.Equal(42, instance.Export<ValueTuple, int>("ok").Call(default));
    }

    [Fact]
    public void TrapExceptionMessageDescribesTheTrap()
    {
        var (store, instance) = Create();
        using var _ = store;
        var e = Assert.Throws<TrapException>(() => instance.Export<(int, int), int>("div_s").Call((1, 0)));
        Assert.Contains("integer divide by zero", e.Message);
    }

    [Fact]
    public void InfiniteRecursionTrapsAsStackOverflowAndTheStoreKeepsWorking()
    {
        using var store = new Store<int>(Wasm.Engine, 0);
        var instance = Wasm.Instantiate(store, """
            (module
              (func $f (export "forever") (param i32) (result i32) (i32.add (call $f (local.get 0)) (i32.const 1)))
              (func (export "ok") (result i32) (i32.const 42)))
            """);

        Assert.Equal(TrapCode.StackOverflow, TrapOf(() => instance.Export<int, int>("forever").Call(0)));
        Assert.Equal(42, instance.Export<ValueTuple, int>("ok").Call(default));
        Assert.Equal(TrapCode.StackOverflow, TrapOf(() => instance.Export<int, int>("forever").Call(0)));
        Assert.Equal(42, instance.Export<ValueTuple, int>("ok").Call(default));
    }

    [Fact]
    public void InfiniteRecursionThroughAHostFunctionTrapsAsStackOverflow()
    {
        using var store = new Store<int>(Wasm.Engine, 0);
        var linker = new Linker<int>(Wasm.Engine);
        linker.DefineFunction("env", "again", (Caller caller, int n) => caller.GetFunction("f")!.Typed<int, int>().Call(n + 1));
        var instance = linker.Instantiate(store, Module.FromText(Wasm.Engine, """
            (module
              (import "env" "again" (func $again (param i32) (result i32)))
              (func (export "f") (param i32) (result i32) (call $again (local.get 0)))
              (func (export "ok") (result i32) (i32.const 42)))
            """));

        Assert.Equal(TrapCode.StackOverflow, TrapOf(() => instance.Export<int, int>("f").Call(0)));
        Assert.Equal(42, instance.Export<ValueTuple, int>("ok").Call(default));
    }

    private const string DepthModule = """
        (module
          (func $depth (export "depth") (param i32) (result i32)
            (if (result i32) (i32.eqz (local.get 0))
              (then (i32.const 0))
              (else (i32.add (i32.const 1) (call $depth (i32.sub (local.get 0) (i32.const 1))))))))
        """;

    private static int Depth(nuint maxWasmStack, int n)
    {
        var engine = new Engine(new Config { MaxWasmStack = maxWasmStack });
        using var store = new Store<int>(engine, 0);
        var instance = Wasm.Instantiate(store, DepthModule);
        return instance.Export<int, int>("depth").Call(n);
    }

    [Fact]
    public void MaxWasmStackLimitsRecursionDepth()
    {
        const int N = 5000;

        Assert.Equal(N, Depth(4 * 1024 * 1024, N));
        Assert.Equal(TrapCode.StackOverflow, TrapOf(() => Depth(16 * 1024, N)));
    }

    [Fact]
    public void MaxWasmStackOutsideItsRangeIsRejected()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new Config { MaxWasmStack = 1024 });
        Assert.Throws<ArgumentOutOfRangeException>(() => new Config { MaxWasmStack = 512u * 1024 * 1024 });
    }
}
