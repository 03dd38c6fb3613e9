namespace Sharptime.Tests.Embedding;

public sealed class InstantiationTests
{
    [Fact]
    public void HostExceptionFromTheStartFunctionReachesTheInstantiatorAsTheSameObject()
    {
        using var store = new Store<int>(Wasm.Engine, 0);
        var thrown = new InvalidOperationException("start");
        var boom = Func.FromDelegate(store, () => throw thrown);
        var module = Module.FromText(Wasm.Engine, """
            (module (import "h" "boom" (func $boom)) (start $boom))
            """);

        var caught = Assert.Throws<InvalidOperationException>(() => new Instance(store, module, boom));

        Assert.Same(thrown, caught);
        Assert.Equal(3, Wasm.Instantiate(store, """(module (func (export "f") (result i32) (i32.const 3)))""")
            .Export<ValueTuple, int>("f").Call(default));
    }

    [Fact]
    public void TableGrowInsideWasmIsSeenByTheHost()
    {
        using var store = new Store<int>(Wasm.Engine, 0);
        var instance = Wasm.Instantiate(store, """
            (module
              (table (export "table") 1 externref)
              (func (export "grow") (param externref i32) (result i32) (table.grow (local.get 0) (local.get 1))))
            """);
        var table = instance.GetTable("table")!;
        var fill = new Payload(3);

        Assert.Equal(1, instance.Export<(object, int), int>("grow").Call((fill, 3)));

        Assert.Equal(4u, table.Size);
        Assert.True(table.Get(0).IsNull);
        Assert.Same(fill, table.Get(3).AsExtern());
    }

    [Fact]
    public void ExportsListEveryItemInModuleOrder()
    {
        using var store = new Store<int>(Wasm.Engine, 0);
        var instance = Wasm.Instantiate(store, """
            (module
              (func (export "f"))
              (memory (export "m") 1)
              (table (export "t") 1 funcref)
              (global (export "g") i32 (i32.const 0)))
            """);

        Assert.Equal(["f", "m", "t", "g"], instance.Exports.Select(e => e.Name));
        Assert.IsType<Func>(instance.GetExport("f"));
        Assert.Null(instance.GetMemory("f"));
        Assert.Null(instance.GetExport("missing"));
    }
}
