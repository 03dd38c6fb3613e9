namespace Sharptime.Tests.Embedding;

public sealed class MemoryAndLinkingTests
{
    [Fact]
    public void MemoryGrowInsideWasmIsSeenByTheHost()
    {
        using var store = new Store<int>(Wasm.Engine, 0);
        var instance = Wasm.Instantiate(store, """
            (module
              (memory (export "memory") 1 10)
              (func (export "grow") (param i32) (result i32) (memory.grow (local.get 0)))
              (func (export "size") (result i32) (memory.size))
              (func (export "store") (param i32 i32) (i32.store (local.get 0) (local.get 1))))
            """);
        var memory = instance.GetMemory("memory")!;

        Assert.Equal(1, memory.Size);
        Assert.Equal(1, instance.Export<int, int>("grow").Call(2));
        Assert.Equal(3, memory.Size);
        Assert.Equal(3 * 65536, memory.Length);
        Assert.Equal(3 * 65536, memory.GetSpan().Length);

        instance.Export<(int, int), ValueTuple>("store").Call((2 * 65536 + 8, 0x0badf00d));

        Assert.Equal(0x0badf00d, memory.ReadInt32(2 * 65536 + 8));
        Assert.Equal(-1, instance.Export<int, int>("grow").Call(8));
        Assert.Equal(3, memory.Size);
    }

    [Fact]
    public void MemoryGrowByTheHostIsSeenByWasm()
    {
        using var store = new Store<int>(Wasm.Engine, 0);
        var instance = Wasm.Instantiate(store, """
            (module
              (memory (export "memory") 1)
              (func (export "size") (result i32) (memory.size))
              (func (export "load") (param i32) (result i32) (i32.load (local.get 0))))
            """);
        var memory = instance.GetMemory("memory")!;

        Assert.Equal(1, memory.Grow(1));
        memory.WriteInt32(65536 + 4, 77);

        Assert.Equal(2, instance.Export<ValueTuple, int>("size").Call(default));
        Assert.Equal(77, instance.Export<int, int>("load").Call(65536 + 4));
    }

    [Fact]
    public void HostWritesThroughGetSpanAreSeenByWasmLoads()
    {
        using var store = new Store<int>(Wasm.Engine, 0);
        var instance = Wasm.Instantiate(store, """
            (module
              (memory (export "memory") 1)
              (func (export "load8") (param i32) (result i32) (i32.load8_u (local.get 0)))
              (func (export "load64") (param i32) (result i64) (i64.load (local.get 0)))
              (func (export "sum") (param i32 i32) (result i32) (local $acc i32)
                (block $done
                  (loop $next
                    (br_if $done (i32.eqz (local.get 1)))
                    (local.set $acc (i32.add (local.get $acc) (i32.load8_u (local.get 0))))
                    (local.set 0 (i32.add (local.get 0) (i32.const 1)))
                    (local.set 1 (i32.sub (local.get 1) (i32.const 1)))
                    (br $next)))
                (local.get $acc)))
            """);
        var span = instance.GetMemory("memory")!.GetSpan();

        span[10] = 200;
        BitConverter.TryWriteBytes(span[64..], 0x0102030405060708L);
        for (int i = 0; i < 100; i++) span[1000 + i] = (byte)i;

        Assert.Equal(200, instance.Export<int, int>("load8").Call(10));
        Assert.Equal(0x0102030405060708L, instance.Export<int, long>("load64").Call(64));
        Assert.Equal(4950, instance.Export<(int, int), int>("sum").Call((1000, 100)));
    }

    [Fact]
    public void HostMemoryImportedByWasmSharesBytes()
    {
        using var store = new Store<int>(Wasm.Engine, 0);
        var memory = new Memory(store, 1, 2);
        var instance = Wasm.Instantiate(store, """
            (module
              (import "env" "memory" (memory 1))
              (data (i32.const 0) "abc")
              (func (export "load8") (param i32) (result i32) (i32.load8_u (local.get 0))))
            """, memory);

        memory.WriteByte(3, (byte)'d');

        Assert.Equal("abc", memory.ReadString(0, 3));
        Assert.Equal('d', instance.Export<int, int>("load8").Call(3));
    }

