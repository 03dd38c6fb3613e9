using Sharptime.ComponentModel.Binary;

namespace Sharptime.ComponentModel.Tests.Binary;

/// <summary>The <c>component-name</c> custom section: read when present, ignored (never rejected) when bad.</summary>
public sealed class ComponentNamesTests
{
    private static byte[] Subsection(byte id, Enc content)
    {
        var bytes = content.ToArray();
        return new Enc().U8(id).U32((uint)bytes.Length).U8(bytes).ToArray();
    }

    private static byte[] NameSection(params byte[][] subsections) =>
        CB.Custom(ComponentNames.SectionName, [.. subsections.SelectMany(s => s)]);

    [Fact]
    public void ComponentAndSortNamesAreRead()
    {
        var info = Check.Valid(CB.Component(NameSection(
            Subsection(0, new Enc().Str("app")),
            Subsection(1, new Enc().U8(0x01).Vec(2, (e, i) => e.U32((uint)i).Str(i == 0 ? "run" : "stop"))),
            Subsection(1, new Enc().U8(0x00, 0x11).Vec(1, (e, _) => e.U32(3).Str("main"))))));

        Assert.NotNull(info.Names);
        Assert.Equal("app", info.Names.ComponentName);
        Assert.Equal("stop", info.Names.Find(Sort.Func, 1));
        Assert.Equal("main", info.Names.Find(Sort.CoreModule, 3));
        Assert.Null(info.Names.Find(Sort.Instance, 0));
    }

    [Fact]
    public void UnknownSubsectionsAreSkipped()
    {
        var info = Check.Valid(CB.Component(NameSection(
            Subsection(7, new Enc().U8(1, 2, 3)),
            Subsection(1, new Enc().U8(0x05).Vec(1, (e, _) => e.U32(0).Str("inst"))))));

        Assert.Equal("inst", info.Names!.Find(Sort.Instance, 0));
    }

    [Fact]
    public void TruncatedNameSectionIsIgnoredNotRejected()
    {
        var info = Check.Valid(CB.Component(NameSection(new Enc().U8(0x01, 0x09, 0x01).ToArray())));

        Assert.Null(info.Names);
        Assert.Single(info.CustomSections);
    }

    [Fact]
    public void SortNamedTwiceMakesTheSectionIgnored()
    {
        var names = Subsection(1, new Enc().U8(0x01).Vec(1, (e, _) => e.U32(0).Str("f")));

        Assert.Null(Check.Valid(CB.Component(NameSection(names, names))).Names);
    }
}
