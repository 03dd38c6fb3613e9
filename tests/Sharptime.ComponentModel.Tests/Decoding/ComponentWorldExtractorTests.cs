using Sharptime.ComponentModel.Decoding;
using Sharptime.ComponentModel.Text;
using Sharptime.ComponentModel.Wit;

namespace Sharptime.ComponentModel.Tests.Decoding;

/// <summary>Describing compiled components in WIT: the extracted world, printed, and read back.</summary>
public sealed class ComponentWorldExtractorTests
{
    private static WitResolution Extract(string text) => ComponentWorldExtractor.Extract(ComponentWat.ToBinary(text));

    private static string Print(string text) => ComponentWorldExtractor.Print(Extract(text));

    private const string Shapes = """
        (component
          (import "a:shapes/types@1.0.0" (instance
            (type $point (record (field "x" s32) (field "y" s32)))
            (export "point" (type $p (eq $point)))
            (export "canvas" (type $c (sub resource)))
            (type $own (own $c))
            (type $borrow (borrow $c))
            (export "[constructor]canvas" (func (param "width" u32) (result $own)))
            (export "[method]canvas.draw" (func (param "self" $borrow) (param "at" $p) (result bool)))
            (export "[static]canvas.default" (func (result $own)))
            (export "origin" (func (result $p)))))
        )
        """;

    private const string Functions = """
        (component
          (import "add" (func $add (param "a" u32) (param "b" u32) (result u32)))
          (import "log" (func $log (param "message" string)))
          (export "sum" (func $add))
        )
        """;

    [Fact]
    public void PrimitiveFunctionsBecomeWorldFunctions()
    {
        Assert.Equal("""
            package root:component;

            world root {
              import add: func(a: u32, b: u32) -> u32;
              import log: func(message: string);
              export sum: func(a: u32, b: u32) -> u32;
            }

            """.ReplaceLineEndings("\n"), Print(Functions));
    }

    [Fact]
    public void InterfaceNamedInstanceBecomesAnInterfaceOfItsPackage()
    {
        var resolution = Extract(Shapes);

        Assert.Equal(["a:shapes@1.0.0", "root:component"], resolution.Packages.Select(p => p.Name.ToString()));
        var item = Assert.Single(resolution.FindWorld()!.Imports);
        Assert.True(item.IsInterfacePath);
        Assert.Equal("a:shapes/types@1.0.0", item.Name);
    }

    [Fact]
    public void RecordAndResourceWithMethodsPrintAsTypeDefinitions()
    {
        Assert.Equal("""
            package root:component;

            world root {
              import a:shapes/types@1.0.0;
            }

            package a:shapes@1.0.0 {

              interface types {
                record point {
                  x: s32,
                  y: s32,
                }

                resource canvas {
                  constructor(width: u32);
                  draw: func(at: point) -> bool;
                  default: static func() -> canvas;
                }

                origin: func() -> point;
              }
            }

            """.ReplaceLineEndings("\n"), Print(Shapes));
    }

    [Fact]
    public void PrintedWitResolvesBack()
    {
        var extracted = Extract(Shapes);

        var back = WitResolver.ResolveText(ComponentWorldExtractor.Print(extracted));

        Assert.Equal(WitPrinter.Print(extracted.Packages), WitPrinter.Print(back.Packages));
        var canvas = back.FindPackage("a:shapes@1.0.0")!.FindInterface("types")!.FindType("canvas")!;
        Assert.Equal(["constructor", "draw", "default"], canvas.ResourceFunctions.Select(f => f.Name));
    }

    [Fact]
    public void PlainNamedInstanceBecomesAnInlineInterface()
    {
        var text = """
            (component
              (import "host" (instance
                (type $e (enum "low" "high"))
                (export "level" (type $l (eq $e)))
                (export "get" (func (result (option $l))))))
            )
            """;

        Assert.Equal("""
            package root:component;

            world root {
              import host: interface {
                enum level {
                  low,
                  high,
                }

                get: func() -> option<level>;
              }
            }

            """.ReplaceLineEndings("\n"), Print(text));
    }

    [Fact]
    public void TypeSharedBetweenInterfacesBecomesAUse()
    {
        var text = """
            (component
              (import "a:b/types" (instance $types
                (type $f (flags "read" "write"))
                (export "mode" (type (eq $f)))))
              (alias export $types "mode" (type $mode))
              (import "a:b/files" (instance
                (export "mode" (type $m (eq $mode)))
                (export "open" (func (param "path" string) (param "mode" $m) (result (result u32 (error string)))))))
            )
            """;

        var printed = Print(text);

        Assert.Contains("    use types.{mode};\n    open: func(path: string, mode: mode) -> result<u32, string>;\n", printed);
        Assert.Equal(WitPrinter.Print(Extract(text).Packages), WitPrinter.Print(WitResolver.ResolveText(printed).Packages));
    }

    [Fact]
    public void ExportedInterfaceMirrorsTheImportedOne()
    {
        var text = """
            (component
              (import "a:b/in" (instance $i
                (export "f" (func (param "x" (list u8)) (result (tuple u8 char))))))
              (export "a:b/out" (instance $i))
            )
            """;

        var world = Extract(text).FindWorld()!;

        Assert.Equal("a:b/out", Assert.Single(world.Exports).Name);
        Assert.Equal("func(x: list<u8>) -> tuple<u8, char>", "func(x: " + world.Exports[0].Interface!.Functions[0].Params[0].Type + ") -> " + world.Exports[0].Interface!.Functions[0].Result);
    }

