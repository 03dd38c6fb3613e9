using Xunit.Abstractions;

namespace Sharptime.Tests.Concurrency;

/// <summary>Engines and modules that are dropped give their native code back.</summary>
[Collection(ProcessWideMeasurements.Name)]
public sealed class LifetimeTests(ITestOutputHelper output)
{
    private const int Rounds = 300;

    /// <summary>
    /// Each round maps at least two pages of code (the module's text and an exit trampoline), so a leak is at least
    /// 8 KiB per round, 2.4 MB in all; the CLR's own mappings move by well under this (measured: below 100 KiB).
    /// </summary>
    private const long MappedBytesSlack = 1024 * 1024;

    private const string Wat = """
        (module
          (import "h" "f" (func $f (param i32) (result i32)))
          (memory 1)
          (data (i32.const 0) "abc")
          (func (export "run") (result i32) (call $f (i32.load8_u (i32.const 1)))))
        """;

    private static void Round(bool fromArtifact)
    {
        var engine = new Engine();
        var module = fromArtifact ? Module.Deserialize(engine, engine.PrecompileModule(System.Text.Encoding.UTF8.GetBytes(Wat))) : Module.FromText(engine, Wat);
        using var store = new Store<int>(engine, 0);
        var f = Func.FromDelegate(store, (int x) => x + 1);
        var instance = new Instance(store, module, f);
        Assert.Equal('b' + 1, instance.GetFunction("run")!.Typed<ValueTuple, int>().Call(default));
    }

    [ProcFact]
    public void DroppedEnginesAndCompiledModulesUnmapTheirCode() => CheckNoGrowth(fromArtifact: false);

    [ProcFact]
    public void DroppedEnginesAndDeserializedModulesUnmapTheirArtifacts() => CheckNoGrowth(fromArtifact: true);

    private void CheckNoGrowth(bool fromArtifact)
    {
        for (int i = 0; i < Rounds; i++) Round(fromArtifact);
        var before = ProcessResources.Measure();
        for (int i = 0; i < Rounds; i++) Round(fromArtifact);
        var after = ProcessResources.Measure();

        output.WriteLine($"before {before}; after {after}");
        Assert.InRange(after.MappedBytes, 0, before.MappedBytes + MappedBytesSlack);
        Assert.InRange(after.FileDescriptors, 0, before.FileDescriptors);
    }
}
