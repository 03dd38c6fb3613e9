using Sharptime.Tests.TestSupport;

namespace Sharptime.Tests.Artifacts;

/// <summary>Artifacts are ordinary ELF files that binutils reads.</summary>
public class ArtifactElfTests
{
    private static string WriteArtifact()
    {
        using var engine = new Engine();
        var path = Path.Combine(Path.GetTempPath(), $"sharptime-{Guid.NewGuid():N}.cwasm");
        File.WriteAllBytes(path, engine.PrecompileModule(Module.ConvertText(ArtifactRoundTripTests.Calc)));
        return path;
    }

    [RequiresToolFact("readelf")]
    public void ReadelfListsTextEhFrameAndTheMetadataSections()
    {
        var path = WriteArtifact();
        try
        {
            var (exit, output) = ExternalTools.Run("readelf", "-W", "-S", path);
            Assert.True(exit == 0, output);
            Assert.DoesNotContain("Warning", output);
            foreach (var name in (string[])[".text", ".eh_frame", ".sharptime.engine", ".sharptime.module", ".sharptime.types",
                ".sharptime.functions", ".sharptime.traps", ".sharptime.address_map", ".sharptime.names", ".symtab"])
                Assert.Contains($" {name} ", output);
            Assert.DoesNotContain(".rela", output);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [RequiresToolFact("readelf")]
    public void ReadelfDecodesTheEhFrame()
    {
        var path = WriteArtifact();
        try
        {
            var (exit, output) = ExternalTools.Run("readelf", "-W", "--debug-dump=frames", path);
            Assert.True(exit == 0, output);
            Assert.DoesNotContain("Warning", output);
            Assert.Contains("FDE", output);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [RequiresToolFact("objdump")]
    public void ObjdumpDisassemblesFunctionsByName()
    {
        var path = WriteArtifact();
        try
        {
            var (exit, output) = ExternalTools.Run("objdump", "-d", path);
            Assert.True(exit == 0, output);
            Assert.Contains("<calc!add>:", output);
            Assert.Contains("<calc!array_entry[div]>:", output);
            Assert.Contains("idiv", output);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
