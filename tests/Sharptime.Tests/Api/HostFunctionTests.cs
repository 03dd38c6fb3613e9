namespace Sharptime.Tests.Api;

public sealed class HostFunctionTests
{
    private static readonly Engine Engine = new();

    [Fact]
    public void UntypedHostFunctionRunsThroughCall()
    {
        using var store = new Store<string>(Engine, "data");
        string? seen = null;
        var f = Func.FromCallback(store, new FunctionType([ValKind.I32, ValKind.I64], [ValKind.I64]), (caller, args, results) =>
        {
            seen = caller.GetData<string>();
            results[0] = args[0].AsI32() + args[1].AsI64();
        });

        var results = f.Call(3, 4L);

        Assert.Equal([Val.FromI64(7)], results);
        Assert.Equal("data", seen);
        Assert.Equal("(func (param i32 i64) (result i64))", f.Type.ToString());
    }

    [Fact]
    public void TypedDelegateHostFunctionsHaveTheMatchingWasmType()
    {
        using var store = new Store<int>(Engine, 0);
        var add = Func.FromDelegate(store, (int a, int b) => a + b);
        var mixed = Func.FromDelegate(store, (Caller c, long a, float b, double d) => (a, b + 1, d * 2));
        var none = Func.FromDelegate(store, () => { });

        Assert.Equal(new FunctionType([ValKind.I32, ValKind.I32], [ValKind.I32]), add.Type);
        Assert.Equal(new FunctionType([ValKind.I64, ValKind.F32, ValKind.F64], [ValKind.I64, ValKind.F32, ValKind.F64]), mixed.Type);
        Assert.Equal(new FunctionType([], []), none.Type);
        Assert.Equal([Val.FromI32(5)], add.Call(2, 3));
        Assert.Equal([Val.FromI64(1), Val.FromF32(3f), Val.FromF64(6.0)], mixed.Call(1L, 2f, 3.0));
        Assert.Empty(none.Call());
    }

    [Fact]
    public void EightParametersAreSupported()
    {
        using var store = new Store<int>(Engine, 0);
        var f = Func.FromDelegate(store, (int a, int b, int c, int d, int e, int g, int h, int i) => a + b + c + d + e + g + h + i);
        Assert.Equal([Val.FromI32(36)], f.Call(1, 2, 3, 4, 5, 6, 7, 8));
    }

    [Fact]
    public void ReferencesRoundTrip()
    {
        using var store = new Store<int>(Engine, 0);
        var payload = new object();
        var echo = Func.FromDelegate(store, (object? o) => o);
        var self = Func.FromDelegate(store, (Func? f) => f);

        Assert.Same(payload, echo.Call(Val.FromExtern(payload))[0].AsExtern());
        Assert.Null(echo.Call(Val.FromExtern(null))[0].AsExtern());
        Assert.Same(echo, self.Call(Val.FromFunc(echo))[0].AsFunc());
        Assert.Equal(ValKind.ExternRef, echo.Type.Parameters[0]);
        Assert.Equal(ValKind.FuncRef, self.Type.Results[0]);
    }

    [Fact]
    public void TypedCallOfAHostFunction()
    {
        using var store = new Store<int>(Engine, 0);
        var f = Func.FromDelegate(store, (int a, int b) => (a - b, (long)a * b));
        var typed = f.Typed<(int, int), (int, long)>();
        Assert.Equal((1, 6L), typed.Call((3, 2)));

        var unit = Func.FromDelegate(store, (int _) => { }).Typed<int, ValueTuple>();
        unit.Call(1);
    }

    [Fact]
    public void TypedMismatchIsReportedOnceAtCreation()
    {
        using var store = new Store<int>(Engine, 0);
        var f = Func.FromDelegate(store, (int a, int b) => a + b);

        var e = Assert.Throws<ArgumentException>(() => f.Typed<(int, long), int>());
        Assert.Contains("(func (param i32 i32) (result i32))", e.Message);
        Assert.Contains("(func (param i32 i64) (result i32))", e.Message);
        Assert.Throws<ArgumentException>(() => f.Typed<(int, int), decimal>());
    }

    [Fact]
    public void WrongArgumentsAreRejected()
    {
        using var store = new Store<int>(Engine, 0);
        var f = Func.FromDelegate(store, (int a, int b) => a + b);

        Assert.Contains("takes 2 argument(s), got 1", Assert.Throws<ArgumentException>(() => f.Call(1)).Message);
        var e = Assert.Throws<ArgumentException>(() => f.Call(1, 2L));
        Assert.Contains("argument 1", e.Message);
        Assert.Contains("expected i32, found i64", e.Message);
    }

    [Fact]
    public void HostExceptionsPropagateAsTheSameObject()
    {
        using var store = new Store<int>(Engine, 0);
        var boom = new InvalidTimeZoneException("boom");
        var f = Func.FromDelegate(store, () => throw boom);
        Assert.Same(boom, Assert.Throws<InvalidTimeZoneException>(() => f.Call()));
    }

    [Fact]
    public void UntypedHostResultOfWrongKindIsAnError()
    {
        using var store = new Store<int>(Engine, 0);
        var f = Func.FromCallback(store, new FunctionType([], [ValKind.I32]), (_, _, results) => results[0] = 1L);
        Assert.Throws<InvalidOperationException>(() => f.Call());
    }

    [Fact]
    public void FuncrefOfAnotherStoreIsRejected()
    {
        using var a = new Store<int>(Engine, 0);
        using var b = new Store<int>(Engine, 0);
        var inA = Func.FromDelegate(a, () => { });
        var takesFunc = Func.FromDelegate(b, (Func? f) => { });

        var e = Assert.Throws<ArgumentException>(() => takesFunc.Call(Val.FromFunc(inA)));
        Assert.Contains(a.ToString(), e.Message);
        Assert.Contains(b.ToString(), e.Message);
    }

    [Fact]
    public void UseAfterDisposeThrows()
    {
        var store = new Store<int>(Engine, 0);
        var f = Func.FromDelegate(store, () => 1);
        store.Dispose();
        Assert.Throws<ObjectDisposedException>(() => f.Call());
        Assert.Throws<ObjectDisposedException>(() => Func.FromDelegate(store, () => 1));
        Assert.Throws<ObjectDisposedException>(() => new Memory(store, 1));
    }
}
