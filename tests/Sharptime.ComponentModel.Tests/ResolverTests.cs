using Sharptime.ComponentModel.Tests.Support;
using Sharptime.ComponentModel.Wit;

namespace Sharptime.ComponentModel.Tests;

public sealed class ResolverTests : IDisposable
{
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("sharptime-wit-");

    public void Dispose() => _dir.Delete(recursive: true);

    private string Write(string relative, string text)
    {
        var path = Path.Combine(_dir.FullName, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
        return path;
    }

    [Fact]
    public void UseBringsATypeFromAnotherInterface()
    {
        var package = TestWit.Single("package a:b;\ninterface x { type t = u8; }\ninterface y { use x.{t}; f: func() -> t; }");
        var used = package.FindInterface("y")!.FindType("t")!;
        Assert.Equal(WitTypeDefKind.Use, used.Kind);
        Assert.Same(package.FindInterface("x")!.FindType("t"), used.UsedType);
    }

    [Fact]
    public void UseWithAsRenamesTheType()
    {
        var package = TestWit.Single("package a:b;\ninterface x { type t = u8; }\ninterface y { use x.{t as u}; }");
        Assert.Equal("t", package.FindInterface("y")!.FindType("u")!.UsedType!.Name);
    }

    [Fact]
    public void InterfacesMayUseInterfacesDeclaredLater()
    {
        var package = TestWit.Single("package a:b;\ninterface y { use x.{t}; }\ninterface x { type t = u8; }");
        Assert.Equal(["y", "x"], package.Interfaces.Select(i => i.Name));
    }

    [Fact]
    public void UseAcrossPackagesResolvesByQualifiedName()
    {
        var resolver = new WitResolver();
        resolver.AddPackage([new WitSource("app.wit", "package a:app;\ninterface i { use a:lib/types@1.0.0.{t}; }")]);
        resolver.AddPackage([new WitSource("lib.wit", "package a:lib@1.0.0;\ninterface types { type t = u8; }")], isDependency: true);
        var resolution = resolver.Resolve();
        Assert.Equal(["a:lib@1.0.0", "a:app"], resolution.Packages.Select(p => p.Name.ToString()));
        Assert.Equal(["a:app"], resolution.Roots.Select(p => p.Name.ToString()));
    }

    [Fact]
    public void UnversionedReferenceFindsTheOnlyVersionPresent()
    {
        var resolver = new WitResolver();
        resolver.AddPackage([new WitSource("app.wit", "package a:app;\ninterface i { use a:lib/types.{t}; }")]);
        resolver.AddPackage([new WitSource("lib.wit", "package a:lib@1.0.0;\ninterface types { type t = u8; }")]);
        Assert.Equal(2, resolver.Resolve().Packages.Count);
    }

    [Fact]
    public void TopLevelUseNamesAForeignInterfaceForTheFile()
    {
        var resolution = TestWit.Resolve(File.ReadAllText(TestWit.CorpusPath("nested.wit")));
        var api = resolution.FindPackage("corpus:app")!.FindInterface("api")!;
        Assert.Equal("corpus:lib/util", api.FindType("lib-name")!.UsedType!.OwnerInterface!.QualifiedName);
    }

    [Fact]
    public void NestedPackageBlocksBecomePackages() =>
        Assert.Equal(["corpus:lib", "corpus:app"], TestWit.Resolve(File.ReadAllText(TestWit.CorpusPath("nested.wit"))).Packages.Select(p => p.Name.ToString()));

    [Fact]
    public void FilesOfADirectoryFormOnePackage()
    {
        Write("pkg/a.wit", "package a:b;\ninterface x { type t = u8; }");
        Write("pkg/b.wit", "interface y { use x.{t}; }");
        var package = WitLoader.Load(Path.Combine(_dir.FullName, "pkg")).Roots.Single();
        Assert.Equal(["x", "y"], package.Interfaces.Select(i => i.Name));
    }

    [Fact]
    public void DepsFoldersAndFilesAreDependencyPackages()
    {
        Write("pkg/main.wit", "package a:main;\nworld w { import a:dir/i; import a:file/j; }");
        Write("pkg/deps/dir/i.wit", "package a:dir;\ninterface i { use a:other/k.{t}; }");
        Write("pkg/deps/other/k.wit", "package a:other;\ninterface k { type t = u8; }");
        Write("pkg/deps/file.wit", "package a:file;\ninterface j {}");
        var resolution = WitLoader.Load(Path.Combine(_dir.FullName, "pkg"));
        Assert.Equal(["a:main"], resolution.Roots.Select(p => p.Name.ToString()));
        Assert.Equal(4, resolution.Packages.Count);
        Assert.Equal("a:main", resolution.Packages[^1].Name.ToString());
    }

    [Fact]
    public void MissingPathIsAWitException() =>
        Assert.Throws<WitException>(() => WitLoader.Load(Path.Combine(_dir.FullName, "absent")));

    [Fact]
    public void PackagesAreOrderedDependenciesFirst()
    {
        var resolver = new WitResolver();
        resolver.AddPackage([new WitSource("c.wit", "package x:c;\ninterface i { use x:b/i.{t}; }")]);
        resolver.AddPackage([new WitSource("b.wit", "package x:b;\ninterface i { use x:a/i.{t}; }")]);
        resolver.AddPackage([new WitSource("a.wit", "package x:a;\ninterface i { type t = u8; }")]);
        Assert.Equal(["x:a", "x:b", "x:c"], resolver.Resolve().Packages.Select(p => p.Name.ToString()));
    }

    [Fact]
    public void UnstableItemsAreDroppedUnlessTheirFeatureIsEnabled()
    {
        var text = File.ReadAllText(TestWit.CorpusPath("types.wit"));
        var off = TestWit.Single(text);
        Assert.Null(off.FindInterface("experimental"));
        Assert.Null(off.FindInterface("gated")!.FindFunction("new-thing"));

        var options = new WitOptions();
        options.Features.Add("shiny");
        var on = TestWit.Single(text, options);
        Assert.NotNull(on.FindInterface("experimental"));
        Assert.Equal("shiny", on.FindInterface("gated")!.FindFunction("new-thing")!.Stability.UnstableFeature);
    }

    [Fact]
    public void AllFeaturesKeepsEveryUnstableItem() =>
        Assert.NotNull(TestWit.Single(File.ReadAllText(TestWit.CorpusPath("types.wit")), new WitOptions { AllFeatures = true }).FindInterface("experimental"));

    [Fact]
    public void ReferencesToADroppedItemAreErrors()
    {
        var e = Assert.Throws<WitException>(() => TestWit.Resolve("package a:b@1.0.0;\n@unstable(feature = f)\ninterface x { type t = u8; }\ninterface y { use x.{t}; }"));
        Assert.Contains("interface `x` not found", e.Message);
    }

    [Fact]
    public void WorldImportsInterfacesFunctionsAndTypesInOrder()
    {
        var world = TestWit.Single(File.ReadAllText(TestWit.CorpusPath("types.wit"))).FindWorld("everything")!;
        Assert.Equal(
            ["corpus:types/shapes@1.2.3-rc.1+build.5", "corpus:types/handles@1.2.3-rc.1+build.5", "log", "custom", "color", "local", "settings"],
            world.Imports.Select(i => i.Name));
        Assert.Equal(["run", "corpus:types/handles@1.2.3-rc.1+build.5", "async-run"], world.Exports.Select(i => i.Name));
        Assert.Null(world.Imports.Single(i => i.Name == "custom").Interface!.Name);
    }

    [Fact]
    public void IncludeMergesItemsAndAppliesWithRenames()
    {
        var world = TestWit.Single(File.ReadAllText(TestWit.CorpusPath("types.wit"))).FindWorld("derived")!;
        Assert.Equal("write-log", world.Imports[0].Name);
        Assert.Contains(world.Imports, i => i.Name == "log");
        Assert.Contains(world.Exports, i => i.Name == "run");
    }

    [Fact]
    public void IncludingTheSameInterfaceTwiceKeepsOneImport()
    {
        var world = TestWit.Single("package a:b;\ninterface i {}\nworld x { import i; }\nworld y { import i; include x; }").FindWorld("y")!;
        Assert.Single(world.Imports);
    }

    [Fact]
    public void IncludeWithRenamedTypePrintsTheNewNameEverywhere()
    {
        var package = TestWit.Single("""
            package a:b;
            world v {
              type t = u32;
              record r { x: t }
              import f: func(x: t) -> r;
            }
            world w {
              include v with { t as u }
            }
            """);

        Assert.EndsWith("""
            world w {
              type u = u32;

              record r {
                x: u,
              }

              import f: func(x: u) -> r;
            }

            """.ReplaceLineEndings("\n"), WitPrinter.Print(package));
    }

    [Fact]
    public void IncludeWithRenamedTypeLeavesTheIncludedWorldAlone()
    {
        var package = TestWit.Single("package a:b;\nworld v { type t = u32; import f: func(x: t); }\nworld w { include v with { t as u } }");

        Assert.Equal("t", package.FindWorld("v")!.Imports[0].Type!.Name);
        Assert.Equal("t", package.FindWorld("v")!.Imports[1].Function!.Params[0].Type.ToString());
    }

    [Fact]
    public void IncludeWithRenamedResourceMovesItsFunctions()
    {
        var world = TestWit.Single("package a:b;\nworld v { resource t { constructor(); get: func() -> u32; } }\nworld w { include v with { t as u } }").FindWorld("w")!;

        var resource = Assert.Single(world.Imports).Type!;
        Assert.Equal("u", resource.Name);
        Assert.All(resource.ResourceFunctions, f => Assert.Same(resource, f.Resource));
    }

    [Fact]
    public void TypeDefinitionFollowsUsesAndAliases()
    {
        var package = TestWit.Single("package a:b;\ninterface x { resource r; }\ninterface y { use x.{r}; type q = r; f: func(a: borrow<q>); }");
        Assert.Same(package.FindInterface("x")!.FindType("r"), package.FindInterface("y")!.FindType("q")!.Definition);
    }

    [Fact]
    public void FallibleConstructorIsAccepted() =>
        Assert.NotNull(TestWit.Single("package a:b;\ninterface i { resource r { constructor() -> result<r, string>; } }").Interfaces[0].FindType("r"));

    [Fact]
    public void ImportedInterfaceBringsTheInterfacesItUsesFirst()
    {
        var world = TestWit.Single("package a:b;\ninterface x { type t = u8; }\ninterface y { use x.{t}; }\nworld w { import y; }").FindWorld("w")!;
        Assert.Equal(["a:b/x", "a:b/y"], world.Imports.Select(i => i.Name));
    }

    [Fact]
    public void WorldUseImportsTheInterfaceOfTheType()
    {
        var world = TestWit.Single("package a:b;\ninterface x { type t = u8; }\nworld w { use x.{t}; }").FindWorld("w")!;
        Assert.Equal(["a:b/x", "t"], world.Imports.Select(i => i.Name));
    }

    [Fact]
    public void ExportedInterfaceImportsTheInterfacesItUsesUnlessExported()
    {
        var world = TestWit.Single("package a:b;\ninterface x { type t = u8; }\ninterface y { use x.{t}; }\ninterface z { use x.{t}; }\nworld w { export y; }\nworld v { export x; export z; }").FindWorld("w")!;
        Assert.Equal(["a:b/x"], world.Imports.Select(i => i.Name));
        Assert.Empty(TestWit.Single("package a:b;\ninterface x { type t = u8; }\ninterface z { use x.{t}; }\nworld v { export x; export z; }").FindWorld("v")!.Imports);
    }

    [Fact]
    public void ExplicitImportAfterAnImplicitOneIsNotRepeated()
    {
        var world = TestWit.Single("package a:b;\ninterface x { type t = u8; }\ninterface y { use x.{t}; }\nworld w { import y; import x; }").FindWorld("w")!;
        Assert.Equal(["a:b/x", "a:b/y"], world.Imports.Select(i => i.Name));
    }

    [Fact]
    public void DependencyFoldersHaveNoDepsOfTheirOwn()
    {
        Write("pkg/main.wit", "package a:main;\nworld w { import a:dir/i; }");
        Write("pkg/deps/dir/i.wit", "package a:dir;\ninterface i { use a:deeper/k.{t}; }");
        Write("pkg/deps/dir/deps/deeper/k.wit", "package a:deeper;\ninterface k { type t = u8; }");
        var e = Assert.Throws<WitException>(() => WitLoader.Load(Path.Combine(_dir.FullName, "pkg")));
        Assert.Contains("package `a:deeper` not found", e.Message);
    }

    [Fact]
    public void NamedImportOfAnInterfaceKeepsThePlainName()
    {
        var world = TestWit.Single("package a:b;\ninterface store { get: func(); }\nworld w { import primary: store; import secondary: store; export handler: store; }").FindWorld("w")!;
        Assert.Equal(["primary", "secondary"], world.Imports.Select(i => i.Name));
        Assert.All(world.Imports, i => Assert.Equal("a:b/store", i.Interface!.QualifiedName));
        Assert.False(world.Imports[0].IsInterfacePath);
        Assert.Equal("handler", Assert.Single(world.Exports).Name);
    }

    [Fact]
    public void NamesAreUniqueIgnoringCase()
    {
        var e = Assert.Throws<WitException>(() => TestWit.Resolve("package a:b;\ninterface i { type T = u8; type t = u8; }"));
        Assert.Contains("`t` is defined more than once in interface `i`", e.Message);
    }

    [Fact]
    public void TopLevelUseThatNamesItselfResolvesToTheLocalInterface() =>
        Assert.NotNull(TestWit.Single("package a:b;\nuse x as x;\ninterface x { type t = u8; }\ninterface y { use x.{t}; }").FindInterface("y")!.FindType("t"));

    [Fact]
    public void LongChainsOfTypeAliasesResolve()
    {
        var text = "package a:b;\ninterface i {\n" + string.Concat(Enumerable.Range(0, 20000).Select(i => $"type t{i} = t{i + 1};\n")) +
            "resource t20000;\nf: func(x: borrow<t0>) -> option<t0>;\n}";
        Assert.Equal(20001, TestWit.Single(text).Interfaces[0].Types.Count);
    }

    [Fact]
    public void WithoutANameTheSingleWorldOfTheRootIsSelected() =>
        Assert.Equal("w", TestWit.Resolve("package a:b;\nworld w {}").FindWorld()!.Name);

    [Fact]
    public void WithoutANameNoWorldIsSelectedWhenThereAreSeveral() =>
        Assert.Null(TestWit.Resolve("package a:b;\nworld w {}\nworld v {}").FindWorld());

    [Fact]
    public void MutuallyRecursiveTypesAreRejected()
    {
        var e = Assert.Throws<WitException>(() => TestWit.Resolve("package a:b;\ninterface i {\n  record a { b: b }\n  record b { a: a }\n}"));
        Assert.Equal("t.wit:3:3: type `a` refers to itself", Assert.Single(e.Diagnostics).ToString());
    }
}
