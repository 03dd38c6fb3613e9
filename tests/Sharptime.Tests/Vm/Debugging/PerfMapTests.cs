using Sharptime.Vm.Debugging;

namespace Sharptime.Tests.Vm.Debugging;

public sealed class PerfMapTests
{
    [Fact]
    public void EachSymbolIsAppendedAsHexAddressHexSizeAndName()
    {
        var path = Path.GetTempFileName();
        try
        {
            File.WriteAllText(path, "existing line\n");
            PerfMap.Append(path, unchecked((nint)0x7F00_0000_1000), [new CodeSymbol("calc!inner", 0x10, 0x2A), new CodeSymbol("calc!outer", 0x40, 0x100)]);
            Assert.Equal("existing line\n7f0000001010 2a calc!inner\n7f0000001040 100 calc!outer\n", File.ReadAllText(path));
        }
        finally
        {
            File.Delete(path);
        }
    }
}
