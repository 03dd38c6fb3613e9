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
}
