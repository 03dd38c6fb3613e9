using System.Diagnostics;

namespace Sharptime.SpecTests;

/// <summary>Finds and runs reference tools (wabt) used for differential checks.</summary>
internal static class ExternalTool
{
    public static string? Find(string name)
    {
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(dir, name);
            if (File.Exists(candidate)) return candidate;
        }
        return null;
    }

    /// <summary>Runs a tool to completion; returns its exit code and standard error.</summary>
    public static (int ExitCode, string Error) Run(string tool, params string[] arguments)
    {
        var start = new ProcessStartInfo(tool) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, stderr.Result);
    }
}

/// <summary>A fact that is skipped, with the reason shown, when a reference tool is not on PATH (.ci/run installs it).</summary>
public sealed class RequiresToolTheoryAttribute : TheoryAttribute
{
    public RequiresToolTheoryAttribute(string tool)
    {
        if (ExternalTool.Find(tool) is null) Skip = $"'{tool}' is not on PATH; install wabt (apt-get install wabt) to run this differential check";
    }
}
