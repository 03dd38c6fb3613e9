using System.Diagnostics;

namespace Sharptime.Cli.Tests;

/// <summary><c>sharptime compile</c>: artifacts on disk, identical from one process to the next.</summary>
public sealed class CompileTests : IDisposable
{
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("sharptime-cli-compile-");

    public void Dispose() => _dir.Delete(recursive: true);

    private const string Wat = """
        (module $m
          (memory 1) (data (i32.const 8) "data")
          (func $fib (export "fib") (param i32) (result i32)
            local.get 0 i32.const 2 i32.lt_u
            if (result i32) local.get 0
            else local.get 0 i32.const 1 i32.sub call $fib local.get 0 i32.const 2 i32.sub call $fib i32.add end))
        """;

    private string WriteWat()
    {
        var path = Path.Combine(_dir.FullName, "m.wat");
        File.WriteAllText(path, Wat);
        return path;
    }

    /// <summary>Runs the CLI in its own process, as a user would.</summary>
    private static int RunProcess(params string[] args)
    {
        var cli = Path.Combine(AppContext.BaseDirectory, "Sharptime.Cli.dll");
        var dotnet = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet";
        var start = new ProcessStartInfo(dotnet) { UseShellExecute = false, RedirectStandardError = true, RedirectStandardOutput = true };
        start.ArgumentList.Add(cli);
        foreach (var a in args) start.ArgumentList.Add(a);
        using var process = Process.Start(start)!;
        process.StandardOutput.ReadToEnd();
        process.StandardError.ReadToEnd();
        process.WaitForExit();
        return process.ExitCode;
    }

    [Fact]
    public void CompilingInTwoProcessesGivesIdenticalBytes()
    {
        var input = WriteWat();
        var first = Path.Combine(_dir.FullName, "first.cwasm");
        var second = Path.Combine(_dir.FullName, "second.cwasm");

        Assert.Equal(0, RunProcess("compile", input, "-o", first));
        Assert.Equal(0, RunProcess("compile", input, "-o", second));

        Assert.Equal(File.ReadAllBytes(first), File.ReadAllBytes(second));
    }

    [Fact]
    public void CompileWritesNextToTheInputByDefault()
    {
        var input = WriteWat();
        Assert.Equal(0, CliApp.Run(["compile", input], TextWriter.Null, TextWriter.Null));

        Assert.Equal(Precompiled.Module, Engine.DetectPrecompiled(File.ReadAllBytes(Path.ChangeExtension(input, ".cwasm"))));
    }

    [Fact]
    public void RunInvokesAnExportOfAnArtifact()
    {
        var cwasm = Path.Combine(_dir.FullName, "m.cwasm");
        Assert.Equal(0, CliApp.Run(["compile", WriteWat(), "-o", cwasm], TextWriter.Null, TextWriter.Null));
        var output = new StringWriter();

        Assert.Equal(0, CliApp.Run(["run", "--invoke", "fib", cwasm, "10"], output, TextWriter.Null));
        Assert.Equal("55", output.ToString().Trim());
    }

    [Fact]
    public void CompileReportsAnInvalidModuleOnOneLine()
    {
        var input = Path.Combine(_dir.FullName, "bad.wat");
        File.WriteAllText(input, "(module (func (result i32)))");
        var error = new StringWriter();

        Assert.Equal(1, CliApp.Run(["compile", input], TextWriter.Null, error));
        Assert.StartsWith("error: ", error.ToString());
        Assert.Single(error.ToString().TrimEnd('\n').Split('\n'));
    }
}
