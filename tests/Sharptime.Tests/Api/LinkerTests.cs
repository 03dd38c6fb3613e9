namespace Sharptime.Tests.Api;

/// <summary>Instantiation and linking of modules without defined functions (no JIT needed).</summary>
public sealed class LinkerTests
{
    private static readonly Engine Engine = new();

    private const string ImportsOnly = """
        (module
          (import "env" "f" (func $f (param i32) (result i32)))
          (import "env" "mem" (memory 1 2))
          (import "env" "g" (global $g i32))
          (table (export "table") 4 funcref)
          (global (export "copy") i32 (global.get $g))
          (global (export "counter") (mut i64) (i64.const 40))
          (elem (i32.const 1) $f $f)
          (data (i32.const 8) "hi")
          (export "f" (func $f))
          (export "mem" (memory 0)))
        """;

    private static Linker<int> LinkerWithEnv(Store<int> store, out Memory memory, out Func f)
    {
        var linker = new Linker<int>(Engine);
        memory = new Memory(store, 1, 2);
        f = Func.FromDelegate(store, (int x) => x * 2);
        linker.Define("env", "f", f);
        linker.Define("env", "mem", memory);
        linker.Define("env", "g", new Global(store, ValKind.I32, false, Val.FromI32(7)));
        return linker;
    }

    [Fact]
    public void InstantiatesAndInitialisesEverything()
    {
        using var store = new Store<int>(Engine, 0);
        var linker = LinkerWithEnv(store, out var memory, out var f);

        var instance = linker.Instantiate(store, Module.FromText(Engine, ImportsOnly));

        Assert.Same(f, instance.GetFunction("f"));
        Assert.Same(memory, instance.GetMemory("mem"));
        Assert.Equal(7, instance.GetGlobal("copy")!.Value.AsI32());
        Assert.Equal(40, instance.GetGlobal("counter")!.Value.AsI64());
        var table = instance.GetTable("table")!;
        Assert.True(table.Get(0).IsNull);
        Assert.Same(f, table.Get(1).AsFunc());
        Assert.Same(f, table.Get(2).AsFunc());
        Assert.Equal("hi", memory.ReadString(8, 2));
        Assert.Equal(["table", "copy", "counter", "f", "mem"], instance.Exports.Select(e => e.Name));
        Assert.Equal(ExternalKind.Global, instance.Exports[1].Kind);
        Assert.Null(instance.GetFunction("mem"));
        Assert.Null(instance.GetExport("nope"));
    }

    [Fact]
    public void MissingImportIsNamed()
    {
        using var store = new Store<int>(Engine, 0);
        var linker = new Linker<int>(Engine);
        var e = Assert.Throws<LinkException>(() => linker.Instantiate(store, Module.FromText(Engine, ImportsOnly)));
        Assert.Equal("unknown import: `env::f` has not been defined", e.Message);
    }

    [Fact]
    public void IncompatibleFunctionTypeIsExplained()
    {
        using var store = new Store<int>(Engine, 0);
        var linker = new Linker<int>(Engine);
        linker.DefineFunction("spectest", "print_i32", (float _) => { });
        var module = Module.FromText(Engine, """(module (import "spectest" "print_i32" (func (param i32))))""");

        var e = Assert.Throws<LinkException>(() => linker.Instantiate(store, module));
        Assert.Equal("incompatible import type for `spectest::print_i32`: expected func (param i32), found func (param f32)", e.Message);
    }

    [Fact]
    public void WrongKindAndLimitsAreIncompatible()
    {
        using var store = new Store<int>(Engine, 0);
        var linker = new Linker<int>(Engine);
        linker.Define("m", "x", new Global(store, ValKind.I32, true, Val.FromI32(0)));
        linker.Define("m", "mem", new Memory(store, 1));
        linker.Define("m", "g", new Global(store, ValKind.I32, true, Val.FromI32(0)));

        var kind = Assert.Throws<LinkException>(() => linker.Instantiate(store, Module.FromText(Engine, """(module (import "m" "x" (memory 1)))""")));
        Assert.Contains("incompatible import type for `m::x`: expected memory 1, found global (mut i32)", kind.Message);
        var limits = Assert.Throws<LinkException>(() => linker.Instantiate(store, Module.FromText(Engine, """(module (import "m" "mem" (memory 1 2)))""")));
        Assert.Contains("incompatible import type", limits.Message);
        var mutability = Assert.Throws<LinkException>(() => linker.Instantiate(store, Module.FromText(Engine, """(module (import "m" "g" (global i32)))""")));
        Assert.Contains("expected global i32, found global (mut i32)", mutability.Message);
        linker.Instantiate(store, Module.FromText(Engine, """(module (import "m" "mem" (memory 0)) (import "m" "g" (global (mut i32))))"""));
    }