    private const string Provider = """
        (module
          (memory (export "memory") 1)
          (global (export "counter") (mut i32) (i32.const 10))
          (global (export "base") i64 (i64.const 1000))
          (table (export "table") 2 funcref)
          (func $double (export "double") (param i32) (result i32) (i32.mul (local.get 0) (i32.const 2)))
          (elem (i32.const 0) func $double)
          (func (export "peek") (param i32) (result i32) (i32.load (local.get 0))))
        """;

    private const string Consumer = """
        (module
          (import "provider" "double" (func $double (param i32) (result i32)))
          (import "provider" "memory" (memory 1))
          (import "provider" "counter" (global $counter (mut i32)))
          (import "provider" "base" (global $base i64))
          (import "provider" "table" (table 2 funcref))
          (type $i_i (func (param i32) (result i32)))
          (func (export "run") (param i32) (result i32)
            (i32.store (i32.const 8) (call $double (local.get 0)))
            (global.set $counter (i32.add (global.get $counter) (i32.const 1)))
            (i32.load (i32.const 8)))
          (func (export "via_table") (param i32) (result i32) (call_indirect (type $i_i) (local.get 0) (i32.const 0)))
          (func (export "base") (result i64) (global.get $base)))
        """;

    [Fact]
    public void DefineInstanceLinksFunctionMemoryGlobalAndTableOfAnotherModule()
    {
        using var store = new Store<int>(Wasm.Engine, 0);
        var linker = new Linker<int>(Wasm.Engine);
        var provider = linker.Instantiate(store, Module.FromText(Wasm.Engine, Provider));
        linker.DefineInstance(store, "provider", provider);

        var consumer = linker.Instantiate(store, Module.FromText(Wasm.Engine, Consumer));

        Assert.Equal(42, consumer.Export<int, int>("run").Call(21));
        Assert.Equal(42, provider.Export<int, int>("peek").Call(8));
        Assert.Equal(11, provider.GetGlobal("counter")!.Value.AsI32());
        Assert.Equal(1000L, consumer.Export<ValueTuple, long>("base").Call(default));
        Assert.Equal(14, consumer.Export<int, int>("via_table").Call(7));
        Assert.Same(provider.GetMemory("memory"), linker.Get(store, "provider", "memory"));
    }

    [Fact]
    public void MissingImportThrowsLinkExceptionNamingModuleAndName()
    {
        using var store = new Store<int>(Wasm.Engine, 0);
        var linker = new Linker<int>(Wasm.Engine);
        linker.DefineFunction("env", "present", () => { });

        var e = Assert.Throws<LinkException>(() => linker.Instantiate(store, Module.FromText(Wasm.Engine, """
            (module (import "env" "present" (func)) (import "env" "absent" (func (param i32))))
            """)));

        Assert.Contains("env::absent", e.Message);
    }

    [Fact]
    public void ImportOfTheWrongKindThrowsLinkException()
    {
        using var store = new Store<int>(Wasm.Engine, 0);
        var linker = new Linker<int>(Wasm.Engine);
        linker.Define("env", "thing", new Memory(store, 1));

        var e = Assert.Throws<LinkException>(() => linker.Instantiate(store, Module.FromText(Wasm.Engine, """
            (module (import "env" "thing" (func)))
            """)));

        Assert.Contains("env::thing", e.Message);
    }

    [Fact]
    public void FunctionImportOfTheWrongTypeThrowsLinkException()
    {
        using var store = new Store<int>(Wasm.Engine, 0);
        var linker = new Linker<int>(Wasm.Engine);
        linker.DefineFunction("env", "f", (int x) => x);

        var e = Assert.Throws<LinkException>(() => linker.Instantiate(store, Module.FromText(Wasm.Engine, """
            (module (import "env" "f" (func (param i64) (result i64))))
            """)));

        Assert.Contains("env::f", e.Message);
    }

    [Fact]
    public void GlobalImportOfTheWrongMutabilityOrTypeThrowsLinkException()
    {
        using var store = new Store<int>(Wasm.Engine, 0);
        var linker = new Linker<int>(Wasm.Engine);
        linker.Define("env", "g", new Global(store, ValKind.I32, false, 1));

        Assert.Throws<LinkException>(() => linker.Instantiate(store, Module.FromText(Wasm.Engine, """
            (module (import "env" "g" (global (mut i32))))
            """)));
        Assert.Throws<LinkException>(() => linker.Instantiate(store, Module.FromText(Wasm.Engine, """
            (module (import "env" "g" (global i64)))
            """)));
    }

