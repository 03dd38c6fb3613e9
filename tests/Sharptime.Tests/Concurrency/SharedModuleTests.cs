using Sharptime.Tests.Embedding;

namespace Sharptime.Tests.Concurrency;

/// <summary>Engines and modules shared between threads: first use from many threads at once, and stores moving between threads.</summary>
public sealed class SharedModuleTests
{
    private const int Threads = 8;

    private const string Wat = """
        (module
          (import "host" "scale" (func $scale (param i32) (result i32)))
          (memory 1)
          (data (i32.const 16) "\2a")
          (table 1 funcref)
          (elem (i32.const 0) $inc)
          (func $inc (param i32) (result i32) (i32.add (local.get 0) (i32.const 1)))
          (func (export "run") (param i32) (result i32)
            (call_indirect (param i32) (result i32)
              (i32.add (call $scale (local.get 0)) (i32.load8_u (i32.const 16)))
              (i32.const 0))))
        """;

    /// <summary>Runs <paramref name="body"/> on <see cref="Threads"/> threads released together; returns what they threw.</summary>
    private static List<Exception> RunTogether(Action<int> body)
    {
        var failures = new System.Collections.Concurrent.ConcurrentQueue<Exception>();
        using var start = new Barrier(Threads);
        var threads = new Thread[Threads];
        for (int t = 0; t < Threads; t++)
        {
            int thread = t;
            threads[t] = new Thread(() =>
            {
                start.SignalAndWait();
                try
                {
                    body(thread);
                }
                catch (Exception e)
                {
                    failures.Enqueue(e);
                }
            });
            threads[t].Start();
        }
        foreach (var t in threads) t.Join();
        return [.. failures];
    }

    [Fact]
    public void FirstInstantiationsOfAFreshModuleFromManyThreadsAtOnceAllWork()
    {
        // Fresh engine and module each round, so every round races the lazy compilation, the memory image, the engine's
        // type registry and its exit trampolines.
        for (int round = 0; round < 20; round++)
        {
            var engine = new Engine();
            var module = Module.FromText(engine, Wat);
            var results = new int[Threads];

            var failures = RunTogether(thread =>
            {
                using var store = new Store<int>(engine, thread);
                var scale = Func.FromDelegate(store, (int x) => x * 10);
                var instance = new Instance(store, module, scale);
                results[thread] = instance.Export<int, int>("run").Call(thread);
            });

            Assert.Empty(failures);
            for (int t = 0; t < Threads; t++) Assert.Equal(t * 10 + 42 + 1, results[t]);
        }
    }

    [Fact]
    public void ConcurrentFirstUseCompilesTheModuleOnce()
    {
        var engine = new Engine();
        var module = Module.FromText(engine, Wat);
        var seen = new object?[Threads];

        var failures = RunTogether(thread => seen[thread] = module.Compiled);

        Assert.Empty(failures);
        Assert.NotNull(seen[0]);
        Assert.All(seen, code => Assert.Same(seen[0], code));
    }

    [Fact]
    public void ModulesCompiledOnManyThreadsAtOnceShareOneTypeRegistry()
    {
        var engine = new Engine();
        var modules = new Module[Threads];

        var failures = RunTogether(thread => modules[thread] = Module.FromText(engine, Wat));
        Assert.Empty(failures);

        // A function of one module's instance fits another's import exactly when the engine gave both one type id.
        using var store = new Store<int>(engine, 0);
        var scale = Func.FromDelegate(store, (int x) => x);
        var first = new Instance(store, modules[0], scale);
        var instances = new Instance[Threads];
        for (int t = 0; t < Threads; t++) instances[t] = new Instance(store, modules[t], first.GetFunction("run")!);
        Assert.All(instances, i => Assert.Equal(42 + 1 + 42 + 1, i.Export<int, int>("run").Call(0)));
    }

    [Fact]
    public void AStoreMayMoveToAnotherThreadBetweenCalls()
    {
        using var store = new Store<int>(Wasm.Engine, 0);
        var scale = Func.FromDelegate(store, (int x) => x * 2);
        var instance = new Instance(store, Module.FromText(Wasm.Engine, Wat), scale);
        var run = instance.Export<int, int>("run");
        int onMain = run.Call(1);
        int onOther = 0;

        var other = new Thread(() =>
        {
            Assert.Throws<TrapException>(() => Wasm.Instantiate(store, "(module (start $s) (func $s unreachable))"));
            onOther = run.Call(2);
        });
        other.Start();
        other.Join();

        Assert.Equal((2 + 43, 4 + 43), (onMain, onOther));
    }
}