    [Fact]
    public void DuplicateDefinitionsNeedShadowing()
    {
        using var store = new Store<int>(Engine, 0);
        var linker = new Linker<int>(Engine);
        linker.DefineFunction("m", "f", () => 1);
        Assert.Throws<InvalidOperationException>(() => linker.DefineFunction("m", "f", () => 2));
        linker.AllowShadowing = true;
        linker.DefineFunction("m", "f", () => 2);
        Assert.Equal(2, ((Func)linker.Get(store, "m", "f")!).Call()[0].AsI32());
        Assert.Same(linker.Get(store, "m", "f"), linker.Get(store, "m", "f"));
    }

    [Fact]
    public void DefineInstanceExposesAllExports()
    {
        using var store = new Store<int>(Engine, 0);
        var linker = LinkerWithEnv(store, out var memory, out _);
        var first = linker.Instantiate(store, Module.FromText(Engine, ImportsOnly));
        linker.DefineInstance(store, "first", first);

        var second = linker.Instantiate(store, Module.FromText(Engine, """
            (module (import "first" "table" (table 4 funcref)) (import "first" "mem" (memory 1))
              (export "t" (table 0)) (export "m" (memory 0)))
            """));
        Assert.Same(first.GetTable("table"), second.GetTable("t"));
        Assert.Same(memory, second.GetMemory("m"));
    }

    [Fact]
    public void ItemsOfAnotherStoreAreRejected()
    {
        using var a = new Store<int>(Engine, 0);
        using var b = new Store<int>(Engine, 0);
        var linker = new Linker<int>(Engine);
        linker.Define("m", "mem", new Memory(a, 1));
        var e = Assert.Throws<ArgumentException>(() => linker.Instantiate(b, Module.FromText(Engine, """(module (import "m" "mem" (memory 1)))""")));
        Assert.Contains(a.ToString(), e.Message);
        Assert.Contains(b.ToString(), e.Message);
    }

    [Fact]
    public void OutOfBoundsSegmentsTrapAndKeepEarlierWrites()
    {
        using var store = new Store<int>(Engine, 0);
        var linker = new Linker<int>(Engine);
        var memory = new Memory(store, 1);
        linker.Define("m", "mem", memory);
        var module = Module.FromText(Engine, """
            (module (import "m" "mem" (memory 1))
              (data (i32.const 0) "ok")
              (data (i32.const 65535) "xx"))
            """);

        var e = Assert.Throws<TrapException>(() => linker.Instantiate(store, module));
        Assert.Equal(TrapCode.MemoryOutOfBounds, e.Code);
        Assert.Equal("ok", memory.ReadString(0, 2));
    }

    [Fact]
    public void OutOfBoundsElementSegmentTraps()
    {
        using var store = new Store<int>(Engine, 0);
        var linker = new Linker<int>(Engine);
        linker.DefineFunction("m", "f", () => { });
        var module = Module.FromText(Engine, """
            (module (import "m" "f" (func $f)) (table 1 funcref) (elem (i32.const 1) $f))
            """);
        Assert.Equal(TrapCode.TableOutOfBounds, Assert.Throws<TrapException>(() => linker.Instantiate(store, module)).Code);
    }

    [Fact]
    public void StartFunctionRunsAndSeesTheStoreData()
    {
        using var store = new Store<int>(Engine, 41);
        var linker = new Linker<int>(Engine);
        int seen = 0;
        linker.DefineFunction("m", "start", (Caller c) => { seen = c.GetData<int>() + 1; });
        linker.Instantiate(store, Module.FromText(Engine, """(module (import "m" "start" (func $s)) (start $s))"""));
        Assert.Equal(42, seen);
    }

    [Fact]
    public void StartFunctionExceptionPropagates()
    {
        using var store = new Store<int>(Engine, 0);
        var linker = new Linker<int>(Engine);
        linker.DefineFunction("m", "start", () => throw new FormatException("nope"));
        Assert.Throws<FormatException>(() =>
            linker.Instantiate(store, Module.FromText(Engine, """(module (import "m" "start" (func $s)) (start $s))""")));
    }

    [Fact]
    public void ModuleTypesAreDescribed()
    {
        var module = Module.FromText(Engine, ImportsOnly);
        Assert.Equal(["(func (param i32) (result i32))", "(memory 1 2)", "(global i32)"], module.Imports.Select(i => i.Type));
        Assert.Equal(["(table 4 funcref)", "(global i32)", "(global (mut i64))", "(func (param i32) (result i32))", "(memory 1 2)"],
            module.Exports.Select(e => e.Type));
    }
}