    [Fact]
    public void MemoryImportTooSmallThrowsLinkException()
    {
        using var store = new Store<int>(Wasm.Engine, 0);
        var linker = new Linker<int>(Wasm.Engine);
        linker.Define("env", "memory", new Memory(store, 1));

        Assert.Throws<LinkException>(() => linker.Instantiate(store, Module.FromText(Wasm.Engine, """
            (module (import "env" "memory" (memory 2)))
            """)));
    }

    [Fact]
    public void FailingDataSegmentLeavesEarlierSegmentWritesVisible()
    {
        using var store = new Store<int>(Wasm.Engine, 0);
        var memory = new Memory(store, 1);
        var module = Module.FromText(Wasm.Engine, """
            (module
              (import "env" "memory" (memory 1))
              (data (i32.const 0) "first")
              (data (i32.const 100) "second")
              (data (i32.const 65534) "overflow")
              (data (i32.const 200) "never"))
            """);

        var e = Assert.Throws<TrapException>(() => new Instance(store, module, memory));

        Assert.Equal(TrapCode.MemoryOutOfBounds, e.Code);
        Assert.Equal("first", memory.ReadString(0, 5));
        Assert.Equal("second", memory.ReadString(100, 6));
        Assert.Equal(new byte[5], memory.GetSpan(200, 5).ToArray());
        Assert.Equal(new byte[2], memory.GetSpan(65534, 2).ToArray());
    }

    [Fact]
    public void FailingElementSegmentLeavesEarlierTableWritesVisible()
    {
        using var store = new Store<int>(Wasm.Engine, 0);
        var table = new Table(store, ValKind.FuncRef, 2, null, Val.Null(ValKind.FuncRef));
        var module = Module.FromText(Wasm.Engine, """
            (module
              (import "env" "table" (table 2 funcref))
              (func $f (result i32) (i32.const 5))
              (elem (i32.const 0) func $f)
              (elem (i32.const 1) func $f $f))
            """);

        var e = Assert.Throws<TrapException>(() => new Instance(store, module, table));

        Assert.Equal(TrapCode.TableOutOfBounds, e.Code);
        Assert.Equal(5, table.Get(0).AsFunc()!.Typed<ValueTuple, int>().Call(default));
        Assert.True(table.Get(1).IsNull);
    }

    [Fact]
    public void StartFunctionTrapIsReportedAfterSegmentsWereApplied()
    {
        using var store = new Store<int>(Wasm.Engine, 0);
        var memory = new Memory(store, 1);
        var module = Module.FromText(Wasm.Engine, """
            (module
              (import "env" "memory" (memory 1))
              (data (i32.const 0) "seg")
              (func $start unreachable)
              (start $start))
            """);

        var e = Assert.Throws<TrapException>(() => new Instance(store, module, memory));

        Assert.Equal(TrapCode.Unreachable, e.Code);
        Assert.Equal("seg", memory.ReadString(0, 3));
    }

    [Fact]
    public void FuncOfAnotherStorePassedAsArgumentThrowsArgumentException()
    {
        using var store = new Store<int>(Wasm.Engine, 0);
        using var other = new Store<int>(Wasm.Engine, 0);
        var instance = Wasm.Instantiate(store, """
            (module (func (export "id") (param funcref) (result funcref) (local.get 0)))
            """);
        var foreign = Func.FromDelegate(other, () => 1);

        Assert.Throws<ArgumentException>(() => instance.GetFunction("id")!.Call(Val.FromFunc(foreign)));
        Assert.Throws<ArgumentException>(() => instance.Export<Func?, Func?>("id").Call(foreign));
    }

    [Fact]
    public void ImportOfAnotherStoreThrowsArgumentException()
    {
        using var store = new Store<int>(Wasm.Engine, 0);
        using var other = new Store<int>(Wasm.Engine, 0);
        var module = Module.FromText(Wasm.Engine, """(module (import "env" "memory" (memory 1)))""");

        Assert.Throws<ArgumentException>(() => new Instance(store, module, new Memory(other, 1)));
    }

