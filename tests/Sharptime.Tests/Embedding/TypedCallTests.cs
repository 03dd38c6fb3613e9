namespace Sharptime.Tests.Embedding;

public sealed class TypedCallTests
{
    [Fact]
    public void TypedCallPassesAndReturnsI32()
    {
        using var store = new Store<int>(Wasm.Engine, 0);
        var instance = Wasm.Instantiate(store, """
            (module (func (export "add") (param i32 i32) (result i32) (i32.add (local.get 0) (local.get 1))))
            """);

        var add = instance.Export<(int, int), int>("add");

        Assert.Equal(5, add.Call((2, 3)));
        Assert.Equal(int.MinValue, add.Call((int.MaxValue, 1)));
    }

    [Fact]
    public void TypedCallPassesAndReturnsI64()
    {
        using var store = new Store<int>(Wasm.Engine, 0);
        var instance = Wasm.Instantiate(store, """
            (module (func (export "mul") (param i64 i64) (result i64) (i64.mul (local.get 0) (local.get 1))))
            """);

        var mul = instance.Export<(long, long), long>("mul");

        Assert.Equal(0x1_0000_0000L * 3, mul.Call((0x1_0000_0000L, 3)));
        Assert.Equal(-6L, mul.Call((-2, 3)));
    }

    [Fact]
    public void TypedCallPassesAndReturnsF32()
    {
        using var store = new Store<int>(Wasm.Engine, 0);
        var instance = Wasm.Instantiate(store, """
            (module (func (export "half") (param f32) (result f32) (f32.mul (local.get 0) (f32.const 0.5))))
            """);

        var half = instance.Export<float, float>("half");

        Assert.Equal(1.25f, half.Call(2.5f));
        Assert.True(float.IsNaN(half.Call(float.NaN)));
    }

    [Fact]
    public void TypedCallPassesAndReturnsF64()
    {
        using var store = new Store<int>(Wasm.Engine, 0);
        var instance = Wasm.Instantiate(store, """
            (module (func (export "sqrt") (param f64) (result f64) (f64.sqrt (local.get 0))))
            """);

        var sqrt = instance.Export<double, double>("sqrt");

        Assert.Equal(1.5, sqrt.Call(2.25));
        Assert.Equal(double.PositiveInfinity, sqrt.Call(double.PositiveInfinity));
    }

    [Fact]
    public void TypedCallPassesAndReturnsFuncrefAsFunc()
    {
        using var store = new Store<int>(Wasm.Engine, 0);
        var instance = Wasm.Instantiate(store, """
            (module (func (export "id") (param funcref) (result funcref) (local.get 0)))
            """);
        var host = Func.FromDelegate(store, (int x) => x + 1);

        var id = instance.Export<Func?, Func?>("id");

        Assert.Same(host, id.Call(host));
        Assert.Null(id.Call(null));
    }

    [Fact]
    public void TypedCallPassesAndReturnsExternrefAsObject()
    {
        using var store = new Store<int>(Wasm.Engine, 0);
        var instance = Wasm.Instantiate(store, """
            (module (func (export "id") (param externref) (result externref) (local.get 0)))
            """);
        var payload = new Payload(7);

        var asObject = instance.Export<object?, object?>("id");
        var asPayload = instance.Export<Payload?, Payload?>("id");

        Assert.Same(payload, asObject.Call(payload));
        Assert.Same(payload, asPayload.Call(payload));
        Assert.Same("text", asObject.Call("text"));
        Assert.Null(asObject.Call(null));
    }

    [Fact]
    public void MultiValueResultsComeBackAsValueTuple()
    {
        using var store = new Store<int>(Wasm.Engine, 0);
        var instance = Wasm.Instantiate(store, """
            (module
              (func (export "spread") (param i32) (result i32 i64 f32 f64)
                (local.get 0)
                (i64.extend_i32_s (local.get 0))
                (f32.convert_i32_s (local.get 0))
                (f64.convert_i32_s (local.get 0)))
              (func (export "swap") (param i32 i32) (result i32 i32) (local.get 1) (local.get 0)))
            """);

        var spread = instance.Export<int, (int, long, float, double)>("spread");
        var swap = instance.Export<(int, int), (int, int)>("swap");

        Assert.Equal((-3, -3L, -3f, -3.0), spread.Call(-3));
        Assert.Equal((2, 1), swap.Call((1, 2)));
    }

