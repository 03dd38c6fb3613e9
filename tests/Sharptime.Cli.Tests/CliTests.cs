namespace Sharptime.Cli.Tests;

public sealed class CliTests : IDisposable
{
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("sharptime-cli-");

    public void Dispose() => _dir.Delete(recursive: true);

    private string WriteFile(string name, string content)
    {
        var path = Path.Combine(_dir.FullName, name);
        File.WriteAllText(path, content);
        return path;
    }

    private static (int Exit, string Output, string Error) Run(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        int exit = CliApp.Run(args, output, error);
        return (exit, output.ToString(), error.ToString());
    }

    [Fact]
    public void ParseWritesABinaryModuleThatValidates()
    {
        var wat = WriteFile("add.wat", "(module (func (export \"add\") (param i32 i32) (result i32) local.get 0 local.get 1 i32.add))");
        var wasm = Path.Combine(_dir.FullName, "add.wasm");

        var parse = Run("parse", wat, "-o", wasm);
        var validate = Run("validate", wasm);

        Assert.Equal(0, parse.Exit);
        Assert.Equal([0x00, 0x61, 0x73, 0x6D], File.ReadAllBytes(wasm)[..4]);
        Assert.Equal(0, validate.Exit);
        Assert.Contains("add.wasm: valid", validate.Output);
    }

    [Fact]
    public void ValidateReportsEachInvalidFileAndExitsWithOne()
    {
        var good = WriteFile("good.wat", "(module)");
        var bad = WriteFile("bad.wat", "(module (func (result i32) (i64.const 0)))");

        var (exit, output, error) = Run("validate", good, bad);

        Assert.Equal(1, exit);
        Assert.Contains("good.wat: valid", output);
        Assert.Contains("bad.wat: invalid module", error);
        Assert.Contains("type mismatch", error);
    }

    [Fact]
    public void ParseReportsTextErrorsWithLineAndColumn()
    {
        var wat = WriteFile("broken.wat", "(module\n  (func (i32.nope)))");

        var (exit, _, error) = Run("parse", wat, "-o", Path.Combine(_dir.FullName, "out.wasm"));

        Assert.Equal(1, exit);
        Assert.Contains("broken.wat:2:", error);
    }

    [Fact]
    public void MissingFileIsAOneLineErrorNotACrash()
    {
        var (exit, _, error) = Run("validate", Path.Combine(_dir.FullName, "absent.wasm"));

        Assert.Equal(1, exit);
        Assert.Single(error.Trim().Split('\n'));
    }

    [Fact]
    public void WitPrintsTheResolvedPackage()
    {
        var wit = WriteFile("pkg.wit", "package a:b;\ninterface i { type t = list<u8>; f: func(x: t); }");

        var (exit, output, error) = Run("wit", wit);

        Assert.Equal(0, exit);
        Assert.Equal("", error);
        Assert.Equal("package a:b;\n\ninterface i {\n  type t = list<u8>;\n  f: func(x: t);\n}\n", output);
    }

    [Fact]
    public void WitReportsOneLinePerDiagnosticAndExitsWithOne()
    {
        var wit = WriteFile("bad.wit", "package a:b;\ninterface i {\n  f: func(x: one);\n  g: func() -> two;\n}");

        var (exit, _, error) = Run("wit", wit);

        Assert.Equal(1, exit);
        Assert.Equal([$"{wit}:3:14: type `one` not defined", $"{wit}:4:16: type `two` not defined"], error.TrimEnd().Split('\n'));
    }

    [Fact]
    public void WitEnablesUnstableFeaturesOnRequest()
    {
        var wit = WriteFile("gated.wit", "package a:b@1.0.0;\n@unstable(feature = f)\ninterface i {}");

        var off = Run("wit", wit);
        var on = Run("wit", wit, "--features", "f");

        Assert.DoesNotContain("interface i", off.Output);
        Assert.Contains("interface i", on.Output);
    }

    [Fact]
    public void WitResolvesAgainstDependencyPackagesWithoutPrintingThem()
    {
        var app = WriteFile("app.wit", "package a:app;\ninterface i { use a:lib/types.{t}; }");
        var lib = WriteFile("lib.wit", "package a:lib;\ninterface types { type t = u8; }");

        var (exit, output, error) = Run("wit", app, "--deps", lib);

        Assert.Equal(0, exit);
        Assert.Equal("", error);
        Assert.Contains("use a:lib/types.{t};", output);
        Assert.DoesNotContain("package a:lib", output);
    }

    [Fact]
    public void WitDescribesAComponentBinary()
    {
        var wasm = Path.Combine(_dir.FullName, "c.wasm");
        File.WriteAllBytes(wasm, Sharptime.ComponentModel.Text.ComponentWat.ToBinary(
            "(component (import \"a:b/log\" (instance (export \"write\" (func (param \"line\" string))))))"));

        var (exit, output, error) = Run("wit", wasm);

        Assert.Equal(0, exit);
        Assert.Equal("", error);
        Assert.Equal(
            "package root:component;\n\nworld root {\n  import a:b/log;\n}\n\n" +
            "package a:b {\n\n  interface log {\n    write: func(line: string);\n  }\n}\n",
            output);
    }

    [Fact]
    public void WitRejectsACoreModuleInOneLine()
    {
        var wat = WriteFile("m.wat", "(module)");
        var wasm = Path.Combine(_dir.FullName, "m.wasm");
        Run("parse", wat, "-o", wasm);

        var (exit, output, error) = Run("wit", wasm);

        Assert.Equal(1, exit);
        Assert.Equal("", output);
        Assert.Equal($"{wasm}: a core module, not a component; only components can be described in WIT", error.TrimEnd());
    }
}
