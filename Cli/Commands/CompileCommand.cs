using System.CommandLine;

namespace Sharptime.Cli.Commands;

/// <summary><c>sharptime compile in.wasm -o out.cwasm</c>: precompile a module into an artifact that loads without recompiling.</summary>
internal static class CompileCommand
{
    public static Command Create(TextWriter error)
    {
        var input = new Argument<FileInfo>("input") { Description = "A WebAssembly module, binary (.wasm) or text (.wat)." };
        var output = new Option<FileInfo?>("--output", "-o") { Description = "Where to write the artifact (default: the input with a .cwasm extension)." };
        var command = new Command("compile", "Compile a WebAssembly module ahead of time into a .cwasm artifact (an ELF image) for `sharptime run` or Module.DeserializeFile.")
        {
            input,
            output,
        };
        command.SetAction(parse =>
        {
            var inFile = parse.GetValue(input)!;
            var outFile = parse.GetValue(output) ?? new FileInfo(Path.ChangeExtension(inFile.FullName, ".cwasm"));
            try
            {
                using var engine = new Engine();
                File.WriteAllBytes(outFile.FullName, engine.PrecompileModule(File.ReadAllBytes(inFile.FullName)));
                return 0;
            }
            catch (Exception e) when (e is WasmException or IOException or UnauthorizedAccessException)
            {
                error.WriteLine($"error: {e.Message}");
                return 1;
            }
        });
        return command;
    }
}
