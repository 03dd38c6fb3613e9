using Sharptime.ComponentModel.Tests.Support;
using Sharptime.ComponentModel.Wit;

namespace Sharptime.ComponentModel.Tests;

public sealed class WasiTests
{
    private static WitResolution ResolveSet(string set, WitOptions? options = null)
    {
        var dirs = WitDirectory.PackageDirectories(set);
        Assert.True(dirs.Count > 0, $"{Path.Combine(WitDirectory.Require(), set)} holds no WIT packages.");
        var resolver = new WitResolver(options);
        foreach (var dir in dirs) resolver.AddPath(dir);
        return resolver.Resolve();
    }

    private static void AssertPrintsBack(WitResolution resolution, WitOptions? options)
    {
        var printed = WitPrinter.Print(resolution.Packages);
        var again = WitResolver.ResolveText(printed, "printed.wit", options);
        Assert.Equal(ModelDump.Of(resolution.Packages), ModelDump.Of(again.Packages));
    }

    [Fact]
    public void SharedWitFolderIsFound() => Assert.True(Directory.Exists(WitDirectory.Require()));

    [Fact]
    public void Wasi02PackagesResolveTogether()
    {
        var resolution = ResolveSet("wasi-0.2");
        Assert.Equal(WitDirectory.PackageDirectories("wasi-0.2").Count, resolution.Packages.Count);
        var io = resolution.FindPackage("wasi:io")!;
        Assert.Equal("wasi:io", io.Name.Namespace + ":" + io.Name.Name);
        var cli = resolution.FindPackage("wasi:cli")!;
        Assert.True(resolution.Packages.ToList().IndexOf(io) < resolution.Packages.ToList().IndexOf(cli));
        var streams = io.FindInterface("streams")!;
        Assert.Equal(WitTypeDefKind.Resource, streams.FindType("input-stream")!.Kind);
    }

    [Fact]
    public void Wasi02PackagesPrintBackToAnEqualModel() => AssertPrintsBack(ResolveSet("wasi-0.2"), null);

    [Fact]
    public void Wasi02PackagesWithAllFeaturesPrintBackToAnEqualModel()
    {
        var options = new WitOptions { AllFeatures = true };
        AssertPrintsBack(ResolveSet("wasi-0.2", options), options);
    }

    [Fact]
    public void Wasi02UnstableTimezoneIsDroppedByDefault()
    {
        var clocks = ResolveSet("wasi-0.2").FindPackage("wasi:clocks")!;
        Assert.Null(clocks.FindInterface("timezone"));
    }

    [Fact]
    public void Wasi02CommandWorldIncludesTheImportsWorld()
    {
        var command = ResolveSet("wasi-0.2").FindPackage("wasi:cli")!.FindWorld("command")!;
        Assert.Contains(command.Imports, i => i.Name.StartsWith("wasi:io/streams@", StringComparison.Ordinal));
        Assert.Contains(command.Exports, i => i.Name.StartsWith("wasi:cli/run@", StringComparison.Ordinal));
    }

    [Fact]
    public void WorldsAreSelectedByPathWithOrWithoutVersion()
    {
        var resolution = ResolveSet("wasi-0.2");
        var cli = resolution.FindPackage("wasi:cli")!;
        Assert.Same(cli.FindWorld("command"), resolution.FindWorld("wasi:cli/command"));
        Assert.Same(cli.FindWorld("command"), resolution.FindWorld($"wasi:cli/command@{cli.Name.Version}"));
        Assert.Null(resolution.FindWorld("wasi:cli/absent"));
    }

    [WitPackageSetFact("wasi-0.3")]
    public void Wasi03PackagesResolveAndPrintBack()
    {
        var options = new WitOptions { AllFeatures = true };
        AssertPrintsBack(ResolveSet("wasi-0.3", options), options);
    }
}
