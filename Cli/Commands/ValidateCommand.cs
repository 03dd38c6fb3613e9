using System.CommandLine;

namespace Sharptime.Cli.Commands;

/// <summary><c>sharptime validate FILE...</c>: decode and validate modules, report the first error of each.</summary>
internal static class ValidateCommand
{
    public static Command Create(TextWriter output, TextWriter error)
    {
        var files = new Argument<FileInfo[]>("files")
        {
            Description = "WebAssembly modules to check (.wasm binary or .wat text).",
            Arity = ArgumentArity.OneOrMore,
        };
        var command = new Command("validate", "Decode and validate WebAssembly modules. Exit code 0 when all are valid, 1 otherwise.")
        {
            files,
        };
        command.SetAction(parse =>
        {
            using var engine = new Engine();
            int failures = 0;
            foreach (var file in parse.GetValue(files)!)
            {
                try
                {
                    Module.FromFile(engine, file.FullName);
                    output.WriteLine($"{file.Name}: valid");
                }
                catch (Exception e) when (e is WasmException or IOException or UnauthorizedAccessException)
                {
                    failures++;
                    error.WriteLine($"{file.Name}: {e.Message}");
                }
            }
            return failures == 0 ? 0 : 1;
        });
        return command;
    }
}
