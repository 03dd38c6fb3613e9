namespace Sharptime.Cli.Tests;

/// <summary>The engine and store options <c>run</c> and <c>wast</c> share.</summary>
public sealed class EngineOptionTests : IDisposable
{
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("sharptime-cli-engine-");

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

    // Recurses n times; each level keeps a few locals alive so frames are not tiny.
    private const string Deep = """
        (module
          (func $down (export "down") (param i32) (result i32)
            (local i64 i64 i64 i64)
            (if (result i32) (i32.eqz (local.get 0))
              (then (i32.const 0))
              (else (i32.add (i32.const 1) (call $down (i32.sub (local.get 0) (i32.const 1))))))))
        """;

    [Fact]
    public void MaxWasmStackLimitsRecursionDepth()
    {
        var module = WriteFile("deep.wat", Deep);

        var (exitDefault, outputDefault, _) = Run("run", "--invoke", "down", module, "3000");
        var (exitSmall, _, errorSmall) = Run("run", "--max-wasm-stack", "16KiB", "--invoke", "down", module, "3000");

        Assert.Equal((0, "3000"), (exitDefault, outputDefault.Trim()));
        Assert.Equal(1, exitSmall);
        Assert.Contains("call stack exhausted", errorSmall);
    }

    [Theory]
    [InlineData("1KiB", "out of range")]
    [InlineData("1TiB", "not a size")]
    public void MaxWasmStackOutsideItsRangeIsRefused(string value, string message)
    {
        var module = WriteFile("deep.wat", Deep);

        var (exit, _, error) = Run("run", "--max-wasm-stack", value, "--invoke", "down", module, "1");

        Assert.NotEqual(0, exit);
        Assert.Contains("--max-wasm-stack", error);
        Assert.Contains(message, error);
    }

    private const string Spin = """
        (module
          (func $spin (export "spin") (loop $l (br $l)))
          (func (export "outer") (call $spin))
          (func (export "sum") (param i32) (result i32) (local i32)
            (block $done (loop $l
              (br_if $done (i32.eqz (local.get 0)))
              (local.set 1 (i32.add (local.get 1) (local.get 0)))
              (local.set 0 (i32.sub (local.get 0) (i32.const 1)))
              (br $l)))
            (local.get 1)))
        """;

    [Fact]
    public void RunWithFuelTrapsWhenTheFuelRunsOutAndPrintsTheBacktrace()
    {
        var module = WriteFile("spin.wat", Spin);

        var (exit, _, error) = Run("run", "--fuel", "10000", "--invoke", "outer", module);

        Assert.Equal(1, exit);
        Assert.Contains("all fuel consumed", error);
        Assert.Contains("spin", error);
    }

    [Fact]
    public void RunWithEnoughFuelFinishes()
    {
        var module = WriteFile("spin.wat", Spin);

        var (exit, output, _) = Run("run", "--fuel", "100000", "--invoke", "sum", module, "100");

        Assert.Equal((0, "5050"), (exit, output.Trim()));
    }

    [Fact]
    public void RunWithATimeoutInterruptsAnInfiniteLoopAndPrintsTheBacktrace()
    {
        var module = WriteFile("spin.wat", Spin);

        var (exit, _, error) = Run("run", "--timeout", "100ms", "--invoke", "outer", module);

        Assert.Equal(1, exit);
        Assert.Contains("wasm trap: interrupt", error);
        Assert.Contains("spin", error);
    }

    [Fact]
    public void AnInterruptedWasiProgramExitsWithTheTrapExitCode()
    {
        var module = WriteFile("wasi-spin.wat", """
            (module
              (import "wasi_snapshot_preview1" "proc_exit" (func (param i32)))
              (memory (export "memory") 1)
              (func (export "_start") (loop $l (br $l))))
            """);

        var (exit, _, error) = Run("run", "--timeout", "50ms", module);

        Assert.Equal(134, exit);
        Assert.Contains("interrupt", error);
    }

    [Theory]
    [InlineData("--fuel", "lots")]
    [InlineData("--timeout", "5")]
    [InlineData("--timeout", "soon")]
    [InlineData("--max-memory", "big")]
    public void AnOptionValueThatDoesNotParseIsRefusedNamingTheOption(string option, string value)
    {
        var module = WriteFile("spin.wat", Spin);

        var (exit, _, error) = Run("run", option, value, "--invoke", "sum", module, "1");

        Assert.NotEqual(0, exit);
        Assert.Contains(value, error);
    }

    private const string Grower = """
        (module
          (memory 1)
          (func (export "grow") (param i32) (result i32) (memory.grow (local.get 0))))
        """;

    [Fact]
    public void RunWithMaxMemoryMakesGrowthPastItFail()
    {
        var module = WriteFile("grow.wat", Grower);

        var (_, limited, _) = Run("run", "--max-memory", "128KiB", "--invoke", "grow", module, "2");
        var (_, withinLimit, _) = Run("run", "--max-memory", "128KiB", "--invoke", "grow", module, "1");

        Assert.Equal(("-1", "1"), (limited.Trim(), withinLimit.Trim()));
    }

    [Fact]
    public void RunWithPoolingRunsTheModule()
    {
        var module = WriteFile("data.wat", """
            (module
              (memory 1)
              (data (i32.const 16) "\2a")
              (func (export "peek") (param i32) (result i32) (i32.load8_u (local.get 0))))
            """);

        var (exit, output, _) = Run("run", "--pooling", "--invoke", "peek", module, "16");

        Assert.Equal((0, "42"), (exit, output.Trim()));
    }

    [Fact]
    public void WastGivesEachScriptTheFuel()
    {
        var script = WriteFile("fuel.wast", $$"""
            {{Spin}}
            (assert_return (invoke "sum" (i32.const 10)) (i32.const 55))
            (assert_trap (invoke "spin") "all fuel consumed")
            """);

        var (exit, output, _) = Run("wast", "--fuel", "100000", script);

        Assert.Equal(0, exit);
        Assert.Contains("3 passed, 0 failed", output);
    }

    [Fact]
    public void WastInterruptsAScriptThatRunsPastItsTimeout()
    {
        var script = WriteFile("timeout.wast", $$"""
            {{Spin}}
            (assert_trap (invoke "outer") "interrupt")
            """);

        var (exit, output, _) = Run("wast", "--timeout", "50ms", script);

        Assert.Equal(0, exit);
        Assert.Contains("2 passed, 0 failed", output);
    }

    [Theory]
    [InlineData("explicit")]
    [InlineData("guard")]
    public void WastRunsWithPoolingInBothBoundsCheckModes(string mode)
    {
        var script = WriteFile("pooled.wast", """
            (module (memory 1) (data (i32.const 0) "\07")
              (func (export "peek") (param i32) (result i32) (i32.load8_u (local.get 0))))
            (assert_return (invoke "peek" (i32.const 0)) (i32.const 7))
            (assert_trap (invoke "peek" (i32.const 65536)) "out of bounds memory access")
            """);

        var (exit, output, _) = Run("wast", "--pooling", "--bounds-checks", mode, script);

        Assert.Equal(0, exit);
        Assert.Contains("3 passed, 0 failed", output);
    }
}
