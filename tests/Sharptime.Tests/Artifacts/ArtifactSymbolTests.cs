using Sharptime.Artifacts;
using Sharptime.Vm.Debugging;

namespace Sharptime.Tests.Artifacts;

/// <summary>Debuggers and profilers get the same names for loaded code as for code compiled in the process.</summary>
public class ArtifactSymbolTests
{
    [Fact]
    public void LoadedModuleSymbolsNameAndPlaceEveryFunctionAsCompiledOnes()
    {
        var config = new Config { ProfilingStrategy = ProfilingStrategy.PerfMap };
        using var engine = new Engine();
        var original = Module.FromText(engine, ArtifactRoundTripTests.Calc);
        var loaded = Module.Deserialize(engine, original.Serialize());
        var compiled = original.Compiled!;
        var expected = CodeImageDescription.ForModule(compiled.Compiled, original.Info, original.Name, config).Symbols;
        var actual = CodeImageDescription.ForLoadedModule(loaded.Compiled!.Compiled, loaded.Compiled.Length, loaded.Info, loaded.Name, config).Symbols;

        Assert.Equal(expected.Select(s => (s.Name, s.Offset)), actual.Select(s => (s.Name, s.Offset)));
        int functions = compiled.Compiled.FunctionOffsets.Length;
        Assert.Equal(expected.Take(functions), actual.Take(functions));
    }

    [Fact]
    public void LoadedModuleBuildsNoSymbolsWhenNoProfilerOrDebuggerIsToldAboutIt()
    {
        using var engine = new Engine(new Config { ProfilingStrategy = ProfilingStrategy.None, DebugInfo = false });
        var loaded = Module.Deserialize(engine, engine.PrecompileModule(Module.ConvertText(ArtifactRoundTripTests.Calc)));
        Assert.True(loaded.Compiled!.Memory.Symbols.IsEmpty);
    }
}
