using System.CommandLine;

namespace Sharptime.Cli.Commands;

/// <summary><c>sharptime parse in.wat -o out.wasm</c>: encode the text format as a binary module.</summary>
internal static class ParseCommand
{
    public static Command Create(TextWriter error)
    {
        var input = new Argument<FileInfo>("input") { Description = "A module in the WebAssembly text format (.wat)." };
        var output = new Option<FileInfo>("--output", "-o") { Description = "Where to write the binary module.", Required = true };
        var command = new Command("parse", "Encode a WebAssembly text module (.wat) as a binary module (.wasm).")
        {
            input,
            output,
        };
        command.SetAction(parse =>
        {
            var inFile = parse.GetValue(input)!;
            var outFile = parse.GetValue(output)!;
            try
            {
                var binary = Module.ConvertText(File.ReadAllText(inFile.FullName), inFile.Name);
                File.WriteAllBytes(outFile.FullName, binary);
                return 0;
            }
            catch (Exception e) when (e is WasmException or IOException or UnauthorizedAccessException)
            {
                error.WriteLine(e.Message);
                return 1;
            }
        });
        return command;
    }
}
