using Sharptime.ComponentModel.Tests.Support;
using Sharptime.ComponentModel.Wit;

namespace Sharptime.ComponentModel.Tests;

public sealed class RoundTripTests
{
    private static void AssertRoundTrips(string text, WitOptions? options = null)
    {
        var first = TestWit.Resolve(text, options);
        var printed = WitPrinter.Print(first.Packages);
        var second = WitResolver.ResolveText(printed, "printed.wit", options);
        Assert.Equal(ModelDump.Of(first.Packages), ModelDump.Of(second.Packages));
        Assert.Equal(printed, WitPrinter.Print(second.Packages));
    }

    [Fact]
    public void CorpusOfEveryConstructRoundTrips() => AssertRoundTrips(File.ReadAllText(TestWit.CorpusPath("types.wit")));

    [Fact]
    public void CorpusWithUnstableFeaturesEnabledRoundTrips() =>
        AssertRoundTrips(File.ReadAllText(TestWit.CorpusPath("types.wit")), new WitOptions { AllFeatures = true });

    [Fact]
    public void NestedPackagesAndTopLevelUseRoundTrip() => AssertRoundTrips(File.ReadAllText(TestWit.CorpusPath("nested.wit")));

    [Fact]
    public void SinglePackagePrintsAsAFileThatParsesBack()
    {
        var package = TestWit.Single(File.ReadAllText(TestWit.CorpusPath("types.wit")));
        var printed = WitPrinter.Print(package);
        Assert.StartsWith("/// The corpus package: every WIT construct at least once.\npackage corpus:types@1.2.3-rc.1+build.5;\n", printed);
        Assert.Equal(ModelDump.Of(package), ModelDump.Of(TestWit.Single(printed)));
    }

    [Fact]
    public void PrintingIsDeterministic()
    {
        var text = File.ReadAllText(TestWit.CorpusPath("types.wit"));
        Assert.Equal(WitPrinter.Print(TestWit.Single(text)), WitPrinter.Print(TestWit.Single(text)));
    }

    [Fact]
    public void KeywordNamesArePrintedWithPercent()
    {
        var printed = WitPrinter.Print(TestWit.Single("package a:b;\ninterface i { %record: func(%type: u32); }"));
        Assert.Contains("%record: func(%type: u32);", printed);
    }

    [Fact]
    public void ForeignInterfacesArePrintedWithTheirQualifiedName()
    {
        var resolution = TestWit.Resolve(File.ReadAllText(TestWit.CorpusPath("nested.wit")));
        var printed = WitPrinter.Print(resolution.FindPackage("corpus:app")!);
        Assert.Contains("use corpus:lib/util.{id};", printed);
        Assert.Contains("import corpus:lib/util;", printed);
    }
}