    [Fact]
    public void NoParametersAndNoResultsUseEmptyValueTuple()
    {
        using var store = new Store<int>(Wasm.Engine, 0);
        var instance = Wasm.Instantiate(store, """
            (module
              (global $g (mut i32) (i32.const 0))
              (func (export "bump") (global.set $g (i32.add (global.get $g) (i32.const 1))))
              (func (export "get") (result i32) (global.get $g)))
            """);

        var bump = instance.Export<ValueTuple, ValueTuple>("bump");
        var get = instance.Export<ValueTuple, int>("get");
        bump.Call(default);
        bump.Call(default);

        Assert.Equal(2, get.Call(default));
    }

    [Fact]
    public void TypedWithMismatchedSignatureThrowsArgumentExceptionNamingBothTypes()
    {
        using var store = new Store<int>(Wasm.Engine, 0);
        var instance = Wasm.Instantiate(store, """
            (module (func (export "f") (param i32) (result i64) (i64.extend_i32_u (local.get 0))))
            """);
        var f = instance.GetFunction("f")!;

        var e = Assert.Throws<ArgumentException>(() => f.Typed<int, int>());

        Assert.Contains("(func (param i32) (result i64))", e.Message);
        Assert.Contains("(func (param i32) (result i32))", e.Message);
    }

    [Fact]
    public void TypedWithWrongParameterCountThrowsArgumentException()
    {
        using var store = new Store<int>(Wasm.Engine, 0);
        var instance = Wasm.Instantiate(store, """
            (module (func (export "f") (param i32 i32) (result i32) (local.get 0)))
            """);
        var f = instance.GetFunction("f")!;

        var e = Assert.Throws<ArgumentException>(() => f.Typed<int, int>());

        Assert.Contains("(func (param i32 i32) (result i32))", e.Message);
        Assert.Contains("(func (param i32) (result i32))", e.Message);
    }

    [Fact]
    public void CallWithTooFewArgumentsThrowsArgumentException()
    {
        using var store = new Store<int>(Wasm.Engine, 0);
        var instance = Wasm.Instantiate(store, """
            (module (func (export "add") (param i32 i32) (result i32) (i32.add (local.get 0) (local.get 1))))
            """);
        var add = instance.GetFunction("add")!;

        Assert.Throws<ArgumentException>(() => add.Call(1));
        Assert.Throws<ArgumentException>(() => add.Call(1, 2, 3));
        Assert.Equal([Val.FromI32(3)], add.Call(1, 2));
    }

    [Fact]
    public void CallWithWrongArgumentKindThrowsArgumentException()
    {
        using var store = new Store<int>(Wasm.Engine, 0);
        var instance = Wasm.Instantiate(store, """
            (module (func (export "add") (param i32 i32) (result i32) (i32.add (local.get 0) (local.get 1))))
            """);
        var add = instance.GetFunction("add")!;

        var e = Assert.Throws<ArgumentException>(() => add.Call(1, 2L));

        Assert.Contains("i64", e.Message);
        Assert.Throws<ArgumentException>(() => add.Call(1.0f, 2));
        Assert.Throws<ArgumentException>(() => add.Call(Val.FromExtern(null), 2));
    }

    [Fact]
    public void UntypedCallReturnsEveryResultValue()
    {
        using var store = new Store<int>(Wasm.Engine, 0);
        var instance = Wasm.Instantiate(store, """
            (module (func (export "f") (param f64) (result f64 i32) (local.get 0) (i32.trunc_f64_s (local.get 0))))
            """);

        var results = instance.GetFunction("f")!.Call(2.75);

        Assert.Equal([Val.FromF64(2.75), Val.FromI32(2)], results);
    }
}
