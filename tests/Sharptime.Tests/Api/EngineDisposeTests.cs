using Sharptime.Tests.Embedding;

namespace Sharptime.Tests.Api;

/// <summary><see cref="Engine.Dispose"/>: nothing new is created from it, and the stores it already has keep working.</summary>
public sealed class EngineDisposeTests
{
    private const string CallsHost = """
        (module
          (import "h" "twice" (func $twice (param i32) (result i32)))
          (func (export "run") (param i32) (result i32) (call $twice (local.get 0))))
        """;

    [Fact]
    public void NoStoreCanBeCreatedFromADisposedEngine()
    {
        var engine = new Engine();
        engine.Dispose();

        var e = Assert.Throws<ObjectDisposedException>(() => new Store<int>(engine, 0));
        Assert.Contains("engine was disposed", e.Message);
    }

    [Fact]
    public void NoModuleCanBeCompiledWithADisposedEngine()
    {
        var engine = new Engine();
        engine.Dispose();

        Assert.Throws<ObjectDisposedException>(() => Module.FromText(engine, "(module)"));
    }

    [Fact]
    public void NoModuleCanBeDeserializedIntoADisposedEngine()
    {
        var engine = new Engine();
        var artifact = engine.PrecompileModule("(module)"u8);
        engine.Dispose();

        Assert.Throws<ObjectDisposedException>(() => Module.Deserialize(engine, artifact));
    }

    [Fact]
    public void AStoreKeepsCallingTheHostAfterItsEngineIsDisposed()
    {
        var engine = new Engine();
        var module = Module.FromText(engine, CallsHost);
        using var store = new Store<int>(engine, 0);
        var instance = new Instance(store, module, Func.FromDelegate(store, (int x) => 2 * x));

        engine.Dispose();

        Assert.Equal(42, instance.Export<int, int>("run").Call(21));
    }

    [Fact]
    public void DisposingAnEngineTwiceDoesNothingMore()
    {
        var engine = new Engine();
        engine.Dispose();

        engine.Dispose();
        Assert.Throws<ObjectDisposedException>(() => new Store<int>(engine, 0));
    }
}
