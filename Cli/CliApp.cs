using System.CommandLine;
using Sharptime.Cli.Commands;

namespace Sharptime.Cli;

/// <summary>The <c>sharptime</c> command line, runnable in-process with any output writers.</summary>
public static class CliApp
{
    /// <summary>Parses and runs <paramref name="args"/>; returns the process exit code.</summary>
    public static int Run(string[] args, TextWriter output, TextWriter error)
    {
        var root = new RootCommand("Sharptime: a WebAssembly toolkit for .NET.")
        {
            ValidateCommand.Create(output, error),
            ParseCommand.Create(error),
            CompileCommand.Create(error),
            WitCommand.Create(output, error),
            WastCommand.Create(output, error),
            RunCommand.Create(output, error),
        };
        return root.Parse(RunCommand.SeparateGuestArguments(args)).Invoke(new InvocationConfiguration { Output = output, Error = error });
    }
}
