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
}
