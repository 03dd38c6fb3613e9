using Sharptime.Tests.TestSupport;
using Sharptime.Vm.Debugging;
using Sharptime.Vm.Unwind;

namespace Sharptime.Tests.Vm.Unwind;

public sealed class EhFrameWriterTests
{
    private const nint Text = 0x40_0000;

    /// <summary>readelf decodes the section wrapped in an ELF object and prints its rule table; returns the rows of the FDE at <paramref name="pc"/>.</summary>
    private static string[] ReadelfRows(nint pc)
    {
        var ehFrame = UnwindTestImages.EhFrame();
        var image = JitSymbolFile.Build(Text, UnwindTestImages.TextLength, Text + UnwindTestImages.EhFrameOffset, ehFrame, []);
        var path = Path.GetTempFileName();
        try
        {
            File.WriteAllBytes(path, image);
            var (exit, output) = ExternalTools.Run("readelf", "--debug-dump=frames-interp", "-W", path);
            Assert.True(exit == 0, output);
            Assert.DoesNotContain("warning", output, StringComparison.OrdinalIgnoreCase);
            var lines = output.Split('\n');
            int fde = Array.FindIndex(lines, l => l.Contains($"pc={pc:x16}"));
            Assert.True(fde >= 0, $"no FDE at pc={pc:x}:\n{output}");
            return lines.Skip(fde + 2).TakeWhile(l => l.Length > 0 && char.IsAsciiHexDigit(l[0])).Select(l => string.Join(' ', l.Split(' ', StringSplitOptions.RemoveEmptyEntries))).ToArray();
        }
        finally
        {
            File.Delete(path);
        }
    }

    [RequiresToolFact("readelf")]
    public void ReadelfSeesTheWasmFramesPrologueEpilogueAndTrapStubRules()
    {
        Assert.Equal(
        [
            "0000000000400000 rsp+8 u c-8",
            "0000000000400001 rsp+16 c-16 c-8",
            "0000000000400004 rbp+16 c-16 c-8",
            "0000000000400030 rsp+8 s c-8",
            "0000000000400031 rbp+16 c-16 c-8",
        ], ReadelfRows(Text));
    }

    [RequiresToolFact("readelf")]
    public void ReadelfSeesTheEntryTrampolinesSavedRegisters()
    {
        var rows = ReadelfRows(Text + 0x60);
        Assert.Equal("000000000040006d rbp+16 c-24 c-16 c-32 c-40 c-48 c-56 c-8", rows[^2]);
    }

    [Fact]
    public void CodesOutOfOrderAreRejected()
    {
        var bad = new FunctionUnwind(0, 16, [UnwindCode.SetFrameRegister(4), UnwindCode.PushFrameRegister(1)]);
        var e = Assert.Throws<ArgumentException>(() => EhFrameWriter.Write([bad], 16));
        Assert.Contains("out of order", e.Message);
    }

    [Fact]
    public void EntriesAreEightByteAlignedAndTheSectionEndsWithAZeroTerminator()
    {
        var ehFrame = UnwindTestImages.EhFrame();
        int position = 0, entries = 0;
        while (BitConverter.ToUInt32(ehFrame, position) is var length and not 0)
        {
            Assert.Equal(0u, (length + 4) % 8);
            position += 4 + (int)length;
            entries++;
        }
        Assert.Equal(1 + UnwindTestImages.All.Length, entries);
        Assert.Equal(ehFrame.Length - 4, position);
    }
}