    [Fact]
    public void DefineInstanceOfAnotherStoreThrowsArgumentException()
    {
        using var store = new Store<int>(Wasm.Engine, 0);
        using var other = new Store<int>(Wasm.Engine, 0);
        var instance = Wasm.Instantiate(other, """(module (memory (export "m") 1))""");
        var linker = new Linker<int>(Wasm.Engine);

        Assert.Throws<ArgumentException>(() => linker.DefineInstance(store, "x", instance));
    }

    [Fact]
    public void LinkerDefinitionOfAnotherStoreThrowsArgumentExceptionAtInstantiation()
    {
        using var store = new Store<int>(Wasm.Engine, 0);
        using var other = new Store<int>(Wasm.Engine, 0);
        var linker = new Linker<int>(Wasm.Engine);
        linker.Define("env", "g", new Global(other, ValKind.I32, false, 1));

        Assert.Throws<ArgumentException>(() => linker.Instantiate(store, Module.FromText(Wasm.Engine, """
            (module (import "env" "g" (global i32)))
            """)));
    }

    [Fact]
    public void TableOrGlobalValueOfAnotherStoreThrowsArgumentException()
    {
        using var store = new Store<int>(Wasm.Engine, 0);
        using var other = new Store<int>(Wasm.Engine, 0);
        var instance = Wasm.Instantiate(store, """
            (module (table (export "t") 1 funcref) (global (export "g") (mut funcref) (ref.null func)))
            """);
        var foreign = Func.FromDelegate(other, () => { });

        Assert.Throws<ArgumentException>(() => instance.GetTable("t")!.Set(0, Val.FromFunc(foreign)));
        Assert.Throws<ArgumentException>(() => instance.GetGlobal("g")!.Value = Val.FromFunc(foreign));
    }

    [Fact]
    public void ObjectsOfADisposedStoreThrowObjectDisposedException()
    {
        var store = new Store<int>(Wasm.Engine, 0);
        var instance = Wasm.Instantiate(store, """
            (module
              (memory (export "memory") 1)
              (table (export "table") 1 funcref)
              (global (export "global") (mut i32) (i32.const 0))
              (func (export "f") (result i32) (i32.const 1)))
            """);
        var f = instance.GetFunction("f")!;
        var typed = f.Typed<ValueTuple, int>();
        var memory = instance.GetMemory("memory")!;
        var table = instance.GetTable("table")!;
        var global = instance.GetGlobal("global")!;
        var host = Func.FromDelegate(store, () => 1);

        store.Dispose();

        Assert.True(store.IsDisposed);
        Assert.Throws<ObjectDisposedException>(() => f.Call());
        Assert.Throws<ObjectDisposedException>(() => typed.Call(default));
        Assert.Throws<ObjectDisposedException>(() => host.Call());
        Assert.Throws<ObjectDisposedException>(() => f.Typed<ValueTuple, int>());
        Assert.Throws<ObjectDisposedException>(() => memory.GetSpan());
        Assert.Throws<ObjectDisposedException>(() => memory.Size);
        Assert.Throws<ObjectDisposedException>(() => memory.ReadInt32(0));
        Assert.Throws<ObjectDisposedException>(() => table.Get(0));
        Assert.Throws<ObjectDisposedException>(() => global.Value);
        Assert.Throws<ObjectDisposedException>(() => instance.GetExport("f"));
        Assert.Throws<ObjectDisposedException>(() => Func.FromDelegate(store, () => 2));
        Assert.Throws<ObjectDisposedException>(() => new Memory(store, 1));
        Assert.Throws<ObjectDisposedException>(() => Wasm.Instantiate(store, "(module)"));
    }

    [Fact]
    public void LinkerWithADisposedStoreThrowsObjectDisposedException()
    {
        var store = new Store<int>(Wasm.Engine, 0);
        var linker = new Linker<int>(Wasm.Engine);
        linker.DefineFunction("env", "f", () => { });
        var module = Module.FromText(Wasm.Engine, """(module (import "env" "f" (func)))""");
        store.Dispose();

        Assert.Throws<ObjectDisposedException>(() => linker.Instantiate(store, module));
    }
}
