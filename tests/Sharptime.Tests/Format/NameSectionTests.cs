using Sharptime.Format;
using Sharptime.Tests.TestSupport;
using static Sharptime.Tests.TestSupport.WasmBuilder;

namespace Sharptime.Tests.Format;

public class NameSectionTests
{
    private static ModuleInfo ParseWithNames(params object[] payload) =>
        ModuleParser.Parse(new WasmBuilder().Section(Id.Custom, "name", Bytes(payload)).Build());

    private static byte[] Subsection(byte id, params object[] contents)
    {
        var body = Bytes(contents);
        return Bytes(id, (uint)body.Length, body);
    }

    [Fact]
    public void ModuleFunctionAndLocalNamesAreDecoded()
    {
        var module = ParseWithNames(
            Subsection(0, "my-module"),
            Subsection(1, Vec(Bytes(0x00, "start"), Bytes(0x02, "helper"))),
            Subsection(2, Vec(Bytes(0x02, Vec(Bytes(0x00, "x"), Bytes(0x01, "y"))))));

        Assert.Equal("my-module", module.Names.ModuleName);
        Assert.Equal("start", module.Names.FunctionNames[0]);
        Assert.Equal("helper", module.Names.FunctionNames[2]);
        Assert.Equal("y", module.Names.LocalNames[2][1]);
        Assert.Equal("name", Assert.Single(module.CustomSections).Name);
    }

    [Fact]
    public void UnknownSubsectionsAreSkipped()
    {
        var module = ParseWithNames(Subsection(1, Vec(Bytes(0x00, "f"))), Subsection(7, 0x01, 0x02, 0x03));
        Assert.Equal("f", module.Names.FunctionNames[0]);
    }

    [Fact]
    public void MalformedNameSectionIsIgnoredAndNamesDropped()
    {
        // The function names subsection declares more entries than it holds.
        var module = ParseWithNames(Subsection(0, "m"), Subsection(1, 0x02, 0x00, "f"));
        Assert.Null(module.Names.ModuleName);
        Assert.Empty(module.Names.FunctionNames);
    }

    [Fact]
    public void NameWithInvalidUtf8InNameSectionDoesNotFailTheModule()
    {
        var module = ParseWithNames(Subsection(1, Vec(Bytes(0x00, 0x01, 0xC0))));
        Assert.Empty(module.Names.FunctionNames);
    }

    [Fact]
    public void OutOfOrderSubsectionsAreIgnored()
    {
        var module = ParseWithNames(Subsection(1, Vec(Bytes(0x00, "f"))), Subsection(0, "m"));
        Assert.Null(module.Names.ModuleName);
        Assert.Empty(module.Names.FunctionNames);
    }

    [Fact]
    public void UnsortedNameMapIsIgnored()
    {
        var module = ParseWithNames(Subsection(1, Vec(Bytes(0x02, "b"), Bytes(0x01, "a"))));
        Assert.Empty(module.Names.FunctionNames);
    }

    [Fact]
    public void SubsectionSizeBeyondPayloadIsIgnored()
    {
        var module = ParseWithNames(Bytes(0x00, 0x10, "m"));
        Assert.Null(module.Names.ModuleName);
    }

    [Fact]
    public void TruncatedNameSectionStillParsesTheRestOfTheModule()
    {
        var bytes = new WasmBuilder()
            .Section(Id.Custom, "name", 0x01, 0x7F)
            .Section(Id.Type, Vec(VoidType))
            .Build();
        var module = ModuleParser.Parse(bytes);
        Assert.Single(module.Types);
        Assert.Empty(module.Names.FunctionNames);
    }
}
