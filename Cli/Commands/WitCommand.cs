using System.CommandLine;
using Sharptime.ComponentModel.Decoding;
using Sharptime.ComponentModel.Wit;

namespace Sharptime.Cli.Commands;

/// <summary>
/// <c>sharptime wit FILE|DIR [--deps PATH...]</c>: parse and resolve WIT, print the root packages back as WIT; or, for a
/// compiled component (<c>.wasm</c>), print the world it imports and exports.
/// </summary>
internal static class WitCommand
{
    public static Command Create(TextWriter output, TextWriter error)
    {
        var path = new Argument<string>("path")
        {
            Description = "A .wit file, a directory holding one package's .wit files (and its deps/ folder), or a component binary.",
        };
        var features = new Option<string[]>("--features")
        {
            Description = "Enable @unstable features by name (comma-separated or repeated).",
            AllowMultipleArgumentsPerToken = true,
        };
        var allFeatures = new Option<bool>("--all-features") { Description = "Enable every @unstable feature." };
        var deps = new Option<string[]>("--deps")
        {
            Description = "More packages (files or directories) the WIT may refer to; they are resolved but not printed.",
            AllowMultipleArgumentsPerToken = true,
        };
        var command = new Command("wit", "Resolve a WIT file or directory, or describe a component binary, and print the result as WIT. Exit code 1 on errors, one line per problem.")
        {
            path,
            features,
            allFeatures,
            deps,
        };
        command.SetAction(parse =>
        {
            var options = new WitOptions { AllFeatures = parse.GetValue(allFeatures) };
            foreach (var feature in (parse.GetValue(features) ?? []).SelectMany(f => f.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)))
                options.Features.Add(feature);
            var file = parse.GetValue(path)!;
            if (File.Exists(file) && ReadMagic(file) is { } head && head.AsSpan().StartsWith("\0asm"u8))
                return DescribeComponent(file, output, error);
            try
            {
                var resolver = new WitResolver(options);
                resolver.AddPath(parse.GetValue(path)!);
                foreach (var dep in parse.GetValue(deps) ?? []) resolver.AddPath(dep, isDependency: true);
                var resolution = resolver.Resolve();
                var roots = resolution.Roots;
                output.Write(roots.Count == 1 ? WitPrinter.Print(roots[0]) : WitPrinter.Print(roots));
                return 0;
            }
            catch (WitException e)
            {
                foreach (var diagnostic in e.Diagnostics) error.WriteLine(diagnostic.ToString());
                return 1;
            }
        });
        return command;
    }

    /// <summary>The first 8 bytes of a file (fewer when it is shorter), or null when it cannot be read.</summary>
    private static byte[]? ReadMagic(string file)
    {
        try
        {
            using var stream = File.OpenRead(file);
            var head = new byte[8];
            int read = stream.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
            return head[..read];
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static int DescribeComponent(string file, TextWriter output, TextWriter error)
    {
        try
        {
            var bytes = File.ReadAllBytes(file);
            if (!ComponentWorldExtractor.IsComponent(bytes))
            {
                error.WriteLine($"{file}: a core module, not a component; only components can be described in WIT");
                return 1;
            }
            output.Write(ComponentWorldExtractor.Print(ComponentWorldExtractor.Extract(bytes)));
            return 0;
        }
        catch (Exception e) when (e is WasmException or NotSupportedException or IOException or UnauthorizedAccessException)
        {
            error.WriteLine($"{file}: {e.Message}");
            return 1;
        }
    }
}
