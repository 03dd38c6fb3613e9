namespace Sharptime.Cli.Tests;

/// <summary><c>sharptime run</c> on WASI commands: the committed test programs of <c>tests/programs</c>.</summary>
public sealed class WasiRunTests : IDisposable
{
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("sharptime-cli-wasi-");

    public void Dispose() => _dir.Delete(recursive: true);

    private static string Program(string name)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "tests", "programs", name + ".wasm");
            if (File.Exists(candidate)) return candidate;
        }
        throw new FileNotFoundException($"tests/programs/{name}.wasm not found above {AppContext.BaseDirectory}");
    }

    private static (int Exit, string Output, string Error) Run(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        int exit = CliApp.Run(args, output, error);
        return (exit, output.ToString().ReplaceLineEndings("\n"), error.ToString().ReplaceLineEndings("\n"));
    }

    private string DataDir()
    {
        var data = _dir.CreateSubdirectory("data");
        File.WriteAllText(Path.Combine(data.FullName, "input.txt"), "one\ntwo\n");
        return data.FullName;
    }

    [Fact]
    public void RunStartsAWasiCommandWithItsStdoutAndStderr()
    {
        var (exit, output, error) = Run("run", Program("hello"));

        Assert.Equal((0, "Hello, WASI!\n", "this line goes to stderr\n"), (exit, output, error));
    }

    [Fact]
    public void RunExitsWithTheGuestExitCode()
    {
        var (exit, output, _) = Run("run", Program("exitcode"), "7");

        Assert.Equal(7, exit);
        Assert.Equal("exiting with 7\n", output);
    }

    [Fact]
    public void RunPassesArgumentsAfterTheFileToTheGuestEvenWhenTheyLookLikeOptions()
    {
        var (exit, output, _) = Run("run", Program("echo"), "-v", "--env", "x");

        Assert.Equal(0, exit);
        Assert.StartsWith("argc=4\nargv[1]=[-v] (2 bytes)\nargv[2]=[--env] (5 bytes)\nargv[3]=[x] (1 bytes)\n", output);
    }

    [Fact]
    public void RunSetsGuestEnvironmentVariablesWithEnv()
    {
        var (_, output, _) = Run("run", "--env", "SHARPTIME_GREETING=a=b", "--env", "SHARPTIME_EMPTY=", Program("echo"));

        Assert.Contains("SHARPTIME_GREETING=[a=b]\nSHARPTIME_EMPTY=[]\nSHARPTIME_UNICODE is not set\n", output);
    }

    [Fact]
    public void RunPreopensADirectoryUnderItsGuestName()
    {
        string data = DataDir();

        var (exit, output, _) = Run("run", "--dir", data + "::data", Program("files"), "data");

        Assert.Equal(0, exit);
        Assert.Contains("copied 8 bytes\n", output);
        Assert.Contains("  f input.txt 8 bytes\n", output);
    }

    [Fact]
    public void RunWithDirRoLetsTheGuestReadButNotWrite()
    {
        string data = DataDir();

        var (exit, output, _) = Run("run", "--dir-ro", data + "::data", Program("files"), "data");

        Assert.Equal(1, exit);
        Assert.StartsWith("mkdir: -1\n", output);
        Assert.Contains("cannot append", output);
        Assert.Equal(["input.txt"], Directory.GetFileSystemEntries(data).Select(Path.GetFileName));
    }

    [Fact]
    public void RunReportsATrapOnStderrWithExitCode134()
    {
        var (exit, output, error) = Run("run", Program("trap"));

        Assert.Equal(134, exit);
        Assert.Equal("about to trap\n", output);
        Assert.StartsWith("error: wasm trap: unreachable", error);
    }

    [Fact]
    public void RunRunsAPrecompiledArtifactLikeTheModule()
    {
        var cwasm = Path.Combine(_dir.FullName, "hello.cwasm");
        Assert.Equal(0, Run("compile", Program("hello"), "-o", cwasm).Exit);

        var (exit, output, error) = Run("run", cwasm);

        Assert.Equal((0, "Hello, WASI!\n", "this line goes to stderr\n"), (exit, output, error));
    }

    [Fact]
    public void RunRejectsACorruptedArtifactOnOneLine()
    {
        var cwasm = Path.Combine(_dir.FullName, "hello.cwasm");
        Assert.Equal(0, Run("compile", Program("hello"), "-o", cwasm).Exit);
        var bytes = File.ReadAllBytes(cwasm);
        bytes[bytes.Length / 2] ^= 1;
        File.WriteAllBytes(cwasm, bytes);

        var (exit, _, error) = Run("run", cwasm);

        Assert.Equal(1, exit);
        Assert.Contains("checksum", error);
        Assert.Single(error.TrimEnd('\n').Split('\n'));
    }

    [Fact]
    public void RunReportsAnUnknownWasiImportOnOneLine()
    {
        var wat = Path.Combine(_dir.FullName, "bad.wat");
        File.WriteAllText(wat, """
            (module (import "wasi_snapshot_preview1" "no_such_call" (func)) (memory (export "memory") 1) (func (export "_start")))
            """);

        var (exit, _, error) = Run("run", wat);

        Assert.Equal(1, exit);
        Assert.Contains("no_such_call", error);
        Assert.Single(error.TrimEnd('\n').Split('\n'));
    }

    [Fact]
    public void RunWithoutInvokeOnAModuleWithoutStartExplainsWhy()
    {
        var wat = Path.Combine(_dir.FullName, "lib.wat");
        File.WriteAllText(wat, "(module (func (export \"f\")))");

        var (exit, _, error) = Run("run", wat);

        Assert.Equal(1, exit);
        Assert.Contains("exports no '_start'", error);
    }

    [Fact]
    public void RunReportsAMissingDirectory()
    {
        var (exit, _, error) = Run("run", "--dir", Path.Combine(_dir.FullName, "nope"), Program("hello"));

        Assert.Equal(1, exit);
        Assert.Contains("no such directory", error);
    }

    [Fact]
    public void RunHelpDocumentsTheExitCodes()
    {
        var (exit, output, _) = Run("run", "--help");

        Assert.Equal(0, exit);
        Assert.Contains("134 when a WASI program traps", output.ReplaceLineEndings(" ").Replace("  ", " "));
    }
}
