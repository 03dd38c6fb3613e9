using System.Diagnostics;
using System.Text.RegularExpressions;

namespace Sharptime.Cli.Tests;

/// <summary>
/// gdb, told about compiled code through the GDB JIT interface, stops in a wasm function by name and unwinds through
/// the wasm frames with their <c>.eh_frame</c> (issue 4). Runs <c>sharptime run</c> under <c>gdb -batch</c>.
/// </summary>
public sealed partial class GdbBacktraceTests : IDisposable
{
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("sharptime-gdb-");

    public void Dispose() => _dir.Delete(recursive: true);

    private const string Calc = """
        (module $calc
          (func $inner (param i32) (result i32) (i32.mul (local.get 0) (i32.const 3)))
          (func $outer (export "outer") (param i32) (result i32) (i32.add (call $inner (local.get 0)) (i32.const 1))))
        """;

    [RequiresGdbFact]
    public void BacktraceFromInsideWasmNamesTheWasmFramesAndContinuesBelowThem()
    {
        var module = Path.Combine(_dir.FullName, "calc.wat");
        File.WriteAllText(module, Calc);
        var frames = Backtrace(module, "calc!inner");

        int inner = frames.FindIndex(f => f.Contains(" calc!inner "));
        Assert.True(inner == 0, "gdb did not stop in calc!inner:\n" + string.Join('\n', frames));
        Assert.Contains(" calc!outer ", frames[1]);
        Assert.Contains(" calc!array_entry[outer] ", frames[2]);
        // gdb unwound the entry trampoline too (restoring the host's registers from its CFI) and reached the host caller.
        Assert.True(frames.Count > 3, "the backtrace stops at the entry trampoline:\n" + string.Join('\n', frames));
        Assert.Matches(@"^#3\s+0x[0-9a-f]+ in ", frames[3]);
    }

    /// <summary>The <c>#N</c> lines of <c>bt</c> at the first stop at <paramref name="function"/>.</summary>
    private static List<string> Backtrace(string module, string function)
    {
        var cli = Path.Combine(AppContext.BaseDirectory, "Sharptime.Cli.dll");
        var dotnet = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet";
        var start = new ProcessStartInfo("gdb") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in (string[])[
            "-batch", "-nx",
            "-ex", "set debuginfod enabled off",
            "-ex", "set disable-randomization off",
            "-ex", "set pagination off",
            "-ex", "set breakpoint pending on",
            // The .NET runtime uses real-time signals to suspend threads; let them through silently.
            "-ex", "handle SIGUSR1 SIGUSR2 SIG34 SIG35 SIG36 SIG37 SIG38 nostop noprint pass",
            "-ex", $"break '{function}'",
            "-ex", "run",
            "-ex", "bt 12",
            // Let the program finish normally so it removes the hook library it wrote to the temp folder.
            "-ex", "delete",
            "-ex", "continue",
            "--args", dotnet, cli, "run", "--invoke", "outer", module, "5"])
        {
            start.ArgumentList.Add(argument);
        }
        start.Environment["SHARPTIME_DEBUG_INFO"] = "1";
        using var gdb = Process.Start(start)!;
        var stderr = gdb.StandardError.ReadToEndAsync();
        var stdout = gdb.StandardOutput.ReadToEndAsync();
        if (!gdb.WaitForExit(TimeSpan.FromSeconds(90)))
        {
            gdb.Kill(entireProcessTree: true);
            Assert.Fail("gdb did not finish within 90 s");
        }
        var output = stdout.Result + stderr.Result;
        var frames = output.Split('\n').Where(l => FrameLine().IsMatch(l)).Select(l => l.TrimEnd()).ToList();
        Assert.True(frames.Count > 0, "gdb printed no backtrace:\n" + output);
        return frames;
    }

    [GeneratedRegex(@"^#\d+\s")]
    private static partial Regex FrameLine();
}

/// <summary>A fact skipped, with the reason shown, when gdb is not on PATH (.ci/run installs it).</summary>
public sealed class RequiresGdbFactAttribute : FactAttribute
{
    public RequiresGdbFactAttribute()
    {
        bool found = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Any(dir => File.Exists(Path.Combine(dir, "gdb")));
        if (!found) Skip = "gdb is not on PATH; install it (apt-get install gdb) to check that gdb shows wasm frames";
        else if (!OperatingSystem.IsLinux()) Skip = "the GDB JIT interface test runs on Linux only";
    }
}
