namespace Sharptime.Cli.Tests;

/// <summary><c>sharptime wast</c> and <c>sharptime run</c>: scripts and modules written to a temporary folder.</summary>
public sealed class WastAndRunTests : IDisposable
{
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("sharptime-cli-run-");

    public void Dispose() => _dir.Delete(recursive: true);

    private string WriteFile(string name, string content)
    {
        var path = Path.Combine(_dir.FullName, name);
        File.WriteAllText(path, content);
        return path;
    }

    private static (int Exit, string[] Output, string Error) Run(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        int exit = CliApp.Run(args, output, error);
        return (exit, output.ToString().ReplaceLineEndings("\n").TrimEnd('\n').Split('\n'), error.ToString());
    }

    private const string Arith = """
        (module
          (func (export "add") (param i32 i32) (result i32) (i32.add (local.get 0) (local.get 1)))
          (func (export "div") (param i32 i32) (result i32) (i32.div_s (local.get 0) (local.get 1)))
          (func (export "swap") (param i64 f64) (result f64 i64) (local.get 1) (local.get 0))
          (func (export "half") (param f32) (result f32) (f32.mul (local.get 0) (f32.const 0.5)))
          (func (export "nop")))
        """;

    [Fact]
    public void WastReportsAPassingFileAndTheTotals()
    {
        var script = WriteFile("ok.wast", $$"""
            {{Arith}}
            (assert_return (invoke "add" (i32.const 2) (i32.const 3)) (i32.const 5))
            (assert_return (invoke "swap" (i64.const -7) (f64.const 1.5)) (f64.const 1.5) (i64.const -7))
            (assert_return (invoke "half" (f32.const nan)) (f32.const nan:canonical))
            (assert_trap (invoke "div" (i32.const 1) (i32.const 0)) "integer divide by zero")
            (assert_trap (invoke "div" (i32.const 0x80000000) (i32.const -1)) "integer overflow")
            (module $M (global (export "g") i32 (i32.const 9)) (func (export "f") (result i32) (i32.const 1)))
            (register "m" $M)
            (module (import "m" "f" (func $f (result i32))) (import "spectest" "print_i32" (func (param i32)))
              (func (export "g") (result i32) (call $f)))
            (assert_return (invoke "g") (i32.const 1))
            (assert_return (get $M "g") (i32.const 9))
            (assert_unlinkable (module (import "m" "missing" (func))) "unknown import")
            (assert_invalid (module (func (result i32) (i64.const 0))) "type mismatch")
            (assert_malformed (module quote "(func (i32.nope))") "unknown operator")
            """);

        var (exit, output, _) = Run("wast", script);

        Assert.Equal(["PASS ok.wast (14 passed)", "14 passed, 0 failed"], output);
        Assert.Equal(0, exit);
    }

    [Fact]
    public void WastListsEachFailureWithFileAndLine()
    {
        var good = WriteFile("good.wast", "(assert_invalid (module (func (result i32))) \"type mismatch\")");
        var bad = WriteFile("bad.wast", $$"""
            {{Arith}}
            (assert_return (invoke "add" (i32.const 2) (i32.const 2)) (i32.const 5))
            (assert_trap (invoke "add" (i32.const 1) (i32.const 0)) "integer divide by zero")
            (assert_return (invoke "add" (i32.const 1) (i32.const 1)) (i32.const 2))
            """);

        var (exit, output, _) = Run("wast", good, bad);

        Assert.Equal(1, exit);
        Assert.Equal("PASS good.wast (1 passed)", output[0]);
        Assert.Equal("FAIL bad.wast (2 passed, 2 failed, 0 skipped)", output[1]);
        Assert.StartsWith("  bad.wast:7: assert_return: expected i32:5, got i32:4", output[2]);
        Assert.StartsWith("  bad.wast:8: assert_trap: expected trap \"integer divide by zero\"", output[3]);
        Assert.Equal("3 passed, 2 failed", output[^1]);
    }

    [Fact]
    public void WastCountsComponentsAsSkipped()
    {
        var script = WriteFile("c.wast", "(component)\n(module)");

        var (exit, output, _) = Run("wast", script);

        Assert.Equal(0, exit);
        Assert.Equal("1 passed, 0 failed, 1 skipped", output[^1]);
    }

    [Fact]
    public void WastRejectsAScriptThatDoesNotParse()
    {
        var script = WriteFile("broken.wast", "(assert_return (invoke \"f\")");

        var (exit, output, _) = Run("wast", script);

        Assert.Equal(1, exit);
        Assert.StartsWith("FAIL broken.wast", output[0]);
        Assert.Equal("0 passed, 1 failed", output[^1]);
    }

