namespace Sharptime.Tests.Artifacts;

/// <summary>A module saved as an artifact and loaded back behaves as the module compiled in the process.</summary>
public class ArtifactRoundTripTests
{
    internal const string Calc = """
        (module $calc
          (memory (export "mem") 1)
          (data (i32.const 16) "hello")
          (global $g (mut i32) (i32.const 42))
          (table 2 funcref)
          (elem (i32.const 0) $add $div)
          (type $binary (func (param i32 i32) (result i32)))
          (func $add (export "add") (param i32 i32) (result i32) local.get 0 local.get 1 i32.add)
          (func $div (export "div") (param i32 i32) (result i32) local.get 0 local.get 1 i32.div_s)
          (func (export "indirect") (param i32 i32 i32) (result i32)
            local.get 0 local.get 1 local.get 2 call_indirect (type $binary))
          (func (export "global") (result i32) global.get $g)
          (func (export "load") (param i32) (result i32) local.get 0 i32.load8_u)
        )
        """;

    private static Instance Instantiate(Module module, out Store<int> store)
    {
        store = new Store<int>(module.Engine, 0);
        return new Linker<int>(module.Engine).Instantiate(store, module);
    }

    [Fact]
    public void DeserializedModuleRunsItsFunctions()
    {
        using var engine = new Engine();
        var module = Module.Deserialize(engine, engine.PrecompileModule(System.Text.Encoding.UTF8.GetBytes(Calc)));
        var instance = Instantiate(module, out var store);
        using (store)
        {
            Assert.Equal(5, instance.GetFunction("add")!.Typed<(int, int), int>().Call((2, 3)));
            Assert.Equal(-4, instance.GetFunction("indirect")!.Typed<(int, int, int), int>().Call((8, -2, 1)));
            Assert.Equal(42, instance.GetFunction("global")!.Call()[0].AsI32());
            Assert.Equal('h', instance.GetFunction("load")!.Typed<int, int>().Call(16));
        }
    }

    [Fact]
    public void DeserializedModuleKeepsImportsExportsAndName()
    {
        using var engine = new Engine();
        var original = Module.FromText(engine, Calc);
        var loaded = Module.Deserialize(engine, original.Serialize());
        Assert.Equal("calc", loaded.Name);
        Assert.Equal(original.Exports.Select(e => (e.Name, e.Kind, e.Type)), loaded.Exports.Select(e => (e.Name, e.Kind, e.Type)));
    }

    [Fact]
    public void PrecompilingTwiceGivesIdenticalBytes()
    {
        using var engine = new Engine();
        var bytes = System.Text.Encoding.UTF8.GetBytes(Calc);
        Assert.Equal(engine.PrecompileModule(bytes), engine.PrecompileModule(bytes));
    }

    [Fact]
    public void SerializeMatchesPrecompileModule()
    {
        using var engine = new Engine();
        Assert.Equal(engine.PrecompileModule(System.Text.Encoding.UTF8.GetBytes(Calc)), Module.FromText(engine, Calc).Serialize());
    }

    [Fact]
    public void SerializingADeserializedModuleGivesTheOriginalBytes()
    {
        using var engine = new Engine();
        var artifact = engine.PrecompileModule(System.Text.Encoding.UTF8.GetBytes(Calc));
        Assert.Equal(artifact, Module.Deserialize(engine, artifact).Serialize());
    }

    [Fact]
    public void SerializingKeepsTheSettingsTheArtifactWasBuiltWith()
    {
        using var small = new Engine(new Config { MaxWasmStack = 64 * 1024 });
        using var large = new Engine(new Config { MaxWasmStack = 1024 * 1024 });
        var artifact = small.PrecompileModule(System.Text.Encoding.UTF8.GetBytes(Calc));
        Assert.Equal(artifact, Module.Deserialize(large, artifact).Serialize());
    }

