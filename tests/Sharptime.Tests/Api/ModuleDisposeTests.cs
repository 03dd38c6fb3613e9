using Sharptime.Tests.Embedding;
using Sharptime.Vm;

namespace Sharptime.Tests.Api;

/// <summary><see cref="Module.Dispose"/>: code is given back once neither the module nor a store uses it.</summary>
public sealed class ModuleDisposeTests
{
    private const string Wat = """
        (module
          (memory (export "memory") 1)
          (data (i32.const 0) "abc")
          (func (export "get") (param i32) (result i32) (i32.load8_u (local.get 0))))
        """;

    private static Engine Engine => Wasm.Engine;

    private static Module Deserialized() => Module.Deserialize(Engine, Engine.PrecompileModule(System.Text.Encoding.UTF8.GetBytes(Wat)));

    [Fact]
    public void ADisposedModuleCannotBeInstantiated()
    {
        var module = Module.FromText(Engine, Wat, "gone");
        module.Dispose();
        using var store = new Store<int>(Engine, 0);

        var e = Assert.Throws<ObjectDisposedException>(() => new Instance(store, module, []));
        Assert.Contains("gone", e.Message);
    }

    [Fact]
    public void ADisposedModuleCannotBeSerialized()
    {
        var module = Module.FromText(Engine, Wat);
        module.Dispose();

        Assert.Throws<ObjectDisposedException>(() => module.Serialize());
    }

    [Fact]
    public void ADisposedModuleStillListsItsImportsAndExports()
    {
        var module = Module.FromText(Engine, Wat);
        module.Dispose();

        Assert.Equal(["memory", "get"], module.Exports.Select(e => e.Name));
    }

    [Fact]
    public void DisposingTwiceDoesNothingMore()
    {
        var module = Module.FromText(Engine, Wat);
        module.Dispose();
        module.Dispose();

        Assert.Throws<ObjectDisposedException>(() => module.Serialize());
    }

    [Fact]
    public void InstancesKeepRunningAfterTheirModuleIsDisposed()
    {
        var module = Module.FromText(Engine, Wat);
        using var store = new Store<int>(Engine, 0);
        var instance = new Instance(store, module, []);

        module.Dispose();

        Assert.Equal('b', instance.Export<int, int>("get").Call(1));
        Assert.NotEqual(0, module.Compiled!.Memory.Address);
    }

    [Fact]
    public void TheLastStoreToBeDisposedUnmapsTheCodeOfADisposedModule()
    {
        var module = Module.FromText(Engine, Wat);
        var first = new Store<int>(Engine, 0);
        var second = new Store<int>(Engine, 0);
        new Instance(first, module, []);
        new Instance(second, module, []);
        var code = module.Compiled!;
        nint start = code.Start;

        module.Dispose();
        first.Dispose();
        Assert.Same(code, CodeRegistry.Lookup(start));
        second.Dispose();

        Assert.Null(CodeRegistry.Lookup(start));
        Assert.Equal(0, code.Memory.Address);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void DisposingAModuleNoStoreUsesUnmapsItsCodeAtOnce(bool deserialized)
    {
        var module = deserialized ? Deserialized() : Module.FromText(Engine, Wat);
        using (var store = new Store<int>(Engine, 0))
            Assert.Equal('c', new Instance(store, module, []).Export<int, int>("get").Call(2));
        var code = module.Compiled!;
        nint start = code.Start;

        module.Dispose();

        Assert.Null(CodeRegistry.Lookup(start));
        Assert.Equal(0, code.Memory.Address);
    }

    [Fact]
    public void ADeserializedModuleServesStoresAfterItIsDisposed()
    {
        var module = Deserialized();
        using var store = new Store<int>(Engine, 0);
        var instance = new Instance(store, module, []);

        module.Dispose();

        Assert.Equal('a', instance.Export<int, int>("get").Call(0));
    }
}