    [Fact]
    public void RunPrintsEachResultOnItsOwnLine()
    {
        var wat = WriteFile("arith.wat", Arith);

        var add = Run("run", "--invoke", "add", wat, "40", "2");
        var swap = Run("run", "--invoke", "swap", wat, "-3", "2.25");
        var half = Run("run", "--invoke", "half", wat, "inf");
        var nop = Run("run", "--invoke", "nop", wat);

        Assert.Equal((0, "42", ""), (add.Exit, string.Join("|", add.Output), add.Error));
        Assert.Equal((0, "2.25|-3", ""), (swap.Exit, string.Join("|", swap.Output), swap.Error));
        Assert.Equal((0, "inf", ""), (half.Exit, string.Join("|", half.Output), half.Error));
        Assert.Equal((0, "", ""), (nop.Exit, string.Join("|", nop.Output), nop.Error));
    }

    [Fact]
    public void RunReadsBinaryModules()
    {
        var wasm = Path.Combine(_dir.FullName, "arith.wasm");
        File.WriteAllBytes(wasm, Module.ConvertText(Arith));

        var (exit, output, _) = Run("run", "--invoke", "add", wasm, "-1", "-2");

        Assert.Equal(0, exit);
        Assert.Equal(["-3"], output);
    }

    [Fact]
    public void RunReportsATrap()
    {
        var wat = WriteFile("arith.wat", Arith);

        var (exit, output, error) = Run("run", "--invoke", "div", wat, "1", "0");

        Assert.Equal(1, exit);
        Assert.Equal([""], output);
        Assert.StartsWith("error: wasm trap: integer divide by zero\nwasm backtrace:\n    0: ", error);
        Assert.Contains("arith!func1", error);
    }

    [Fact]
    public void RunReportsAMissingExport()
    {
        var wat = WriteFile("arith.wat", Arith);

        var (exit, _, error) = Run("run", "--invoke", "mul", wat, "1", "2");

        Assert.Equal(1, exit);
        Assert.Contains("no exported function 'mul'", error);
        Assert.Contains("add, div, swap, half, nop", error);
    }

    [Fact]
    public void RunReportsWrongArguments()
    {
        var wat = WriteFile("arith.wat", Arith);

        var count = Run("run", "--invoke", "add", wat, "1");
        var format = Run("run", "--invoke", "add", wat, "1", "two");

        Assert.Equal(1, count.Exit);
        Assert.Contains("'add' takes 2 argument(s)", count.Error);
        Assert.Contains("1 were given", count.Error);
        Assert.Equal(1, format.Exit);
        Assert.Contains("argument 2 'two' is not a valid i32", format.Error);
    }

    [Fact]
    public void RunRefusesAModuleWithImports()
    {
        var wat = WriteFile("imp.wat", "(module (import \"env\" \"f\" (func)) (func (export \"g\")))");

        var (exit, _, error) = Run("run", "--invoke", "g", wat);

        Assert.Equal(1, exit);
        Assert.StartsWith("error: ", error);
        Assert.Contains("env", error);
    }

    private const string OutOfBounds = """
        (module
          (memory 1)
          (func (export "peek") (param i32) (result i32) (i32.load offset=4 (local.get 0))))
        """;

    [Theory]
    [InlineData("explicit")]
    [InlineData("guard")]
    public void WastTakesTheBoundsCheckMode(string mode)
    {
        var script = WriteFile("oob.wast", $$"""
            {{OutOfBounds}}
            (assert_return (invoke "peek" (i32.const 65528)) (i32.const 0))
            (assert_trap (invoke "peek" (i32.const 65529)) "out of bounds memory access")
            (assert_trap (invoke "peek" (i32.const -1)) "out of bounds memory access")
            """);

        var (exit, output, _) = Run("wast", "--bounds-checks", mode, script);

        Assert.Equal(["PASS oob.wast (4 passed)", "4 passed, 0 failed"], output);
        Assert.Equal(0, exit);
    }

    [Theory]
    [InlineData("explicit")]
    [InlineData("guard")]
    public void RunTakesTheBoundsCheckMode(string mode)
    {
        var module = WriteFile("oob.wat", OutOfBounds);

        var (exit, _, error) = Run("run", "--bounds-checks", mode, "--invoke", "peek", module, "65533");

        Assert.Equal(1, exit);
        Assert.Contains("out of bounds memory access", error);
    }

    [Fact]
    public void AnUnknownBoundsCheckModeIsRejected()
    {
        var module = WriteFile("oob.wat", OutOfBounds);

        var (exit, _, _) = Run("run", "--bounds-checks", "none", "--invoke", "peek", module, "0");

        Assert.NotEqual(0, exit);
    }
}