    [Fact]
    public void DeserializeFileLoadsAnArtifactFromDisk()
    {
        using var engine = new Engine();
        var path = Path.Combine(Path.GetTempPath(), $"sharptime-{Guid.NewGuid():N}.cwasm");
        File.WriteAllBytes(path, engine.PrecompileModule(System.Text.Encoding.UTF8.GetBytes(Calc)));
        try
        {
            var instance = Instantiate(Module.DeserializeFile(engine, path), out var store);
            using (store) Assert.Equal(7, instance.GetFunction("add")!.Typed<(int, int), int>().Call((3, 4)));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void DeserializeFileMapsTheTextExecutableFromTheFileItself()
    {
        using var engine = new Engine();
        var path = Path.Combine(Path.GetTempPath(), $"sharptime-{Guid.NewGuid():N}.cwasm");
        File.WriteAllBytes(path, engine.PrecompileModule(System.Text.Encoding.UTF8.GetBytes(Calc)));
        try
        {
            Module.DeserializeFile(engine, path);
            var mapping = File.ReadAllLines("/proc/self/maps").Where(l => l.EndsWith(path, StringComparison.Ordinal)).ToList();
            Assert.Contains(mapping, l => l.Split(' ')[1] == "r-xp");
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void ModuleWithoutFunctionsRoundTrips()
    {
        using var engine = new Engine();
        var artifact = engine.PrecompileModule("(module (memory (export \"m\") 1) (global (export \"g\") i32 (i32.const 7)))"u8);
        var instance = Instantiate(Module.Deserialize(engine, artifact), out var store);
        using (store) Assert.Equal(7, instance.GetGlobal("g")!.Value.AsI32());
    }

    [Fact]
    public void TrapInLoadedCodeHasTheSameBacktraceAsInProcessCode()
    {
        using var engine = new Engine();
        var original = Module.FromText(engine, Calc);
        var loaded = Module.Deserialize(engine, original.Serialize());
        string Trace(Module m)
        {
            var instance = Instantiate(m, out var store);
            using (store)
            {
                var e = Assert.Throws<TrapException>(() => instance.GetFunction("indirect")!.Typed<(int, int, int), int>().Call((1, 0, 1)));
                Assert.Equal(TrapCode.IntegerDivisionByZero, e.Code);
                return e.Backtrace!.ToString();
            }
        }
        string expected = Trace(original);
        Assert.Contains("calc!div", expected);
        Assert.Equal(expected, Trace(loaded));
    }

    [Fact]
    public void OutOfBoundsLoadInLoadedGuardPageCodeTrapsThroughTheSignalHandler()
    {
        using var engine = new Engine(new Config { BoundsChecks = BoundsChecks.GuardPages });
        var loaded = Module.Deserialize(engine, engine.PrecompileModule(System.Text.Encoding.UTF8.GetBytes(Calc)));
        var instance = Instantiate(loaded, out var store);
        using (store)
        {
            long before = Sharptime.Vm.Signals.FaultHandler.TrapsFromFaults;
            var e = Assert.Throws<TrapException>(() => instance.GetFunction("load")!.Typed<int, int>().Call(70_000));
            Assert.Equal(TrapCode.MemoryOutOfBounds, e.Code);
            Assert.True(Sharptime.Vm.Signals.FaultHandler.TrapsFromFaults > before, "the trap did not come from a fault");
            Assert.Contains("calc!func4", e.Backtrace!.ToString());
        }
    }

    [Fact]
    public void DetectPrecompiledRecognisesModuleArtifacts()
    {
        using var engine = new Engine();
        Assert.Equal(Precompiled.Module, Engine.DetectPrecompiled(engine.PrecompileModule(System.Text.Encoding.UTF8.GetBytes(Calc))));
    }

    [Fact]
    public void DetectPrecompiledRejectsPlainWasmAndOtherElfFiles()
    {
        Assert.Null(Engine.DetectPrecompiled(Module.ConvertText(Calc)));
        Assert.Null(Engine.DetectPrecompiled(File.ReadAllBytes("/proc/self/exe")));
        Assert.Null(Engine.DetectPrecompiled([]));
    }
}
