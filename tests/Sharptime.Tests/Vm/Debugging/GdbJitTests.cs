using Sharptime.Tests.TestSupport;
using Sharptime.Vm;
using Sharptime.Vm.Debugging;
using Sharptime.Tests.Vm.Unwind;
using Sharptime.Vm.Unwind;

namespace Sharptime.Tests.Vm.Debugging;

public sealed class GdbJitTests
{
    private static CodeMemory Map(string name) => new(new byte[UnwindTestImages.TextLength], new CodeImageInfo
    {
        Name = name,
        EhFrame = UnwindTestImages.EhFrame(),
        Symbols = [new CodeSymbol($"{name}!first", 0, 0x40), new CodeSymbol($"{name}!second", 0x40, 0x20)],
        Registrations = CodeRegistrations.GdbJit,
    });

    private static bool Published(string symbol) =>
        GdbJitInterface.SnapshotSymbolFiles().Any(f => f.AsSpan().IndexOf(System.Text.Encoding.UTF8.GetBytes(symbol + "\0")) >= 0);

    [Fact]
    public void AnImageIsPublishedToTheDebuggerWhileItIsMapped()
    {
        string name = $"gdbjit{Guid.NewGuid():N}";
        var memory = Map(name);
        bool whileMapped = Published($"{name}!second");
        memory.Dispose();
        Assert.True(whileMapped);
        Assert.False(Published($"{name}!second"));
    }

    [RequiresToolFact("readelf")]
    public void TheSymbolFileGivesFunctionsTheirMappedAddressesAndSizes()
    {
        string name = $"gdbjit{Guid.NewGuid():N}";
        using var memory = Map(name);
        var file = GdbJitInterface.SnapshotSymbolFiles().First(f => f.AsSpan().IndexOf(System.Text.Encoding.UTF8.GetBytes(name)) >= 0);
        var output = ReadElf(file, "-sW");
        Assert.Matches($@"0*{memory.Address + 0x40:x}\s+32 FUNC\s+GLOBAL DEFAULT\s+1 {name}!second", output);
    }

    [RequiresToolFact("readelf")]
    public void TheSymbolFileCarriesTheEhFrameAtItsMappedAddress()
    {
        string name = $"gdbjit{Guid.NewGuid():N}";
        using var memory = Map(name);
        var file = GdbJitInterface.SnapshotSymbolFiles().First(f => f.AsSpan().IndexOf(System.Text.Encoding.UTF8.GetBytes(name)) >= 0);
        var output = ReadElf(file, "--debug-dump=frames");
        Assert.Contains($"pc={memory.Address + 0x40:x16}..{memory.Address + 0x60:x16}", output);
    }

    [RequiresToolFact("readelf")]
    public void TheHookLibraryExportsTheJitInterfaceSymbols()
    {
        var output = ReadElf(GdbJitHookLibrary.Build(), "--dyn-syms", "-lW");
        Assert.Matches(@"1 FUNC\s+GLOBAL DEFAULT\s+\d+ __jit_debug_register_code", output);
        Assert.Matches(@"24 OBJECT\s+GLOBAL DEFAULT\s+\d+ __jit_debug_descriptor", output);
        Assert.Matches(@"GNU_STACK.*RW ", output);
    }

    private static string ReadElf(byte[] image, params string[] options)
    {
        var path = Path.GetTempFileName();
        try
        {
            File.WriteAllBytes(path, image);
            var (exit, output) = ExternalTools.Run("readelf", [.. options, path]);
            Assert.True(exit == 0, output);
            Assert.DoesNotContain("warning", output, StringComparison.OrdinalIgnoreCase);
            return output;
        }
        finally
        {
            File.Delete(path);
        }
    }
}