    [Fact]
    public void CoreModuleImportIsNotDescribable()
    {
        var e = Assert.Throws<NotSupportedException>(() => Extract("(component (import \"m\" (core module)))"));

        Assert.Equal("`m` is a core module, which WIT cannot describe", e.Message);
    }

    [Fact]
    public void WorldLevelTypesBecomeWorldTypesAndUses()
    {
        var text = """
            (component
              (import "a:b/types" (instance $types
                (type $f (flags "read" "write"))
                (export "mode" (type (eq $f)))))
              (alias export $types "mode" (type $mode))
              (import "mode" (type $m (eq $mode)))
              (import "thing" (type $t (sub resource)))
              (import "[constructor]thing" (func (param "m" $m) (result (own $t))))
              (import "[method]thing.go" (func (param "self" (borrow $t))))
            )
            """;

        Assert.Equal("""
            package root:component;

            world root {
              import a:b/types;
              use a:b/types.{mode};

              resource thing {
                constructor(m: mode);
                go: func();
              }
            }

            package a:b {

              interface types {
                flags mode {
                  read,
                  write,
                }
              }
            }

            """.ReplaceLineEndings("\n"), Print(text));
    }

    [Fact]
    public void ExportedInterfaceHoldsItsRecord()
    {
        var text = """
            (component
              (type $pt (record (field "x" s32) (field "y" s32)))
              (import "point" (type $point (eq $pt)))
              (import "origin" (func $origin (result $point)))
              (instance $api
                (export "point" (type $point))
                (export "origin" (func $origin)))
              (export "a:b/api" (instance $api))
            )
            """;

        var printed = Print(text);

        Assert.EndsWith("""
            package a:b {

              interface api {
                record point {
                  x: s32,
                  y: s32,
                }

                origin: func() -> point;
              }
            }

            """.ReplaceLineEndings("\n"), printed);
        Assert.Contains("  export a:b/api;\n", printed);
        Assert.Equal(WitPrinter.Print(Extract(text).Packages), WitPrinter.Print(WitResolver.ResolveText(printed).Packages));
    }

    [Fact]
    public void ExportedInterfaceDefiningItsOwnResourceKeepsItsFunctions()
    {
        // The shape wit-component produces: the resource and its lifted constructor are passed through a nested
        // component, whose exports give both the interface's names.
        var text = """
            (component
              (type $T (resource (rep i32)))
              (core module $m
                (func (export "ctor") (param i32) (result i32) unreachable)
                (func (export "get") (param i32) (result i32) unreachable))
              (core instance $i (instantiate $m))
              (type $own (own $T))
              (type $borrow (borrow $T))
              (func $ctor (param "x" u32) (result $own) (canon lift (core func $i "ctor")))
              (func $get (param "self" $borrow) (result u32) (canon lift (core func $i "get")))
              (component $shim
                (import "import-type-thing" (type $t (sub resource)))
                (type $town (own $t))
                (type $tborrow (borrow $t))
                (import "import-constructor-thing" (func $c (param "x" u32) (result $town)))
                (import "import-method-thing-get" (func $g (param "self" $tborrow) (result u32)))
                (export $et "thing" (type $t))
                (type $eown (own $et))
                (type $eborrow (borrow $et))
                (export "[constructor]thing" (func $c) (func (param "x" u32) (result $eown)))
                (export "[method]thing.get" (func $g) (func (param "self" $eborrow) (result u32))))
              (instance $inst (instantiate $shim
                (with "import-type-thing" (type $T))
                (with "import-constructor-thing" (func $ctor))
                (with "import-method-thing-get" (func $get))))
              (export "a:b/c" (instance $inst))
            )
            """;

        Assert.EndsWith("""
            package a:b {

              interface c {
                resource thing {
                  constructor(x: u32);
                  get: func() -> u32;
                }
              }
            }

            """.ReplaceLineEndings("\n"), Print(text));
    }

    [Fact]
    public void ExportedWorldTypeIsTheDefinitionItsImportGives()
    {
        // WIT world types are encoded as an import and an export of the same name; the export is not a second type.
        var text = """
            (component
              (type $rt (record (field "x" u32)))
              (import "r" (type $r (eq $rt)))
              (core module $m (func (export "f") (result i32) unreachable) (memory (export "mem") 1))
              (core instance $i (instantiate $m))
              (func $f (result $r) (canon lift (core func $i "f") (memory $i "mem")))
              (export $er "r" (type $r))
              (export "f" (func $f) (func (result $er)))
            )
            """;

        Assert.Equal("""
            package root:component;

            world root {
              record r {
                x: u32,
              }

              export f: func() -> r;
            }

            """.ReplaceLineEndings("\n"), Print(text));
    }

    [Fact]
    public void ResourceExportedByTheWorldItselfIsNotDescribable()
    {
        var text = """
            (component
              (type $T (resource (rep i32)))
              (export "thing" (type $T))
            )
            """;

        var e = Assert.Throws<NotSupportedException>(() => Extract(text));

        Assert.Contains("`thing` is a resource exported by the component itself", e.Message);
    }
}
