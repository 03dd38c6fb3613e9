using Sharptime.Tests.Vm.MemoryImages;

namespace Sharptime.Tests.Artifacts;

/// <summary>Memories of modules loaded from artifact files start from images mapped copy-on-write from the file.</summary>
public sealed class ArtifactMemoryImageTests : IDisposable
{
    private readonly string _path = Path.Combine(Path.GetTempPath(), $"sharptime-{Guid.NewGuid():N}.cwasm");
    private static readonly byte[] Data = DataModules.Pattern(16 << 20, seed: 5);

    public void Dispose() => File.Delete(_path);

    private Module LoadWithSixteenMiB(Engine engine)
    {
        File.WriteAllBytes(_path, engine.PrecompileModule(DataModules.WithData(300, (100, Data))));
        return Module.DeserializeFile(engine, _path);
    }

    private static Memory Instantiate(Module module, Store store) =>
        new Linker<int>(module.Engine).Instantiate((Store<int>)store, module).GetMemory("mem")!;

    [Fact]
    public void LoadedMemoryHoldsTheDataSegment()
    {
        using var engine = new Engine();
        var module = LoadWithSixteenMiB(engine);
        using var store = new Store<int>(engine, 0);
        var memory = Instantiate(module, store);
        Assert.True(memory.GetSpan(100, Data.Length).SequenceEqual(Data));
        Assert.Equal(0, memory.ReadByte(99));
    }

    [Fact]
    public void LoadedMemoryIsAPrivateMappingOfTheArtifactFile()
    {
        using var engine = new Engine();
        var module = LoadWithSixteenMiB(engine);
        using var store = new Store<int>(engine, 0);
        Instantiate(module, store);
        var lines = File.ReadAllLines("/proc/self/maps").Where(l => l.EndsWith(_path, StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Split(' ')[1] == "rw-p");
    }

    [Fact]
    public void WritesInOneInstanceReachNeitherOtherInstancesNorTheFile()
    {
        using var engine = new Engine();
        var module = LoadWithSixteenMiB(engine);
        using var store = new Store<int>(engine, 0);
        var first = Instantiate(module, store);
        first.GetSpan(100, 4).Fill(0xEE);
        var second = Instantiate(module, store);
        Assert.True(second.GetSpan(100, 4).SequenceEqual(Data.AsSpan(0, 4)));
        Assert.Equal(engine.PrecompileModule(DataModules.WithData(300, (100, Data))), File.ReadAllBytes(_path));
    }

    [Fact]
    public void ArtifactDoesNotRepeatImagedDataInTheModuleSection()
    {
        using var engine = new Engine();
        var artifact = engine.PrecompileModule(DataModules.WithData(300, (100, Data)));
        var reader = Sharptime.Artifacts.ArtifactReader.Read(artifact);
        Assert.True(reader.Get(Sharptime.Artifacts.ArtifactFormat.ModuleSection).Size < 4096);
        Assert.InRange(artifact.Length, Data.Length, Data.Length + 64 * 1024);
    }
}
